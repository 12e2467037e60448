"""Regenerate tests/fixtures/sequence.npz, the expected values of the phase 14 validator.

Run from the repository root:  python phases/14-sequence-models/build/make_fixtures.py

Everything is computed here with plain NumPy (float64), not with minimodel:
    LSTM     z = x_t W_ih^T + b + h W_hh^T = [i | f | g | o];  i, f, o = sigmoid;  g = tanh
             c_t = f c_{t-1} + i g;  h_t = o tanh(c_t)
    Conv1d   y[t] = b + sum_j W[:, j, :] @ xpad[t + j*d], xpad = x with (before, after) zeros on the time axis;
             causal: before = (k-1)d, after = 0;  otherwise before = (k-1)d // 2, after = the rest
Gradients of sum(output * G) are central finite differences of these NumPy functions (error ~1e-9).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "tests" / "fixtures" / "sequence.npz"
D, H = 3, 4
CONV_CASES = {"k2d1": (2, 1, True), "k3d2": (3, 2, True), "k2d4": (2, 4, True), "same_k3": (3, 1, False), "same_k4d2": (4, 2, False)}


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def gates(x_t, h, w_ih, b, w_hh):
    z = x_t @ w_ih.T + b + h @ w_hh.T
    return sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), np.tanh(z[:, 2 * H:3 * H]), sigmoid(z[:, 3 * H:])


def lstm(x, w_ih, b, w_hh):
    B, T, _ = x.shape
    h, c = np.zeros((B, H)), np.zeros((B, H))
    outs = []
    for t in range(T):
        i, f, g, o = gates(x[:, t], h, w_ih, b, w_hh)
        c = f * c + i * g
        h = o * np.tanh(c)
        outs.append(h)
    return np.stack(outs, 1), h, c


def padding(k, d, causal):
    total = (k - 1) * d
    return (total, 0) if causal else (total // 2, total - total // 2)


def conv(x, w, b, k, d, causal):
    B, T, C = x.shape
    before, after = padding(k, d, causal)
    xp = np.concatenate([np.zeros((B, before, C)), x, np.zeros((B, after, C))], axis=1)
    y = np.zeros((B, T, w.shape[0])) + b
    for t in range(T):
        for j in range(k):
            y[:, t] += xp[:, t + j * d] @ w[:, j, :].T
    return y


def numeric_grads(fn, arrays, upstream, eps=1e-6):
    grads = []
    for a in arrays:
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + eps
            plus = (fn() * upstream).sum()
            a[idx] = old - eps
            minus = (fn() * upstream).sum()
            a[idx] = old
            g[idx] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads


def make() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(19971115)  # fixed: the file must not change when regenerated
    a: dict[str, np.ndarray] = {}
    w_ih, b, w_hh = rng.normal(0, 0.6, size=(4 * H, D)), rng.normal(0, 0.5, size=4 * H), rng.normal(0, 0.6, size=(4 * H, H))
    x = rng.normal(0, 1.5, size=(2, 5, D))
    out, h, c = lstm(x, w_ih, b, w_hh)
    G = rng.normal(size=out.shape)
    dx, dw_ih, db, dw_hh = numeric_grads(lambda: lstm(x, w_ih, b, w_hh)[0], [x, w_ih, b, w_hh], G)
    x_t, h0, c0 = rng.normal(0, 2, size=(3, D)), rng.uniform(-1, 1, size=(3, H)), rng.normal(size=(3, H))
    i, f, g, o = gates(x_t, h0, w_ih, b, w_hh)
    c1 = f * c0 + i * g
    a.update({"lstm_w_ih": w_ih, "lstm_b": b, "lstm_w_hh": w_hh, "lstm_x": x, "lstm_out": out, "lstm_h": h,
              "lstm_c": c, "lstm_upstream": G, "lstm_dx": dx, "lstm_dw_ih": dw_ih, "lstm_db": db, "lstm_dw_hh": dw_hh,
              "step_x": x_t, "step_h": h0, "step_c": c0, "step_i": i, "step_f": f, "step_g": g, "step_o": o,
              "step_c1": c1, "step_h1": o * np.tanh(c1)})
    for name, (k, d, causal) in CONV_CASES.items():
        w, bb = rng.normal(0, 0.5, size=(2, k, 3)), rng.normal(0, 0.2, size=2)
        xx = rng.normal(size=(2, 9, 3))
        y = conv(xx, w, bb, k, d, causal)
        G = rng.normal(size=y.shape)
        dxx, dw, dbb = numeric_grads(lambda: conv(xx, w, bb, k, d, causal), [xx, w, bb], G)
        a.update({f"conv_{name}_x": xx, f"conv_{name}_w": w, f"conv_{name}_b": bb, f"conv_{name}_out": y,
                  f"conv_{name}_upstream": G, f"conv_{name}_dx": dxx, f"conv_{name}_dw": dw, f"conv_{name}_db": dbb,
                  f"conv_{name}_padding": np.array(padding(k, d, causal))})
    return a


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez(OUT, **make())
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
