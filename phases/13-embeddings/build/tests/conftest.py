"""The adapter between the validator and the learner's code: every test reaches Embedding through here.

The tests run with the workspace's src/ on PYTHONPATH, so `minimodel` is the learner's own package.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "embedding.npz"
CASES = ("vector", "batch", "nested", "single")
RTOL, ATOL = 1e-5, 1e-6


def make_embedding(vocab_size: int, d_model: int, seed: int = 0, dtype=np.float64):
    """The learner's Embedding, built the way the stub's signature says."""
    from minimodel.nn.embedding import Embedding

    return Embedding(vocab_size, d_model, rng=np.random.default_rng(seed), dtype=dtype)


def with_weight(weight: np.ndarray):
    """An Embedding whose table holds exactly ``weight`` (float64)."""
    emb = make_embedding(*weight.shape)
    emb.weight.data[...] = weight
    return emb


def lookup(emb, ids) -> np.ndarray:
    return np.asarray(emb(ids).data)


def table_grad(emb, ids, upstream: np.ndarray) -> np.ndarray:
    """d(sum(emb(ids) * upstream)) / d(weight), by the learner's backward."""
    emb.zero_grad()
    out = emb(ids)
    (out * upstream).sum().backward()
    assert emb.weight.grad is not None, "no gradient reached Embedding.weight after backward()"
    return np.asarray(emb.weight.grad)


@pytest.fixture(scope="session")
def fixtures() -> dict[str, np.ndarray]:
    with np.load(FIXTURES) as data:
        return {k: data[k] for k in data.files}


def close(actual: np.ndarray, expected: np.ndarray, what: str) -> None:
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL, err_msg=what)
