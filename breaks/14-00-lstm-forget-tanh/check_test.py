"""Check for break 14-00: the LSTM gates i, f, o are fractions in (0, 1) and the cell can forget.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np

from minimodel.nn.rnn import LSTM
from minimodel.tensor import Tensor, no_grad


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def reference_lstm(lstm, x):
    """The LSTM equations in plain NumPy, with the layer's own weights."""
    H = lstm.hidden_size
    Wi, bi, Wh = lstm.w_ih.weight.data, lstm.w_ih.bias.data, lstm.w_hh.weight.data
    B, T, _ = x.shape
    h = np.zeros((B, H))
    c = np.zeros((B, H))
    outs = []
    for t in range(T):
        z = x[:, t] @ Wi.T + bi + h @ Wh.T
        i, f, g, o = sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), np.tanh(z[:, 2 * H:3 * H]), sigmoid(z[:, 3 * H:])
        c = f * c + i * g
        h = o * np.tanh(c)
        outs.append(h)
    return np.stack(outs, axis=1), c


def test_gates_that_are_fractions_stay_in_0_1():
    lstm = LSTM(5, 7, rng=np.random.default_rng(0), dtype=np.float64)
    rng = np.random.default_rng(1)
    x = Tensor(rng.normal(0, 4, size=(200, 5)))
    h = Tensor(rng.uniform(-1, 1, size=(200, 7)))
    with no_grad():
        i, f, g, o = lstm.gates(x, h)
    for name, gate in (("input", i), ("forget", f), ("output", o)):
        assert gate.data.min() >= 0.0 and gate.data.max() <= 1.0, (
            f"the {name} gate takes values in [{gate.data.min():.3f}, {gate.data.max():.3f}]; "
            "a gate is a fraction and must lie in (0, 1)"
        )
    assert g.data.min() < 0.0, "the candidate g should still range over (-1, 1)"


def test_lstm_matches_the_equations():
    lstm = LSTM(3, 4, rng=np.random.default_rng(2), dtype=np.float64)
    x = np.random.default_rng(3).normal(0, 2, size=(2, 6, 3))
    with no_grad():
        out, (h, c) = lstm(Tensor(x))
    ref_out, ref_c = reference_lstm(lstm, x)
    np.testing.assert_allclose(out.data, ref_out, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(c.data, ref_c, rtol=1e-7, atol=1e-9)


def test_a_closed_forget_gate_erases_the_cell():
    lstm = LSTM(2, 3, rng=np.random.default_rng(0), dtype=np.float64)
    H = 3
    lstm.w_hh.weight.data[...] = 0.0
    lstm.w_ih.bias.data[...] = 0.0
    lstm.w_ih.bias.data[0:H] = -30.0  # input gate shut
    lstm.w_ih.bias.data[H:2 * H] = -6.0  # forget gate asks to erase
    x, h, c = Tensor(np.zeros((1, 2))), Tensor(np.zeros((1, H))), Tensor(np.ones((1, H)))
    with no_grad():
        for _ in range(5):
            h, c = lstm.cell(x, h, c)
    assert np.abs(c.data).max() < 1e-6, f"after 5 'erase' steps the cell still holds {c.data.ravel()}"
