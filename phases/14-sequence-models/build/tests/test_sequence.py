"""The validator of build challenge 14: the LSTM's gates and cell, and a (causal, dilated) Conv1d.

Fixtures (fixtures/sequence.npz, float64) were computed with plain NumPy by make_fixtures.py.
Tolerances: rtol 1e-5, atol 1e-6.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CONV_CASES, close, make_conv, make_lstm


def tensors(fx, *names, requires_grad=False):
    from minimodel.tensor import Tensor

    return [Tensor(fx[n].copy(), requires_grad=requires_grad) for n in names]


def test_lstm_gates_match_fixture(fx):
    x, h = tensors(fx, "step_x", "step_h")
    got = make_lstm(fx).gates(x, h)
    assert len(got) == 4, "gates() returns (i, f, g, o)"
    for name, gate in zip("ifgo", got):
        close(gate.data, fx[f"step_{name}"], f"gate {name}")


def test_lstm_gates_have_the_right_ranges(fx):
    from minimodel.tensor import Tensor

    rng = np.random.default_rng(0)
    i, f, g, o = make_lstm(fx).gates(Tensor(rng.normal(0, 5, size=(300, 3))), Tensor(rng.uniform(-1, 1, size=(300, 4))))
    for name, gate in (("input", i), ("forget", f), ("output", o)):
        assert gate.data.min() >= 0.0 and gate.data.max() <= 1.0, f"the {name} gate must be a fraction in (0, 1)"
    assert g.data.min() < 0.0 < g.data.max(), "the candidate g ranges over (-1, 1)"


def test_lstm_cell_matches_fixture(fx):
    x, h, c = tensors(fx, "step_x", "step_h", "step_c")
    h1, c1 = make_lstm(fx).cell(x, h, c)
    close(c1.data, fx["step_c1"], "new cell state c_t")
    close(h1.data, fx["step_h1"], "new hidden state h_t")


def test_lstm_sequence_matches_fixture(fx):
    (x,) = tensors(fx, "lstm_x")
    out, (h, c) = make_lstm(fx)(x)
    close(out.data, fx["lstm_out"], "LSTM outputs (B, T, H)")
    close(h.data, fx["lstm_h"], "final h")
    close(c.data, fx["lstm_c"], "final c")


def test_lstm_gradients_match_fixture(fx):
    from minimodel.tensor import Tensor

    lstm = make_lstm(fx)
    lstm.zero_grad()
    (x,) = tensors(fx, "lstm_x", requires_grad=True)
    out, _ = lstm(x)
    (out * Tensor(fx["lstm_upstream"])).sum().backward()
    close(x.grad, fx["lstm_dx"], "gradient of the input x")
    close(lstm.w_ih.weight.grad, fx["lstm_dw_ih"], "gradient of w_ih.weight")
    close(lstm.w_ih.bias.grad, fx["lstm_db"], "gradient of w_ih.bias")
    close(lstm.w_hh.weight.grad, fx["lstm_dw_hh"], "gradient of w_hh.weight")



def test_a_fresh_lstm_starts_with_its_forget_gate_open():
    # The forget-gate bias starts at +1 (Gers et al. 2000): with zero input and state, f = sigmoid(1) and the
    # other gates sit at sigmoid(0) = 0.5, so a new cell keeps most of its memory from step to step.
    from minimodel.nn.rnn import LSTM
    from minimodel.tensor import Tensor

    lstm = LSTM(8, 16, rng=np.random.default_rng(0), dtype=np.float64)
    i, f, g, o = lstm.gates(Tensor(np.zeros((2, 8))), Tensor(np.zeros((2, 16))))
    close(f.data, np.full((2, 16), 1 / (1 + np.exp(-1.0))), "forget gate of a fresh LSTM on zeros (bias +1)")
    close(i.data, np.full((2, 16), 0.5), "input gate of a fresh LSTM on zeros (bias 0)")


def test_clipping_the_lstm_gradient_keeps_its_direction(fx):
    # RNN training clips the global norm of all gradients (Pascanu et al. 2013): one factor for every
    # parameter, so the step gets shorter and keeps its direction.
    from minimodel.schedule import clip_grad_norm
    from minimodel.tensor import Tensor

    lstm = make_lstm(fx)
    lstm.zero_grad()
    (x,) = tensors(fx, "lstm_x")
    out, _ = lstm(x)
    (out * Tensor(fx["lstm_upstream"])).sum().backward()
    raw = [fx["lstm_dw_ih"], fx["lstm_db"], fx["lstm_dw_hh"]]
    total = float(np.sqrt(sum((g * g).sum() for g in raw)))
    max_norm = total / 4
    clip_grad_norm(lstm.parameters(), max_norm)
    for name, param, g in zip(("w_ih.weight", "w_ih.bias", "w_hh.weight"),
                              (lstm.w_ih.weight, lstm.w_ih.bias, lstm.w_hh.weight), raw):
        close(param.grad, g * (max_norm / total), f"gradient of {name} after clip_grad_norm(max_norm = global norm / 4)")


@pytest.mark.parametrize("name", CONV_CASES)
def test_conv_padding(fx, name):
    got = tuple(int(v) for v in make_conv(fx, name).padding())
    k, d, causal = CONV_CASES[name]
    assert got == tuple(fx[f"conv_{name}_padding"]), (
        f"kernel {k}, dilation {d}, causal={causal}: padding {got}, expected {tuple(fx[f'conv_{name}_padding'])}")


@pytest.mark.parametrize("name", CONV_CASES)
def test_conv_matches_fixture(fx, name):
    (x,) = tensors(fx, f"conv_{name}_x")
    close(make_conv(fx, name)(x).data, fx[f"conv_{name}_out"], f"Conv1d output, case {name!r}")


@pytest.mark.parametrize("name", CONV_CASES)
def test_conv_gradients_match_fixture(fx, name):
    from minimodel.tensor import Tensor

    conv = make_conv(fx, name)
    conv.zero_grad()
    (x,) = tensors(fx, f"conv_{name}_x", requires_grad=True)
    (conv(x) * Tensor(fx[f"conv_{name}_upstream"])).sum().backward()
    close(x.grad, fx[f"conv_{name}_dx"], f"gradient of x, case {name!r}")
    close(conv.weight.grad, fx[f"conv_{name}_dw"], f"gradient of the weight, case {name!r}")
    close(conv.bias.grad, fx[f"conv_{name}_db"], f"gradient of the bias, case {name!r}")


@pytest.mark.parametrize("name", [n for n, (_, _, causal) in CONV_CASES.items() if causal])
def test_causal_conv_never_sees_the_future(fx, name):
    from minimodel.tensor import Tensor

    conv = make_conv(fx, name)
    x = fx[f"conv_{name}_x"]
    base = conv(Tensor(x)).data
    for t in range(x.shape[1] - 1):
        x2 = x.copy()
        x2[:, t + 1:] += 1.0
        assert np.allclose(conv(Tensor(x2)).data[:, : t + 1], base[:, : t + 1]), (
            f"case {name!r}: changing inputs after {t} changed an output at or before {t}")
