"""Check for break 14-01: a causal Conv1d never lets output t see an input after t.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.nn.conv import Conv1d
from minimodel.tensor import Tensor, no_grad


def reference_causal_conv(conv, x):
    """y[t] = b + sum_j W[:, j, :] @ x[t - (k-1-j)*d], with x[negative] = 0."""
    B, T, _ = x.shape
    k, d = conv.kernel_size, conv.dilation
    W, b = conv.weight.data, conv.bias.data
    y = np.zeros((B, T, conv.out_channels)) + b
    for t in range(T):
        for j in range(k):
            s = t - (k - 1 - j) * d
            if s >= 0:
                y[:, t] += x[:, s] @ W[:, j, :].T
    return y


@pytest.mark.parametrize("k,d", [(2, 1), (3, 1), (2, 4), (3, 2)])
def test_future_inputs_do_not_move_past_outputs(k, d):
    conv = Conv1d(3, 4, kernel_size=k, dilation=d, causal=True, rng=np.random.default_rng(0), dtype=np.float64)
    x = np.random.default_rng(1).normal(size=(2, 12, 3))
    with no_grad():
        base = conv(Tensor(x)).data
    assert base.shape == (2, 12, 4), f"output shape {base.shape}, expected (2, 12, 4): same length as the input"
    for t in range(11):
        x2 = x.copy()
        x2[:, t + 1:] += 5.0  # change everything after position t
        with no_grad():
            moved = conv(Tensor(x2)).data
        assert np.allclose(moved[:, : t + 1], base[:, : t + 1]), (
            f"kernel {k}, dilation {d}: changing inputs after position {t} changed outputs at or before {t}"
        )


@pytest.mark.parametrize("k,d", [(2, 1), (3, 2)])
def test_causal_conv_matches_the_formula(k, d):
    conv = Conv1d(2, 3, kernel_size=k, dilation=d, causal=True, rng=np.random.default_rng(2), dtype=np.float64)
    x = np.random.default_rng(3).normal(size=(2, 9, 2))
    with no_grad():
        y = conv(Tensor(x)).data
    np.testing.assert_allclose(y, reference_causal_conv(conv, x), rtol=1e-7, atol=1e-9)
