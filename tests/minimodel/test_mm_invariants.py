"""Invariants of the phase 14-17 layers: causality, tying, initial loss, normalisation, positions."""

import numpy as np
import pytest

from minimodel import Tensor, no_grad
from minimodel.data import random_windows
from minimodel.nn import (
    GPT, LSTM, RNN, BlockConfig, Conv1d, Dropout, GPTConfig, LayerNorm, MultiHeadAttention, SinusoidalPositions,
    TransformerBlock, causal_mask, lm_loss, sinusoidal_positions,
)
from minimodel.optim import configure_optimizer, decay_groups


def small_gpt(vocab=13, seed=0, **kw):
    cfg = dict(vocab_size=vocab, block_size=8, d_model=16, n_layers=2, n_heads=4, seed=seed)
    cfg.update(kw)
    return GPT(GPTConfig(**cfg), dtype=np.float64)


@pytest.mark.parametrize("t", range(7))
def test_gpt_has_no_causal_leak(t):
    model = small_gpt()
    ids = np.random.default_rng(0).integers(0, 13, size=(2, 8))
    with no_grad():
        base = model(ids).data
        changed = ids.copy()
        changed[:, t + 1:] = (changed[:, t + 1:] + 5) % 13  # every later token is different
        out = model(changed).data
    np.testing.assert_array_equal(out[:, : t + 1], base[:, : t + 1])
    assert not np.allclose(out[:, t + 1], base[:, t + 1])  # and the change is visible where it may be


def test_non_causal_attention_does_see_the_future():
    mha = MultiHeadAttention(BlockConfig(8, 2, causal=False), rng=np.random.default_rng(0), dtype=np.float64)
    x = np.random.default_rng(1).normal(size=(1, 4, 8))
    x2 = x.copy()
    x2[0, 3] += 1.0
    with no_grad():
        assert not np.allclose(mha(Tensor(x)).data[0, 0], mha(Tensor(x2)).data[0, 0])


def test_attention_weights_rows_sum_to_one_and_respect_the_mask():
    mha = MultiHeadAttention(BlockConfig(8, 2), rng=np.random.default_rng(0), dtype=np.float64)
    _, w = mha(Tensor(np.random.default_rng(1).normal(size=(2, 5, 8))), return_weights=True)
    assert w.shape == (2, 2, 5, 5)
    np.testing.assert_allclose(w.data.sum(-1), 1.0)
    assert np.all(w.data[..., ~causal_mask(5)] == 0.0)


def test_tied_head_is_the_token_embedding_object():
    model = small_gpt()
    assert model.head.weight is model.tok.weight
    names = [n for n, _ in model.named_parameters()]
    assert names.count("tok.weight") == 1 and not any(n.startswith("head.") for n in names)
    assert sum(p is model.tok.weight for p in model.parameters()) == 1
    # A step through the optimizer changes both ends at once, because they are one array.
    opt = configure_optimizer(model, lr=1e-2)
    loss = lm_loss(model, np.random.default_rng(0).integers(0, 13, size=(2, 9)))
    loss.backward()
    before = model.tok.weight.data.copy()
    opt.step()
    assert not np.allclose(model.head.weight.data, before)


@pytest.mark.parametrize("vocab", [64, 300, 1000])
def test_initial_loss_is_close_to_ln_v(vocab):
    model = small_gpt(vocab=vocab, d_model=32)
    window = np.random.default_rng(1).integers(0, vocab, size=(8, 9))
    with no_grad():
        loss = lm_loss(model, window).item()
    assert abs(loss - np.log(vocab)) < 0.05, f"initial loss {loss:.4f}, ln V = {np.log(vocab):.4f}"


def test_gpt_rejects_a_context_longer_than_block_size():
    with pytest.raises(ValueError, match="block_size"):
        small_gpt()(np.zeros((1, 9), dtype=np.int64))


def test_decay_groups_split_matrices_from_vectors():
    model = small_gpt()
    decay, no_decay = decay_groups(model)
    assert any(p is model.tok.weight for p in decay), "the (tied) embedding is decayed"
    assert all(p.ndim >= 2 for p in decay) and all(p.ndim == 1 for p in no_decay)
    assert any(p is model.ln_f.weight for p in no_decay) and any(p is model.blocks[0].ln1.bias for p in no_decay)
    assert len(decay) + len(no_decay) == len(model.parameters())
    opt = configure_optimizer(model, weight_decay=0.1)
    assert [o.weight_decay for o in opt.optimizers] == [0.1, 0.0]
    opt.lr = 0.5
    assert all(o.lr == 0.5 for o in opt.optimizers)


def test_layernorm_statistics_and_position_independence():
    ln = LayerNorm(16, dtype=np.float64)
    x = np.random.default_rng(0).normal(3.0, 5.0, size=(2, 7, 16))
    y = ln(Tensor(x)).data
    np.testing.assert_allclose(y.mean(-1), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.var(-1), 1.0, rtol=1e-4)
    np.testing.assert_allclose(ln(Tensor(x[:, 3:4])).data, y[:, 3:4])  # one position alone gives the same output


def test_pre_norm_block_is_identity_when_sublayers_are_silent():
    block = TransformerBlock(BlockConfig(8, 2), rng=np.random.default_rng(0), dtype=np.float64)
    for layer in (block.attn.proj, block.ffn.down):
        layer.weight.data[...] = 0.0
        layer.bias.data[...] = 0.0
    x = np.random.default_rng(1).normal(size=(2, 3, 8))
    np.testing.assert_array_equal(block(Tensor(x)).data, x)


def test_sinusoidal_positions():
    pe = sinusoidal_positions(50, 16)
    assert pe.shape == (50, 16) and np.abs(pe).max() <= 1.0
    np.testing.assert_allclose(pe[0, 0::2], 0.0)
    np.testing.assert_allclose(pe[0, 1::2], 1.0)
    # A shift by k is the same rotation of each (sin, cos) pair for every position p.
    k = 3
    freqs = 1.0 / 10000.0 ** (np.arange(0, 16, 2) / 16)
    for p in (0, 7, 20):
        for i, w in enumerate(freqs):
            s, c = pe[p, 2 * i], pe[p, 2 * i + 1]
            rot = np.array([[np.cos(k * w), np.sin(k * w)], [-np.sin(k * w), np.cos(k * w)]])
            np.testing.assert_allclose(rot @ np.array([s, c]), pe[p + k, 2 * i:2 * i + 2], atol=1e-12)
    x = Tensor(np.zeros((2, 5, 16)))
    np.testing.assert_allclose(SinusoidalPositions(10, 16)(x).data[1], pe[:5])
    with pytest.raises(ValueError):
        SinusoidalPositions(4, 16)(x)


def test_dilated_causal_stack_receptive_field():
    convs = [Conv1d(1, 1, 2, dilation=d, rng=np.random.default_rng(d), dtype=np.float64) for d in (1, 2, 4, 8)]
    for c in convs:
        c.weight.data[...] = 1.0
    x = np.zeros((1, 40, 1))
    x[0, 10] = 1.0
    y = Tensor(x)
    for c in convs:
        y = c(y)
    reached = np.flatnonzero(np.abs(y.data[0, :, 0]) > 1e-12)
    assert reached.min() == 10 and reached.max() == 10 + 15  # 1 + (2-1)(1+2+4+8) = 16 steps
    assert sum(c.receptive_field - 1 for c in convs) + 1 == 16


def test_noncausal_conv_is_centred():
    conv = Conv1d(1, 1, 3, causal=False, rng=np.random.default_rng(0), dtype=np.float64)
    assert conv.padding() == (1, 1)
    assert conv(Tensor(np.zeros((1, 6, 1)))).shape == (1, 6, 1)


def test_rnn_gradient_vanishes_over_time():
    """d h_T / d x_0 shrinks as T grows when the recurrent weights are small (Bengio et al. 1994)."""
    rnn = RNN(2, 8, rng=np.random.default_rng(0), dtype=np.float64)
    rnn.w_hh.weight.data *= 0.5
    norms = []
    for T in (2, 10, 30):
        x = Tensor(np.random.default_rng(1).normal(size=(1, T, 2)), requires_grad=True)
        _, h = rnn(x)
        h.sum().backward()
        norms.append(np.linalg.norm(x.grad[0, 0]))
    assert norms[0] > 10 * norms[1] > 100 * norms[2]


def test_lstm_forget_bias_and_shapes():
    lstm = LSTM(3, 5, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(lstm.w_ih.bias.data[5:10], 1.0)
    out, (h, c) = lstm(Tensor(np.zeros((2, 4, 3), dtype=np.float32)))
    assert out.shape == (2, 4, 5) and h.shape == c.shape == (2, 5)
    np.testing.assert_array_equal(out.data[:, -1], h.data)


def test_dropout_is_seeded_scaled_and_off_in_eval():
    x = Tensor(np.ones((200, 50)))
    a, b = Dropout(0.2, seed=3)(x).data, Dropout(0.2, seed=3)(x).data
    np.testing.assert_array_equal(a, b)
    assert set(np.unique(a)) == {0.0, 1.25} and abs(a.mean() - 1.0) < 0.02
    d = Dropout(0.2)
    d.eval()
    assert d(x) is x
    with pytest.raises(ValueError):
        Dropout(1.0)


def test_random_windows_are_slices_of_the_stream():
    ids = np.arange(100)
    w = random_windows(ids, 5, 9, np.random.default_rng(0))
    assert w.shape == (5, 9) and np.all(np.diff(w, axis=1) == 1)
