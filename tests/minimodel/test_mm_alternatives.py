"""RMSNorm, SwiGLU and RoPE (phase 16, page 05): gradients by finite differences, the properties the
papers rely on, and the config options that choose them (whose defaults keep the GPT-2 layout)."""

from __future__ import annotations

import numpy as np
import pytest
from fdcheck import check

from minimodel import Tensor
from minimodel.nn import (
    GPT, BlockConfig, FeedForward, GPTConfig, LayerNorm, MultiHeadAttention, RMSNorm, RoPE, SinusoidalPositions,
    SwiGLU, TransformerBlock, apply_rope, lm_loss,
)
from minimodel.nn.rope import rope_angles
from minimodel.nn.transformer import swiglu_hidden
from minimodel.programs.tiny_gpt import train

F64 = np.float64
rng = np.random.default_rng(16)


# --- RMSNorm ----------------------------------------------------------------------------


def test_rmsnorm_gradient():
    norm = RMSNorm(5, dtype=F64)
    norm.weight.data[...] = rng.normal(size=5)
    check(norm, rng.normal(size=(2, 3, 5)), params=[norm.weight])


def test_rmsnorm_value_is_x_over_its_rms():
    x = rng.normal(size=(3, 4, 6))
    norm = RMSNorm(6, eps=0.0, dtype=F64)
    norm.weight.data[...] = np.arange(1, 7)
    want = x / np.sqrt((x**2).mean(-1, keepdims=True)) * np.arange(1, 7)
    assert np.allclose(norm(Tensor(x)).data, want)
    assert np.allclose(np.sqrt((RMSNorm(6, eps=0.0, dtype=F64)(Tensor(x)).data ** 2).mean(-1)), 1.0)


def test_rmsnorm_equals_layernorm_only_on_zero_mean_vectors():
    x = rng.normal(size=(4, 8))
    centred = x - x.mean(-1, keepdims=True)
    ln, rms = LayerNorm(8, dtype=F64), RMSNorm(8, dtype=F64)
    assert np.allclose(ln(Tensor(centred)).data, rms(Tensor(centred)).data, atol=1e-12)
    shifted = centred + 3.0
    assert np.allclose(ln(Tensor(shifted)).data, ln(Tensor(centred)).data, atol=1e-6)  # LayerNorm removes a shift
    assert not np.allclose(rms(Tensor(shifted)).data, rms(Tensor(centred)).data, atol=1e-2)  # RMSNorm does not


def test_rmsnorm_has_half_the_parameters_of_layernorm():
    assert RMSNorm(64).num_parameters() == 64 and LayerNorm(64).num_parameters() == 128


def test_rmsnorm_never_mixes_positions():
    x = rng.normal(size=(2, 5, 4))
    y = x.copy()
    y[:, 3] += 10.0
    norm = RMSNorm(4, dtype=F64)
    a, b = norm(Tensor(x)).data, norm(Tensor(y)).data
    assert np.allclose(np.delete(a, 3, axis=1), np.delete(b, 3, axis=1))


# --- SwiGLU -----------------------------------------------------------------------------


def test_swiglu_gradient():
    ffn = SwiGLU(BlockConfig(6), rng=np.random.default_rng(7), dtype=F64)
    check(ffn, rng.normal(size=(2, 3, 6)), params=ffn.parameters(), entries=12)


def test_swiglu_value():
    ffn = SwiGLU(BlockConfig(4), rng=np.random.default_rng(8), dtype=F64, hidden=5)
    x = rng.normal(size=(3, 4))
    g, u = x @ ffn.gate.weight.data.T, x @ ffn.up.weight.data.T
    want = (g / (1 + np.exp(-g)) * u) @ ffn.down.weight.data.T
    assert np.allclose(ffn(Tensor(x)).data, want)


@pytest.mark.parametrize("d", [32, 64, 96, 768])
def test_swiglu_at_8d_over_3_has_the_weights_of_the_4d_ffn(d):
    h = swiglu_hidden(d)
    swiglu = SwiGLU(BlockConfig(d, 1)).num_parameters()
    gelu_weights = 2 * d * 4 * d  # FeedForward's two matrices, without its 4d + d biases
    assert swiglu == 3 * d * h
    assert FeedForward(BlockConfig(d, 1)).num_parameters() == gelu_weights + 5 * d
    assert abs(swiglu - gelu_weights) <= 3 * d  # rounding 8d/3 to an integer moves at most half a column of 3
    if d % 3 == 0:
        assert swiglu == gelu_weights


def test_swiglu_is_position_wise():
    ffn = SwiGLU(BlockConfig(4), rng=np.random.default_rng(9), dtype=F64)
    x = rng.normal(size=(1, 5, 4))
    out = ffn(Tensor(x)).data
    for t in range(5):
        assert np.allclose(out[0, t], ffn(Tensor(x[:, t : t + 1])).data[0, 0])


# --- RoPE -------------------------------------------------------------------------------


def test_rope_gradient_and_start():
    check(lambda x: apply_rope(x), rng.normal(size=(2, 3, 4, 6)))
    check(lambda x: apply_rope(x, start=5), rng.normal(size=(3, 4)))


def test_rope_rotates_each_pair_by_position_times_theta():
    d, T = 8, 5
    x = rng.normal(size=(T, d))
    out = apply_rope(Tensor(x)).data
    theta = 10000.0 ** (-np.arange(0, d, 2) / d)
    for t in range(T):
        for i in range(d // 2):
            c, s = np.cos(t * theta[i]), np.sin(t * theta[i])
            a, b = x[t, 2 * i], x[t, 2 * i + 1]
            assert np.allclose(out[t, 2 * i : 2 * i + 2], [a * c - b * s, a * s + b * c])
    assert np.allclose(out[0], x[0])  # position 0 is not turned
    assert np.allclose(np.linalg.norm(out, axis=-1), np.linalg.norm(x, axis=-1))  # rotations keep lengths
    assert np.allclose(rope_angles(T, d)[:, 0], np.arange(T))  # the fastest pair turns 1 radian a position


def test_rope_score_depends_only_on_the_offset():
    d = 16
    q, k = rng.normal(size=d), rng.normal(size=d)

    def score(m: int, n: int) -> float:
        seq = np.zeros((max(m, n) + 1, d))
        qs, ks = seq.copy(), seq.copy()
        qs[m], ks[n] = q, k
        return float(apply_rope(Tensor(qs)).data[m] @ apply_rope(Tensor(ks)).data[n])

    for off in (0, 1, 4, 9):
        scores = [score(m, m + off) for m in (0, 3, 11, 20)]
        assert np.allclose(scores, scores[0], atol=1e-12)
    assert not np.isclose(score(3, 7), score(3, 8))  # another offset, another score


def test_rope_start_offset_equals_the_slice_of_a_longer_sequence():
    """What a KV cache needs: rotating the last tokens on their own with start=s gives the rows
    that rotating the whole sequence gives."""
    x = rng.normal(size=(2, 2, 9, 6))
    whole = apply_rope(Tensor(x)).data
    assert np.allclose(apply_rope(Tensor(x[:, :, 6:]), start=6).data, whole[:, :, 6:])
    assert np.allclose(RoPE(6)(Tensor(x[:, :, 4:5]), start=4).data, whole[:, :, 4:5])


def test_rope_refuses_an_odd_head_size():
    with pytest.raises(ValueError, match="even"):
        RoPE(5)
    with pytest.raises(ValueError, match="even"):
        apply_rope(Tensor(np.zeros((2, 3))))


def test_attention_with_rope_gradient_and_offset():
    cfg = BlockConfig(8, 2, positions="rope")
    mha = MultiHeadAttention(cfg, rng=np.random.default_rng(3), dtype=F64)
    assert isinstance(mha.rope, RoPE) and mha.rope.d_head == 4
    check(mha, rng.normal(size=(2, 4, 8)), params=mha.parameters(), entries=10)
    # without the causal mask, a token attending to itself alone: start moves every q and k alike,
    # and the scores (hence the output) of one token do not change
    x = Tensor(rng.normal(size=(1, 1, 8)))
    assert np.allclose(mha(x).data, mha(x, start=7).data)
    plain = MultiHeadAttention(BlockConfig(8, 2), rng=np.random.default_rng(3), dtype=F64)
    assert plain.rope is None
    x4 = Tensor(rng.normal(size=(1, 4, 8)))
    assert not np.allclose(mha(x4).data, plain(x4).data)  # the same weights; the rotation changes the scores


# --- the config options -----------------------------------------------------------------


def test_defaults_are_the_gpt2_layout():
    c = GPTConfig(vocab_size=11)
    assert (c.norm, c.ffn, c.positions) == ("layernorm", "gelu", "learned")
    block = TransformerBlock(BlockConfig(8, 2), rng=np.random.default_rng(0))
    assert type(block.ln1) is LayerNorm and type(block.ln2) is LayerNorm and type(block.ffn) is FeedForward
    assert block.attn.rope is None
    model = GPT(GPTConfig(vocab_size=11, d_model=8, n_heads=2, block_size=6))
    assert type(model.ln_f) is LayerNorm and model.pos.weight.shape == (6, 8)


def test_options_build_the_alternatives():
    cfg = dict(vocab_size=11, d_model=8, n_heads=2, block_size=6)
    model = GPT(GPTConfig(**cfg, norm="rmsnorm", ffn="swiglu", positions="rope"))
    assert model.pos is None and type(model.ln_f) is RMSNorm
    for block in model.blocks:
        assert type(block.ln1) is RMSNorm and type(block.ln2) is RMSNorm and type(block.ffn) is SwiGLU
        assert isinstance(block.attn.rope, RoPE)
    assert not any(name.startswith("pos.") for name, _ in model.named_parameters())
    sin = GPT(GPTConfig(**cfg, positions="sinusoidal"))
    assert isinstance(sin.pos, SinusoidalPositions) and not sin.pos.parameters()


@pytest.mark.parametrize("field,value", [("norm", "batchnorm"), ("ffn", "relu"), ("positions", "alibi")])
def test_unknown_options_are_refused(field, value):
    with pytest.raises(ValueError, match=field):
        GPTConfig(vocab_size=11, **{field: value})
    with pytest.raises(ValueError, match=field):
        BlockConfig(**{field: value})


@pytest.mark.parametrize("positions", ["sinusoidal", "rope"])
def test_positions_make_the_model_see_order(positions):
    """Without a causal mask, attention alone is permutation-equivariant; the positions break that."""
    block = TransformerBlock(BlockConfig(8, 2, causal=False, positions=positions), rng=np.random.default_rng(1),
                             dtype=F64)
    x = rng.normal(size=(1, 5, 8))
    perm = np.array([3, 0, 4, 1, 2])
    if positions == "sinusoidal":
        pe = SinusoidalPositions(5, 8)
        a, b = block(pe(Tensor(x[:, perm]))).data, block(pe(Tensor(x))).data[:, perm]
    else:
        a, b = block(Tensor(x[:, perm])).data, block(Tensor(x)).data[:, perm]
    assert not np.allclose(a, b)
    none = TransformerBlock(BlockConfig(8, 2, causal=False), rng=np.random.default_rng(1), dtype=F64)
    assert np.allclose(none(Tensor(x[:, perm])).data, none(Tensor(x)).data[:, perm])


def test_every_variant_trains_and_gets_gradients_everywhere():
    for kw in (dict(norm="rmsnorm"), dict(ffn="swiglu"), dict(positions="rope"), dict(positions="sinusoidal"),
               dict(norm="rmsnorm", ffn="swiglu", positions="rope")):
        model = GPT(GPTConfig(vocab_size=256, block_size=16, d_model=16, n_layers=1, n_heads=2, **kw))
        window = np.random.default_rng(0).integers(0, 256, size=(2, 17))
        lm_loss(model, window).backward()
        assert all(p.grad is not None and np.abs(p.grad).sum() > 0 for p in model.parameters()), kw
        losses = train(model, 15, echo=False)
        assert losses[-1] < losses[0] - 0.5, kw


def test_gpt_gradient_with_all_three():
    model = GPT(GPTConfig(vocab_size=7, block_size=4, d_model=4, n_layers=1, n_heads=1,
                          norm="rmsnorm", ffn="swiglu", positions="rope"), dtype=F64)
    window = np.random.default_rng(2).integers(0, 7, size=(2, 5))
    check(lambda: lm_loss(model, window), params=model.parameters(), entries=6)
