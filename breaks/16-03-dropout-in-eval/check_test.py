"""Check for break 16-03: in eval mode Dropout is the identity; in training it still drops and rescales.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.nn.config import BlockConfig
from minimodel.nn.dropout import Dropout
from minimodel.nn.transformer import TransformerBlock
from minimodel.tensor import Tensor, no_grad


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_eval_mode_is_the_identity(p):
    drop = Dropout(p, seed=0).eval()
    x = np.random.default_rng(0).normal(size=(4, 16, 8)).astype(np.float32)
    np.testing.assert_array_equal(drop(Tensor(x)).data, x, err_msg=f"Dropout({p}) in eval mode changed its input")


def test_training_mode_still_drops_and_rescales():
    drop = Dropout(0.25, seed=0)
    out = drop(Tensor(np.ones((200, 200), dtype=np.float64))).data
    assert set(np.unique(out)) == {0.0, 1.0 / 0.75}, "in training each value is 0 or 1/(1-p)"
    assert abs((out == 0).mean() - 0.25) < 0.01, "in training about p of the values are zeroed"


def test_an_evaluated_block_is_deterministic():
    block = TransformerBlock(BlockConfig(d_model=16, n_heads=2, dropout=0.3), rng=np.random.default_rng(0),
                             dtype=np.float64).eval()
    x = Tensor(np.random.default_rng(1).normal(size=(2, 6, 16)))
    with no_grad():
        a, b = block(x).data, block(x).data
    assert np.array_equal(a, b), f"the same input gave outputs {np.abs(a - b).max():.4f} apart after block.eval()"
