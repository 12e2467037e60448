"""Shared by the phase 15 validator: fixtures and the adapters that reach the learner's attention code.

The tests run with the workspace's src/ on PYTHONPATH, so `minimodel` is the learner's own package.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "attention.npz"
CASES = ("plain", "causal", "heads", "wide")
RTOL, ATOL = 1e-5, 1e-6


@pytest.fixture(scope="session")
def fx() -> dict[str, np.ndarray]:
    with np.load(FIXTURES) as data:
        return {k: data[k] for k in data.files}


def close(actual, expected, what: str) -> None:
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, expected {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL, err_msg=what)


def make_mha(fx, causal: bool):
    """The learner's MultiHeadAttention (d_model 8, 2 heads) holding the fixture's weights."""
    from minimodel.nn.attention import MultiHeadAttention
    from minimodel.nn.config import BlockConfig

    mha = MultiHeadAttention(BlockConfig(d_model=8, n_heads=2, causal=causal), rng=np.random.default_rng(0), dtype=np.float64)
    mha.qkv.weight.data[...] = fx["mha_w_qkv"]
    mha.qkv.bias.data[...] = fx["mha_b_qkv"]
    mha.proj.weight.data[...] = fx["mha_w_proj"]
    mha.proj.bias.data[...] = fx["mha_b_proj"]
    return mha
