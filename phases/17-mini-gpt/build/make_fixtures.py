"""Regenerate tests/fixtures/gpt.npz, the expected values of the phase 17 validator.

Run from the repository root:  python phases/17-mini-gpt/build/make_fixtures.py

Everything is computed here with plain NumPy (float64), not with minimodel:
    x = E[ids] + P[0..T-1];  pre-norm causal blocks (h = x + mha(ln1 x); x = h + ffn(ln2 h));
    logits = ln_f(x) @ E^T  (the head is the token table);  loss = mean -log softmax(logits)[next token]
    sampling: p = softmax(top_k(logits / temperature))
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "tests" / "fixtures" / "gpt.npz"
V, BLOCK, C, H = 11, 6, 8, 2
EPS = 1e-5


def ln(x, g, b):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * g + b


def gelu(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)))


def softmax(z):
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


def block(x, p, pre):
    B, T, _ = x.shape
    D = C // H
    a = ln(x, p[pre + "ln1.weight"], p[pre + "ln1.bias"])
    qkv = a @ p[pre + "attn.qkv.weight"].T + p[pre + "attn.qkv.bias"]
    split = lambda m: m.reshape(B, T, H, D).transpose(0, 2, 1, 3)  # noqa: E731
    q, k, v = (split(qkv[..., i * C:(i + 1) * C]) for i in range(3))
    s = q @ np.swapaxes(k, -1, -2) / np.sqrt(D)
    s = np.where(np.tril(np.ones((T, T), dtype=bool)), s, -np.inf)
    y = (softmax(s) @ v).transpose(0, 2, 1, 3).reshape(B, T, C)
    h = x + y @ p[pre + "attn.proj.weight"].T + p[pre + "attn.proj.bias"]
    f = ln(h, p[pre + "ln2.weight"], p[pre + "ln2.bias"])
    f = gelu(f @ p[pre + "ffn.up.weight"].T + p[pre + "ffn.up.bias"])
    return h + f @ p[pre + "ffn.down.weight"].T + p[pre + "ffn.down.bias"]


def gpt(ids, p, n_layers):
    x = p["tok.weight"][ids] + p["pos.weight"][: ids.shape[1]]
    for i in range(n_layers):
        x = block(x, p, f"blocks.{i}.")
    return ln(x, p["ln_f.weight"], p["ln_f.bias"]) @ p["tok.weight"].T


def params(rng, n_layers):
    p = {"tok.weight": rng.normal(0, 0.5, size=(V, C)), "pos.weight": rng.normal(0, 0.3, size=(BLOCK, C))}
    for i in range(n_layers):
        pre = f"blocks.{i}."
        p.update({
            pre + "ln1.weight": rng.normal(1, 0.2, size=C), pre + "ln1.bias": rng.normal(0, 0.2, size=C),
            pre + "attn.qkv.weight": rng.normal(0, 0.4, size=(3 * C, C)), pre + "attn.qkv.bias": rng.normal(0, 0.1, size=3 * C),
            pre + "attn.proj.weight": rng.normal(0, 0.4, size=(C, C)), pre + "attn.proj.bias": rng.normal(0, 0.1, size=C),
            pre + "ln2.weight": rng.normal(1, 0.2, size=C), pre + "ln2.bias": rng.normal(0, 0.2, size=C),
            pre + "ffn.up.weight": rng.normal(0, 0.4, size=(4 * C, C)), pre + "ffn.up.bias": rng.normal(0, 0.1, size=4 * C),
            pre + "ffn.down.weight": rng.normal(0, 0.4, size=(C, 4 * C)), pre + "ffn.down.bias": rng.normal(0, 0.1, size=C),
        })
    p.update({"ln_f.weight": rng.normal(1, 0.2, size=C), "ln_f.bias": rng.normal(0, 0.2, size=C)})
    return p


def make() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20190214)  # fixed: the file must not change when regenerated
    a: dict[str, np.ndarray] = {}
    p = params(rng, 2)
    a.update({f"param:{k}": v for k, v in p.items()})
    ids = rng.integers(0, V, size=(3, BLOCK))
    logits = gpt(ids, p, 2)
    window = rng.integers(0, V, size=(3, BLOCK + 1))
    wl = gpt(window[:, :-1], p, 2)
    logp = np.log(softmax(wl))
    loss = -np.take_along_axis(logp, window[:, 1:, None], -1).mean()
    a.update({"ids": ids, "logits": logits, "window": window, "loss": np.array(loss)})
    # Greedy decoding: the argmax of the last position, fed back in (context cropped to BLOCK).
    seq = [3, 1]
    for _ in range(10):
        seq.append(int(np.argmax(gpt(np.array([seq[-BLOCK:]]), p, 2)[0, -1])))
    a["greedy"] = np.array(seq)
    z = rng.normal(0, 2, size=20)
    a["sample_logits"] = z
    for k in (1, 3, 7):
        kept = np.full(20, -np.inf)
        top = np.argsort(z)[-k:]
        kept[top] = z[top]
        a[f"topk_{k}"] = kept
    for t, k in ((1.0, None), (0.5, None), (2.0, 5), (0.7, 3)):
        zz = z / t
        if k is not None:
            cut = np.full(20, -np.inf)
            top = np.argsort(zz)[-k:]
            cut[top] = zz[top]
            zz = cut
        a[f"probs_t{t}_k{k or 0}"] = softmax(zz)
    return a


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez(OUT, **make())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
