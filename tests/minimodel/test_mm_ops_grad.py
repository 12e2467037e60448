"""Finite-difference gradients (float64) of every new op and layer."""

import numpy as np
import pytest

from fdcheck import check
from minimodel import Tensor
from minimodel.nn import (
    GELU, GPT, LSTM, RNN, AdditiveScores, BlockConfig, Conv1d, Dropout, FeedForward, GPTConfig, LayerNorm,
    MultiHeadAttention, TransformerBlock, causal_mask, gelu, lm_loss, scaled_dot_product_attention,
)
from minimodel.ops import concat, masked_fill, stack, swap_last

rng = np.random.default_rng(7)
F64 = np.float64


def test_stack_concat_masked_fill_swap():
    check(lambda a, b: stack([a, b * 2.0, a], axis=1), rng.normal(size=(2, 3)), rng.normal(size=(2, 3)))
    check(lambda a, b: concat([a, b, a], axis=1), rng.normal(size=(2, 1, 3)), rng.normal(size=(2, 4, 3)))
    mask = rng.random((3, 4)) > 0.5
    check(lambda a: masked_fill(a, mask, -5.0) * a, rng.normal(size=(2, 3, 4)))
    check(lambda a: swap_last(a) @ a, rng.normal(size=(2, 3, 4)))


def test_masked_fill_values():
    x = Tensor(np.arange(4.0))
    assert masked_fill(x, np.array([True, False, True, False]), -np.inf).data.tolist() == [-np.inf, 1.0, -np.inf, 3.0]


def test_gelu_gradient_and_values():
    check(gelu, rng.normal(0, 2, size=(3, 5)))
    x = np.array([-3.0, 0.0, 3.0])
    y = GELU()(Tensor(x)).data
    assert y[1] == 0.0 and abs(y[0]) < 0.01 and abs(y[2] - 3.0) < 0.01


def test_dropout_gradient_with_a_fixed_mask():
    x = rng.normal(size=(4, 6))
    check(lambda a: Dropout(0.3, seed=5)(a), x)  # a fresh layer per call: the same mask every time


def test_layernorm_gradient():
    ln = LayerNorm(5, dtype=F64)
    ln.weight.data[...] = rng.normal(size=5)
    ln.bias.data[...] = rng.normal(size=5)
    check(ln, rng.normal(size=(2, 3, 5)), params=[ln.weight, ln.bias])


def test_rnn_and_lstm_gradients():
    rnn = RNN(3, 4, rng=np.random.default_rng(0), dtype=F64)
    check(lambda x: rnn(x)[0], rng.normal(size=(2, 5, 3)), params=rnn.parameters())
    lstm = LSTM(3, 4, rng=np.random.default_rng(1), dtype=F64)
    check(lambda x: lstm(x)[0], rng.normal(size=(2, 5, 3)), params=lstm.parameters())
    check(lambda x: lstm(x)[1][1], rng.normal(size=(2, 4, 3)))  # through the final cell state


@pytest.mark.parametrize("k,d,causal", [(2, 1, True), (3, 2, True), (3, 1, False), (4, 2, False)])
def test_conv1d_gradient(k, d, causal):
    conv = Conv1d(3, 2, kernel_size=k, dilation=d, causal=causal, rng=np.random.default_rng(k), dtype=F64)
    check(conv, rng.normal(size=(2, 7, 3)), params=conv.parameters())


def test_attention_gradients():
    q, k, v = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 5, 2))
    check(lambda q, k, v: scaled_dot_product_attention(q, k, v)[0], q, k, v)
    qc, kc, vc = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 2))
    check(lambda q, k, v: scaled_dot_product_attention(q, k, v, causal_mask(4))[0], qc, kc, vc)
    add = AdditiveScores(3, 3, 4, rng=np.random.default_rng(2), dtype=F64)
    check(add, q, k, params=add.parameters())


def test_multihead_ffn_block_gradients():
    mha = MultiHeadAttention(BlockConfig(6, 2), rng=np.random.default_rng(3), dtype=F64)
    check(mha, rng.normal(size=(2, 4, 6)), params=mha.parameters(), entries=10)
    ffn = FeedForward(BlockConfig(6), rng=np.random.default_rng(4), dtype=F64)
    check(ffn, rng.normal(size=(2, 3, 6)), params=ffn.parameters(), entries=10)
    block = TransformerBlock(BlockConfig(6, 3), rng=np.random.default_rng(5), dtype=F64)
    check(block, rng.normal(size=(2, 4, 6)), params=block.parameters(), entries=6)


def test_gpt_loss_gradient():
    model = GPT(GPTConfig(vocab_size=7, block_size=5, d_model=6, n_layers=2, n_heads=2, seed=3), dtype=F64)
    window = np.random.default_rng(0).integers(0, 7, size=(2, 6))

    def loss(_dummy):
        return lm_loss(model, window) + _dummy.sum() * 0.0

    check(loss, np.zeros(1), params=model.parameters(), entries=5)
