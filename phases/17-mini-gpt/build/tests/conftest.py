"""Shared by the phase 17 validator: fixtures and a GPT holding fixed weights.

The tests run with the workspace's src/ on PYTHONPATH, so `minimodel` is the learner's own package.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "gpt.npz"
RTOL, ATOL = 1e-5, 1e-6


@pytest.fixture(scope="session")
def fx() -> dict[str, np.ndarray]:
    with np.load(FIXTURES) as data:
        return {k: data[k] for k in data.files}


def close(actual, expected, what: str) -> None:
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, expected {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL, err_msg=what)


def make_gpt(fx):
    """The learner's GPT (vocab 11, block 6, d_model 8, 2 layers, 2 heads) holding the fixture's weights."""
    from minimodel.nn.gpt import GPT, GPTConfig

    model = GPT(GPTConfig(vocab_size=11, block_size=6, d_model=8, n_layers=2, n_heads=2, seed=0), dtype=np.float64)
    params = dict(model.named_parameters())
    for key, value in fx.items():
        if key.startswith("param:"):
            params[key[len("param:"):]].data[...] = value
    return model
