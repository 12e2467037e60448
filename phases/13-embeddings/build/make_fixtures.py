"""Regenerate tests/fixtures/embedding.npz, the expected outputs and gradients of the validator.

Run from the repository root:  python phases/13-embeddings/build/make_fixtures.py

The expected values come from the one-hot identity, not from any Embedding code:
    out  = onehot(ids) @ W          (the lookup)
    grad = onehot(ids)^T @ G        (the backward of d(sum(out * G)) / dW)
so a repeated id collects the sum of its rows of G. Everything is float64.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "tests" / "fixtures" / "embedding.npz"

# name: (vocab_size, d_model, ids)
CASES = {
    "vector": (10, 4, np.array([3, 1, 4, 1, 5, 9, 2, 6])),  # 1 repeats
    "batch": (16, 6, np.array([[0, 15, 7, 7], [7, 2, 2, 11], [15, 0, 3, 7]])),  # 7 four times, edges 0 and 15
    "nested": (7, 3, np.arange(24).reshape(2, 3, 4) % 7),  # three leading axes, every id repeats
    "single": (5, 8, np.array(2)),  # a scalar id -> shape (d_model,)
}


def onehot(ids: np.ndarray, vocab_size: int) -> np.ndarray:
    return (ids.reshape(-1, 1) == np.arange(vocab_size)).astype(np.float64)


def make() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20170403)  # fixed: the file must not change when regenerated
    arrays: dict[str, np.ndarray] = {}
    for name, (vocab, d, ids) in CASES.items():
        W = rng.normal(0.0, 1.0, size=(vocab, d))
        G = rng.normal(0.0, 1.0, size=ids.shape + (d,))
        hot = onehot(ids, vocab)  # (N, V)
        arrays[f"{name}_weight"] = W
        arrays[f"{name}_ids"] = ids.astype(np.int64)
        arrays[f"{name}_upstream"] = G
        arrays[f"{name}_out"] = (hot @ W).reshape(ids.shape + (d,))
        arrays[f"{name}_grad"] = hot.T @ G.reshape(-1, d)
    return arrays


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez(OUT, **make())
    print(f"wrote {OUT} ({', '.join(CASES)})")


if __name__ == "__main__":
    main()
