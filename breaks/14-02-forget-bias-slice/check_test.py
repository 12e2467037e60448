"""Check for break 14-02: a fresh LSTM's forget gate (columns H:2H) starts with bias +1, the other gates 0.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.nn.rnn import LSTM
from minimodel.tensor import Tensor, no_grad


@pytest.mark.parametrize("H", [1, 4, 16])
def test_forget_bias_sits_in_the_forget_columns(H):
    b = LSTM(3, H, rng=np.random.default_rng(0)).w_ih.bias.data
    np.testing.assert_allclose(b[H:2 * H], 1.0, err_msg="forget gate (columns H:2H) bias")
    np.testing.assert_allclose(b[0:H], 0.0, err_msg="input gate (columns 0:H) bias")


def test_a_fresh_cell_remembers_for_twenty_steps():
    lstm = LSTM(8, 16, rng=np.random.default_rng(0))
    state = (Tensor(np.zeros((1, 16), dtype=np.float32)), Tensor(np.ones((1, 16), dtype=np.float32)))
    with no_grad():
        _, (_, c) = lstm(Tensor(np.zeros((1, 20, 8), dtype=np.float32)), state)
    left = float(np.abs(c.data).mean())
    assert left > 5e-3, f"after 20 zero inputs only {left:.2e} of the cell state is left: the forget gate starts half shut"
