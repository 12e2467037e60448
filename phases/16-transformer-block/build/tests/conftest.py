"""Shared by the phase 16 validator: fixtures and adapters that load fixed weights into the learner's layers.

The tests run with the workspace's src/ on PYTHONPATH, so `minimodel` is the learner's own package.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "block.npz"
LN_CASES = ("rows", "sequence", "one_token")
RTOL, ATOL = 1e-5, 1e-6


@pytest.fixture(scope="session")
def fx() -> dict[str, np.ndarray]:
    with np.load(FIXTURES) as data:
        return {k: data[k] for k in data.files}


def close(actual, expected, what: str) -> None:
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, expected {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL, err_msg=what)


def make_layernorm(gain, bias):
    from minimodel.nn.norm import LayerNorm

    ln = LayerNorm(len(gain), dtype=np.float64)
    ln.weight.data[...] = gain
    ln.bias.data[...] = bias
    return ln


def make_block(fx, dropout: float = 0.0):
    """The learner's TransformerBlock (d_model 8, 2 heads, causal) holding the fixture's weights."""
    from minimodel.nn.config import BlockConfig
    from minimodel.nn.transformer import TransformerBlock

    block = TransformerBlock(BlockConfig(d_model=8, n_heads=2, dropout=dropout, causal=True), rng=np.random.default_rng(0), dtype=np.float64)
    pairs = {
        "ln1_gain": block.ln1.weight, "ln1_bias": block.ln1.bias, "ln2_gain": block.ln2.weight, "ln2_bias": block.ln2.bias,
        "qkv_w": block.attn.qkv.weight, "qkv_b": block.attn.qkv.bias, "proj_w": block.attn.proj.weight,
        "proj_b": block.attn.proj.bias, "up_w": block.ffn.up.weight, "up_b": block.ffn.up.bias,
        "down_w": block.ffn.down.weight, "down_b": block.ffn.down.bias,
    }
    for key, param in pairs.items():
        param.data[...] = fx[f"block_{key}"]
    return block
