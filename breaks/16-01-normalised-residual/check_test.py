"""Check for break 16-01: a pre-norm block adds each sub-layer to the UNnormalised residual stream.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np

from minimodel.nn.config import BlockConfig
from minimodel.nn.transformer import TransformerBlock
from minimodel.tensor import Tensor, no_grad


def make_block(seed=0):
    return TransformerBlock(BlockConfig(d_model=8, n_heads=2), rng=np.random.default_rng(seed), dtype=np.float64)


def test_block_with_silent_sublayers_is_the_identity():
    block = make_block()
    for layer in (block.attn.proj, block.ffn.down):
        layer.weight.data[...] = 0.0
        layer.bias.data[...] = 0.0
    x = np.random.default_rng(1).normal(0.0, 0.1, size=(2, 5, 8))
    with no_grad():
        y = block(Tensor(x)).data
    np.testing.assert_allclose(y, x, atol=1e-12, err_msg="sub-layers that output 0 must leave the stream unchanged")


def test_block_is_x_plus_attn_plus_ffn():
    block = make_block(2)
    x = np.random.default_rng(3).normal(size=(2, 5, 8))
    with no_grad():
        y = block(Tensor(x)).data
        h = x + block.attn(block.ln1(Tensor(x))).data
        expected = h + block.ffn(block.ln2(Tensor(h))).data
    np.testing.assert_allclose(y, expected, rtol=1e-7, atol=1e-9)
