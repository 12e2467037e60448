"""Check for break 16-00: LayerNorm normalises each position's feature vector on its own.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.nn.norm import LayerNorm
from minimodel.tensor import Tensor, no_grad


def reference(x, gain, bias, eps):
    mu = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * gain + bias


@pytest.mark.parametrize("shape", [(4, 6), (2, 5, 6), (3, 1, 6), (2, 2, 3, 6)])
def test_matches_per_vector_normalisation(shape):
    rng = np.random.default_rng(len(shape))
    ln = LayerNorm(6, dtype=np.float64)
    ln.weight.data[...] = rng.normal(size=6)
    ln.bias.data[...] = rng.normal(size=6)
    x = rng.normal(1.0, 2.0, size=shape)
    with no_grad():
        y = ln(Tensor(x)).data
    np.testing.assert_allclose(y, reference(x, ln.weight.data, ln.bias.data, ln.eps), rtol=1e-7, atol=1e-9)


def test_positions_do_not_mix():
    rng = np.random.default_rng(0)
    ln = LayerNorm(8, dtype=np.float64)
    x = rng.normal(size=(2, 5, 8))
    with no_grad():
        base = ln(Tensor(x)).data
        x2 = x.copy()
        x2[:, 4] = rng.normal(size=(2, 8))
        moved = ln(Tensor(x2)).data
    assert np.allclose(moved[:, :4], base[:, :4]), "changing position 4 changed the LayerNorm output at earlier positions"
