"""Regenerate tests/fixtures/attention.npz, the expected values of the phase 15 validator.

Run from the repository root:  python phases/15-attention/build/make_fixtures.py

Everything is computed here with plain NumPy (float64), not with minimodel:
    S = q k^T / sqrt(d_k), masked to -inf;  W = softmax(S);  out = W v
and the gradients of sum(out * G) by hand:
    dv = W^T G;  dW = G v^T;  dS = W * (dW - sum(dW * W, -1));  dq = dS k / sqrt(d_k);  dk = dS^T q / sqrt(d_k)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "tests" / "fixtures" / "attention.npz"

# name: (q shape, k shape, v last dim, causal)
CASES = {
    "plain": ((2, 4, 8), (2, 6, 8), 3, False),
    "causal": ((2, 5, 4), (2, 5, 4), 4, True),
    "heads": ((2, 3, 6, 16), (2, 3, 6, 16), 5, True),  # (batch, heads, T, d_k)
    "wide": ((1, 3, 64), (1, 7, 64), 2, False),  # a big d_k, where the scale matters most
}


def attention(q, k, v, causal):
    d_k = q.shape[-1]
    s = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)
    if causal:
        T = q.shape[-2]
        s = np.where(np.tril(np.ones((T, T), dtype=bool)), s, -np.inf)
    w = np.exp(s - s.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    return w @ v, w


def attention_grads(q, k, v, w, g):
    d_k = q.shape[-1]
    dv = np.swapaxes(w, -1, -2) @ g
    dw = g @ np.swapaxes(v, -1, -2)
    ds = w * (dw - (dw * w).sum(-1, keepdims=True))
    dq = ds @ k / np.sqrt(d_k)
    dk = np.swapaxes(ds, -1, -2) @ q / np.sqrt(d_k)
    return dq, dk, dv


def mha(x, w_qkv, b_qkv, w_proj, b_proj, n_heads, causal):
    B, T, C = x.shape
    D = C // n_heads
    qkv = x @ w_qkv.T + b_qkv  # (B, T, 3C): [q | k | v], head h = columns h*D .. h*D+D-1 of each third
    split = lambda m: m.reshape(B, T, n_heads, D).transpose(0, 2, 1, 3)  # noqa: E731
    q, k, v = (split(qkv[..., i * C:(i + 1) * C]) for i in range(3))
    y, w = attention(q, k, v, causal)
    y = y.transpose(0, 2, 1, 3).reshape(B, T, C)
    return y @ w_proj.T + b_proj, w


def make() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20170612)  # fixed: the file must not change when regenerated
    arrays: dict[str, np.ndarray] = {}
    for name, (qs, ks, dv, causal) in CASES.items():
        q, k = rng.normal(size=qs), rng.normal(size=ks)
        v = rng.normal(size=ks[:-1] + (dv,))
        out, w = attention(q, k, v, causal)
        g = rng.normal(size=out.shape)
        dq, dk, dvv = attention_grads(q, k, v, w, g)
        arrays.update({f"{name}_q": q, f"{name}_k": k, f"{name}_v": v, f"{name}_causal": np.array(causal),
                       f"{name}_out": out, f"{name}_weights": w, f"{name}_upstream": g,
                       f"{name}_dq": dq, f"{name}_dk": dk, f"{name}_dv": dvv})
    for T in (1, 2, 6):
        arrays[f"mask_{T}"] = np.tril(np.ones((T, T), dtype=bool))
    C, H = 8, 2
    x = rng.normal(size=(2, 5, C))
    params = {"w_qkv": rng.normal(0, 0.3, size=(3 * C, C)), "b_qkv": rng.normal(0, 0.1, size=3 * C),
              "w_proj": rng.normal(0, 0.3, size=(C, C)), "b_proj": rng.normal(0, 0.1, size=C)}
    for causal in (True, False):
        out, w = mha(x, *params.values(), H, causal)
        tag = "causal" if causal else "full"
        arrays[f"mha_{tag}_out"] = out
        arrays[f"mha_{tag}_weights"] = w
    arrays["mha_x"] = x
    arrays.update({f"mha_{k}": v for k, v in params.items()})
    return arrays


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez(OUT, **make())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
