"""Check for break 13-01: a token id used k times must receive the sum of its k gradients.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

# Test the learner's code: <workspace>/src (the cwd) goes first on the path, ahead of any
# `pythonpath` a pytest config file further up might add.
sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np

from minimodel.nn import Embedding


def test_repeated_ids_accumulate():
    emb = Embedding(6, 3, rng=np.random.default_rng(0))
    emb(np.array([2, 2, 2, 4])).sum().backward()
    np.testing.assert_allclose(emb.weight.grad[2], np.full(3, 3.0), err_msg="token 2 was read 3 times")
    np.testing.assert_allclose(emb.weight.grad[4], np.ones(3))
    np.testing.assert_allclose(emb.weight.grad[[0, 1, 3, 5]], 0.0)


def test_gradient_equals_onehot_transpose_product():
    # E[ids] == onehot(ids) @ E, so dL/dE == onehot(ids)^T @ dL/d(E[ids]).
    rng = np.random.default_rng(1)
    emb = Embedding(10, 4, rng=rng, dtype=np.float64)
    ids = rng.integers(0, 10, size=(3, 7))  # 21 draws from 10 ids: repeats are certain
    upstream = rng.normal(size=(3, 7, 4))
    (emb(ids) * upstream).sum().backward()
    expected = np.eye(10)[ids.reshape(-1)].T @ upstream.reshape(-1, 4)
    np.testing.assert_allclose(emb.weight.grad, expected, rtol=1e-10, atol=1e-12)


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(2)
    emb = Embedding(5, 3, rng=rng, dtype=np.float64)
    ids = np.array([[1, 1, 4], [1, 0, 4]])
    upstream = rng.normal(size=(2, 3, 3))
    (emb(ids) * upstream).sum().backward()
    W, eps = emb.weight.data, 1e-6
    numeric = np.zeros_like(W)
    for i in range(W.shape[0]):
        for j in range(W.shape[1]):
            old = W[i, j]
            W[i, j] = old + eps
            plus = (W[ids] * upstream).sum()
            W[i, j] = old - eps
            minus = (W[ids] * upstream).sum()
            W[i, j] = old
            numeric[i, j] = (plus - minus) / (2 * eps)
    np.testing.assert_allclose(emb.weight.grad, numeric, rtol=1e-6, atol=1e-8)
