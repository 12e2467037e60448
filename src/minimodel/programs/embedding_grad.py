"""Does the embedding send the right gradient to a token that appears more than once?

Run:  python -m minimodel.programs.embedding_grad [--seed 0]

Lookup is a matrix product: E[ids] == onehot(ids) @ E. So the gradient of the table must be
onehot(ids)^T @ G, where G is the gradient arriving at the looked-up rows. A token that
appears k times collects k contributions. This program computes the table's gradient twice,
once with the Embedding's backward and once with the one-hot product (and a finite-difference
check on a tiny example), and prints them side by side.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.data import ByteTokenizer, load_corpus, next_token_batch
from minimodel.nn import Embedding
from minimodel.programs.measure import lynx_measure


def embedding_grad(emb: Embedding, ids: np.ndarray, upstream: np.ndarray) -> np.ndarray:
    """d(sum(emb(ids) * upstream)) / d(emb.weight), by the Embedding's own backward."""
    emb.zero_grad()
    out = emb(ids)
    (out * upstream).sum().backward()
    return emb.weight.grad


def onehot_grad(vocab_size: int, ids: np.ndarray, upstream: np.ndarray) -> np.ndarray:
    """The same gradient from the identity E[ids] = onehot(ids) @ E."""
    onehot = np.eye(vocab_size)[ids.reshape(-1)]  # (N, V)
    return onehot.T @ upstream.reshape(len(onehot), -1)  # (V, d)


def finite_difference(emb: Embedding, ids: np.ndarray, upstream: np.ndarray, row: int, eps: float = 1e-6) -> np.ndarray:
    """Central differences for one row of the table (float64)."""
    W = emb.weight.data
    grad = np.zeros(W.shape[1])
    for j in range(W.shape[1]):
        old = W[row, j]
        W[row, j] = old + eps
        plus = float((W[ids] * upstream).sum())
        W[row, j] = old - eps
        minus = float((W[ids] * upstream).sum())
        W[row, j] = old
        grad[j] = (plus - minus) / (2 * eps)
    return grad


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)

    # 1. A tiny example: token 2 appears three times, token 5 twice, the others once.
    emb = Embedding(8, 4, rng=rng, dtype=np.float64)
    ids = np.array([[2, 5, 2, 2], [7, 5, 1, 0]])
    upstream = rng.normal(size=ids.shape + (4,))
    grad = embedding_grad(emb, ids, upstream)
    print("tiny example: ids =", ids.tolist())
    print(f"{'token':>5} {'count':>5} {'|backward grad|':>16} {'|finite diff|':>14} {'ratio':>7}")
    for token in (2, 5, 7):
        fd = finite_difference(emb, ids, upstream, token)
        count = int((ids == token).sum())
        ratio = np.linalg.norm(grad[token]) / np.linalg.norm(fd)
        print(f"{token:>5} {count:>5} {np.linalg.norm(grad[token]):>16.6f} {np.linalg.norm(fd):>14.6f} {ratio:>7.3f}")

    # 2. A real batch of bytes from the corpus: common letters repeat many times.
    tok = ByteTokenizer()
    x, _ = next_token_batch(tok.encode(load_corpus()), 8, 32, rng)
    emb = Embedding(tok.vocab_size, 16, rng=rng, dtype=np.float64)
    upstream = rng.normal(size=x.shape + (16,))
    grad = embedding_grad(emb, x, upstream)
    expected = onehot_grad(tok.vocab_size, x, upstream)
    counts = np.bincount(x.reshape(-1), minlength=tok.vocab_size)
    print(f"\ncorpus batch {x.shape}: the five most frequent tokens")
    print(f"{'token':>7} {'count':>5} {'|backward grad|':>16} {'|onehot^T G|':>13} {'ratio':>7}")
    for token in np.argsort(-counts, kind="stable")[:5]:
        a, b = np.linalg.norm(grad[token]), np.linalg.norm(expected[token])
        print(f"{tok.decode([token])!r:>7} {counts[token]:>5} {a:>16.4f} {b:>13.4f} {a / b:>7.3f}")
    worst = float(np.abs(grad - expected).max())
    print(f"\nmax |backward - onehot^T G| over the whole table: {worst:.3e}")
    top = np.argsort(-counts, kind="stable")[0]  # the most frequent byte of the batch
    lynx_measure("top_token_ratio", np.linalg.norm(grad[top]) / np.linalg.norm(expected[top]))
    lynx_measure("max_diff", worst)
    return worst


if __name__ == "__main__":
    main()
