"""The validator of build challenge 16: LayerNorm, the feed-forward layer, the pre-norm block, sinusoidal positions.

Fixtures (fixtures/block.npz, float64) were computed with plain NumPy by make_fixtures.py.
Tolerances: rtol 1e-5, atol 1e-6.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import LN_CASES, close, make_block, make_layernorm


@pytest.mark.parametrize("case", LN_CASES)
def test_layernorm_matches_fixture(fx, case):
    from minimodel.tensor import Tensor

    ln = make_layernorm(fx[f"ln_{case}_gain"], fx[f"ln_{case}_bias"])
    close(ln(Tensor(fx[f"ln_{case}_x"])).data, fx[f"ln_{case}_out"], f"LayerNorm output, case {case!r}")


@pytest.mark.parametrize("case", LN_CASES)
def test_layernorm_gradients_match_fixture(fx, case):
    from minimodel.tensor import Tensor

    ln = make_layernorm(fx[f"ln_{case}_gain"], fx[f"ln_{case}_bias"])
    x = Tensor(fx[f"ln_{case}_x"].copy(), requires_grad=True)
    (ln(x) * Tensor(fx[f"ln_{case}_upstream"])).sum().backward()
    close(x.grad, fx[f"ln_{case}_dx"], f"gradient of the input, case {case!r}")
    close(ln.weight.grad, fx[f"ln_{case}_dgain"], f"gradient of the gain, case {case!r}")
    close(ln.bias.grad, fx[f"ln_{case}_dbias"], f"gradient of the bias, case {case!r}")


def test_layernorm_never_mixes_positions(fx):
    from minimodel.tensor import Tensor

    ln = make_layernorm(fx["ln_sequence_gain"], fx["ln_sequence_bias"])
    x = fx["ln_sequence_x"]
    x2 = x.copy()
    x2[:, -1] = np.random.default_rng(0).normal(size=x2[:, -1].shape)
    a, b = ln(Tensor(x)).data, ln(Tensor(x2)).data
    assert np.allclose(a[:, :-1], b[:, :-1]), "changing the last position changed LayerNorm's output at other positions"


def test_feed_forward_matches_fixture(fx):
    from minimodel.tensor import Tensor

    block = make_block(fx)
    close(block.ffn(Tensor(fx["block_x"])).data, fx["ffn_out"], "FeedForward output")


def test_block_matches_fixture(fx):
    from minimodel.tensor import Tensor

    close(make_block(fx)(Tensor(fx["block_x"])).data, fx["block_out"], "TransformerBlock output (pre-norm, causal)")


def test_block_in_eval_mode_ignores_its_dropout(fx):
    # Dropout acts only in training (Srivastava et al. 2014): after eval() a block built with dropout 0.5
    # gives exactly the output of the same weights without dropout, call after call.
    from minimodel.tensor import Tensor

    block = make_block(fx, dropout=0.5).eval()
    for call in range(2):
        close(block(Tensor(fx["block_x"])).data, fx["block_out"],
              f"TransformerBlock(dropout=0.5) after eval(), call {call + 1}")

def test_block_with_silent_sublayers_is_the_identity(fx):
    from minimodel.tensor import Tensor

    block = make_block(fx)
    for layer in (block.attn.proj, block.ffn.down):
        layer.weight.data[...] = 0.0
        layer.bias.data[...] = 0.0
    x = fx["block_x"] * 0.1
    close(block(Tensor(x)).data, x, "a block whose sub-layers output 0 must return its input unchanged")


def test_block_has_no_causal_leak(fx):
    from minimodel.tensor import Tensor

    block = make_block(fx)
    x = fx["block_x"]
    base = block(Tensor(x)).data
    for t in range(x.shape[1] - 1):
        x2 = x.copy()
        x2[:, t + 1:] = np.random.default_rng(t).normal(size=x2[:, t + 1:].shape)
        assert np.allclose(block(Tensor(x2)).data[:, : t + 1], base[:, : t + 1]), (
            f"changing positions after {t} changed the block's output at or before {t}")


def test_block_gradient_reaches_every_parameter(fx):
    from minimodel.tensor import Tensor

    block = make_block(fx)
    block.zero_grad()
    block(Tensor(fx["block_x"].copy(), requires_grad=True)).sum().backward()
    for name, p in block.named_parameters():
        assert p.grad is not None and np.abs(p.grad).sum() > 0, f"{name} got no gradient"


@pytest.mark.parametrize("n,d", [(10, 8), (50, 16)])
def test_sinusoidal_positions_match_fixture(fx, n, d):
    from minimodel.nn.transformer import sinusoidal_positions

    close(sinusoidal_positions(n, d), fx[f"pe_{n}_{d}"], f"sinusoidal_positions({n}, {d})")


def test_sinusoidal_module_adds_the_table(fx):
    from minimodel.nn.transformer import SinusoidalPositions
    from minimodel.tensor import Tensor

    x = np.ones((2, 7, 8))
    close(SinusoidalPositions(10, 8)(Tensor(x)).data, x + fx["pe_10_8"][:7], "SinusoidalPositions adds PE[:T]")
