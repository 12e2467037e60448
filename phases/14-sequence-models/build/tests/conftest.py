"""Shared by the phase 14 validator: fixtures and adapters that load fixed weights into the learner's layers.

The tests run with the workspace's src/ on PYTHONPATH, so `minimodel` is the learner's own package.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "sequence.npz"
CONV_CASES = {"k2d1": (2, 1, True), "k3d2": (3, 2, True), "k2d4": (2, 4, True), "same_k3": (3, 1, False),
              "same_k4d2": (4, 2, False)}
RTOL, ATOL = 1e-5, 1e-6


@pytest.fixture(scope="session")
def fx() -> dict[str, np.ndarray]:
    with np.load(FIXTURES) as data:
        return {k: data[k] for k in data.files}


def close(actual, expected, what: str) -> None:
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, expected {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL, err_msg=what)


def make_lstm(fx):
    """The learner's LSTM(3, 4) holding the fixture's weights."""
    from minimodel.nn.rnn import LSTM

    lstm = LSTM(3, 4, rng=np.random.default_rng(0), dtype=np.float64)
    lstm.w_ih.weight.data[...] = fx["lstm_w_ih"]
    lstm.w_ih.bias.data[...] = fx["lstm_b"]
    lstm.w_hh.weight.data[...] = fx["lstm_w_hh"]
    return lstm


def make_conv(fx, name):
    """The learner's Conv1d(3, 2, k, dilation, causal) holding the fixture's weights."""
    from minimodel.nn.conv import Conv1d

    k, d, causal = CONV_CASES[name]
    conv = Conv1d(3, 2, kernel_size=k, dilation=d, causal=causal, rng=np.random.default_rng(0), dtype=np.float64)
    conv.weight.data[...] = fx[f"conv_{name}_w"]
    conv.bias.data[...] = fx[f"conv_{name}_b"]
    return conv
