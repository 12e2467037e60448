"""Regenerate tests/fixtures/block.npz, the expected values of the phase 16 validator.

Run from the repository root:  python phases/16-transformer-block/build/make_fixtures.py

Everything is computed here with plain NumPy (float64), not with minimodel:
    LayerNorm  y = (x - mean) / sqrt(var + eps) * gain + bias        (over the last axis, biased var)
               dx = (gg - mean(gg) - x_hat * mean(gg * x_hat)) / sqrt(var + eps),  gg = G * gain
    FFN        down(gelu(up(x))), gelu = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    block      h = x + mha(ln1(x));  y = h + ffn(ln2(h))       (pre-norm, causal)
    positions  PE[p, 2i] = sin(p / 10000^(2i/d)),  PE[p, 2i+1] = cos(p / 10000^(2i/d))
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "tests" / "fixtures" / "block.npz"
EPS = 1e-5
LN_CASES = {"rows": (4, 6), "sequence": (2, 5, 6), "one_token": (3, 1, 6)}
C, H, T = 8, 2, 5


def layernorm(x, gain, bias):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    x_hat = (x - mu) / np.sqrt(var + EPS)
    return x_hat * gain + bias, x_hat, var


def layernorm_grads(x, gain, g):
    _, x_hat, var = layernorm(x, gain, 0.0)
    gg = g * gain
    dx = (gg - gg.mean(-1, keepdims=True) - x_hat * (gg * x_hat).mean(-1, keepdims=True)) / np.sqrt(var + EPS)
    axes = tuple(range(x.ndim - 1))
    return dx, (g * x_hat).sum(axes), g.sum(axes)


def gelu(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)))


def ffn(x, p):
    return gelu(x @ p["up_w"].T + p["up_b"]) @ p["down_w"].T + p["down_b"]


def mha(x, p):
    B, T_, _ = x.shape
    D = C // H
    qkv = x @ p["qkv_w"].T + p["qkv_b"]
    split = lambda m: m.reshape(B, T_, H, D).transpose(0, 2, 1, 3)  # noqa: E731
    q, k, v = (split(qkv[..., i * C:(i + 1) * C]) for i in range(3))
    s = q @ np.swapaxes(k, -1, -2) / np.sqrt(D)
    s = np.where(np.tril(np.ones((T_, T_), dtype=bool)), s, -np.inf)
    w = np.exp(s - s.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    y = (w @ v).transpose(0, 2, 1, 3).reshape(B, T_, C)
    return y @ p["proj_w"].T + p["proj_b"]


def positions(n, d):
    p = np.arange(n)[:, None]
    angle = p / 10000.0 ** (np.arange(0, d, 2)[None, :] / d)
    pe = np.zeros((n, d))
    pe[:, 0::2], pe[:, 1::2] = np.sin(angle), np.cos(angle)
    return pe


def make() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20160721)  # fixed: the file must not change when regenerated
    a: dict[str, np.ndarray] = {}
    for name, shape in LN_CASES.items():
        x = rng.normal(1.0, 2.0, size=shape)
        gain, bias = rng.normal(1.0, 0.5, size=shape[-1]), rng.normal(0.0, 0.5, size=shape[-1])
        g = rng.normal(size=shape)
        out, _, _ = layernorm(x, gain, bias)
        dx, dgain, dbias = layernorm_grads(x, gain, g)
        a.update({f"ln_{name}_x": x, f"ln_{name}_gain": gain, f"ln_{name}_bias": bias, f"ln_{name}_upstream": g,
                  f"ln_{name}_out": out, f"ln_{name}_dx": dx, f"ln_{name}_dgain": dgain, f"ln_{name}_dbias": dbias})
    p = {
        "ln1_gain": rng.normal(1.0, 0.2, size=C), "ln1_bias": rng.normal(0.0, 0.2, size=C),
        "qkv_w": rng.normal(0, 0.3, size=(3 * C, C)), "qkv_b": rng.normal(0, 0.1, size=3 * C),
        "proj_w": rng.normal(0, 0.3, size=(C, C)), "proj_b": rng.normal(0, 0.1, size=C),
        "ln2_gain": rng.normal(1.0, 0.2, size=C), "ln2_bias": rng.normal(0.0, 0.2, size=C),
        "up_w": rng.normal(0, 0.3, size=(4 * C, C)), "up_b": rng.normal(0, 0.1, size=4 * C),
        "down_w": rng.normal(0, 0.3, size=(C, 4 * C)), "down_b": rng.normal(0, 0.1, size=C),
    }
    x = rng.normal(0.0, 1.0, size=(2, T, C))
    h = x + mha(layernorm(x, p["ln1_gain"], p["ln1_bias"])[0], p)
    y = h + ffn(layernorm(h, p["ln2_gain"], p["ln2_bias"])[0], p)
    a.update({f"block_{k}": v for k, v in p.items()})
    a.update({"block_x": x, "block_out": y, "ffn_out": ffn(x, p)})
    for n, d in ((10, 8), (50, 16)):
        a[f"pe_{n}_{d}"] = positions(n, d)
    return a


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez(OUT, **make())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
