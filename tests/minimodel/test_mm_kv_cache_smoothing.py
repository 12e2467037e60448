"""The KV cache (same logits and tokens as reading the whole context), label smoothing (value, gradient,
the default untouched) and the FLOP accounting of phase 17, page 06."""

import numpy as np
import pytest

from minimodel import F, Tensor
from minimodel.accounting import GPT2_SMALL, MINI_GPT, gpt_parameters, training_flops
from minimodel.gradcheck import check_gradients as check
from minimodel.nn.gpt import GPT, GPTConfig
from minimodel.nn.attention import MultiHeadAttention
from minimodel.nn.kv_cache import KVCache, forward
from minimodel.sample import generate
from minimodel.tensor import no_grad

CONFIG = GPTConfig(vocab_size=40, block_size=10, d_model=16, n_heads=4, n_layers=3, seed=3)


def _model(dtype=np.float64) -> GPT:
    m = GPT(CONFIG, dtype=dtype)
    m.eval()
    return m


@pytest.mark.parametrize("options", [{}, {"positions": "sinusoidal"}, {"positions": "rope"},
                                     {"positions": "rope", "norm": "rmsnorm", "ffn": "swiglu"}],
                         ids=["learned", "sinusoidal", "rope", "rope-rmsnorm-swiglu"])
def test_cached_logits_match_one_pass_over_the_sequence(options):
    """Every positions option: learned and sinusoidal rows offset by the cache, RoPE rotating at len(cache)."""
    import dataclasses

    model = GPT(dataclasses.replace(CONFIG, **options), dtype=np.float64)
    model.eval()
    ids = np.random.default_rng(0).integers(0, CONFIG.vocab_size, size=(2, CONFIG.block_size))
    with no_grad():
        full = model(ids).data
        cache = KVCache.empty(CONFIG.n_layers)
        parts = [forward(model, ids[:, :3], cache).data]  # a prompt of 3, then one token at a time
        parts += [forward(model, ids[:, t:t + 1], cache).data for t in range(3, CONFIG.block_size)]
    assert len(cache) == CONFIG.block_size
    np.testing.assert_allclose(np.concatenate(parts, axis=1), full, rtol=0, atol=1e-12)
    assert all(type(block.attn) is MultiHeadAttention for block in model.blocks)  # put back after each call


def test_the_cache_holds_keys_per_layer_and_positions_start_after_it():
    model = _model()
    cache = KVCache.empty(CONFIG.n_layers)
    with no_grad():
        forward(model, np.array([[1, 2, 3, 4]]), cache)
        one = forward(model, np.array([[5]]), cache).data[0, -1]
        alone = model(np.array([[5]])).data[0, -1]  # position 0, no past: a different prediction
    d_head = CONFIG.d_model // CONFIG.n_heads
    assert [layer.keys.shape for layer in cache.layers] == [(1, CONFIG.n_heads, 5, d_head)] * CONFIG.n_layers
    assert not np.allclose(one, alone)
    with pytest.raises(ValueError, match="exceed block_size"):
        forward(model, np.ones((1, CONFIG.block_size), dtype=np.int64), cache)
    with pytest.raises(ValueError, match="layer caches"):
        forward(model, np.array([[1]]), KVCache.empty(CONFIG.n_layers - 1))


@pytest.mark.parametrize("how", [dict(greedy=True), dict(temperature=0.9, top_k=8, seed=5)])
def test_generation_with_and_without_the_cache_gives_the_same_tokens(how):
    # 25 new tokens from a prompt of 3 run past block_size 10: the window slides and the cache starts over.
    model = _model(np.float32)
    plain = generate(model, [1, 2, 3], 25, **how)
    cached = generate(model, [1, 2, 3], 25, use_cache=True, **how)
    assert len(plain) == 28
    np.testing.assert_array_equal(plain, cached)


def test_the_kv_cache_lab_counts_quadratic_against_linear():
    from minimodel.labs.kv_cache import run

    res = run()
    steps = res["steps"]
    assert res["same_tokens"] and res["largest_logit_gap"] < 1e-5
    assert steps[-1]["no_cache"]["context"] == steps[-1]["cache"]["context"] == MINI_GPT.block_size
    heads_blocks = MINI_GPT.n_heads * MINI_GPT.n_layers
    for row in steps[1:]:  # after the prefill: c^2 scores without the cache, c with it
        c = row["no_cache"]["context"]
        assert row["no_cache"]["scores"] == c * c * heads_blocks
        assert row["cache"]["scores"] == c * heads_blocks
    assert steps[0]["no_cache"] == steps[0]["cache"]  # the first step reads the prompt either way


def test_label_smoothing_value_gradient_and_default():
    rng = np.random.default_rng(4)
    logits = rng.normal(size=(3, 4, 7))
    targets = rng.integers(0, 7, size=(3, 4))
    eps = 0.2
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    q = np.full(logits.shape, eps / 7) + (1 - eps) * np.eye(7)[targets]
    assert F.cross_entropy(Tensor(logits), targets, label_smoothing=eps).item() == pytest.approx(-(q * logp).sum(-1).mean())
    check(lambda x: F.cross_entropy(x, targets, label_smoothing=eps), logits)
    plain = F.cross_entropy(Tensor(logits), targets).item()
    assert F.cross_entropy(Tensor(logits), targets, label_smoothing=0.0).item() == plain
    with pytest.raises(ValueError, match="label_smoothing"):
        F.cross_entropy(Tensor(logits), targets, label_smoothing=1.5)


def test_label_smoothing_minimum_is_the_entropy_of_the_smoothed_target():
    V, eps = 384, 0.1
    q = np.full(V, eps / V)
    q[0] += 1 - eps
    x = Tensor(np.log(q)[None], requires_grad=True)  # the best prediction is the smoothed target itself
    loss = F.cross_entropy(x, [0], label_smoothing=eps)
    loss.backward()
    assert loss.item() == pytest.approx(-(q * np.log(q)).sum())
    assert np.abs(x.grad).max() < 1e-12  # a minimum: softmax(x) - q = 0
    sharper = Tensor(np.log(q)[None] + 5 * np.eye(V)[0])  # more confident than q: worse
    assert F.cross_entropy(sharper, [0], label_smoothing=eps).item() > loss.item()


def test_training_flops_follow_the_parameter_count():
    assert MINI_GPT.n_layers == 2 and gpt_parameters(MINI_GPT).total == GPT(MINI_GPT).num_parameters()
    for config in (MINI_GPT, GPT2_SMALL):
        f, p = training_flops(config), gpt_parameters(config)
        assert f.non_embedding == p.blocks + p.final_norm
        assert f.six_n == 6 * f.non_embedding
        assert f.with_attention - f.six_n == 6 * config.n_layers * config.block_size * config.d_model
        assert f.total - f.with_attention == 6 * config.d_model * config.vocab_size
