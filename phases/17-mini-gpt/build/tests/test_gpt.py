"""The validator of build challenge 17: the GPT forward pass, the LM loss, top-k / temperature sampling, and one
AdamW step through them (weight decay on the matrices only).

Fixtures (fixtures/gpt.npz, float64) were computed with plain NumPy by make_fixtures.py.
Tolerances: rtol 1e-5, atol 1e-6.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import close, make_gpt


def test_forward_matches_fixture(fx):
    close(make_gpt(fx)(fx["ids"]).data, fx["logits"], "GPT logits (B, T, V)")


def test_forward_refuses_a_context_longer_than_block_size(fx):
    with pytest.raises(ValueError):
        make_gpt(fx)(np.zeros((1, 7), dtype=np.int64))


def test_lm_loss_matches_fixture(fx):
    from minimodel.nn.gpt import lm_loss

    loss = lm_loss(make_gpt(fx), fx["window"]).item()
    assert abs(loss - float(fx["loss"])) < 1e-6, f"lm_loss = {loss:.6f}, expected {float(fx['loss']):.6f}"


def test_no_causal_leak(fx):
    model = make_gpt(fx)
    ids = fx["ids"]
    base = model(ids).data
    for t in range(ids.shape[1] - 1):
        changed = ids.copy()
        changed[:, t + 1:] = (changed[:, t + 1:] + 1) % 11
        assert np.allclose(model(changed).data[:, : t + 1], base[:, : t + 1]), (
            f"changing tokens after position {t} changed the logits at or before {t}")


def test_initial_loss_is_about_ln_v():
    from minimodel.nn.gpt import GPT, GPTConfig, lm_loss

    model = GPT(GPTConfig(vocab_size=200, block_size=8, d_model=32, n_layers=2, n_heads=4, seed=1), dtype=np.float64)
    window = np.random.default_rng(0).integers(0, 200, size=(8, 9))
    loss = lm_loss(model, window).item()
    assert abs(loss - np.log(200)) < 0.05, f"an untrained model should score about ln 200 = {np.log(200):.3f}, got {loss:.3f}"


def test_the_head_trains_the_token_table(fx):
    from minimodel.nn.gpt import lm_loss

    model = make_gpt(fx)
    model.zero_grad()
    window = np.zeros((1, 4), dtype=np.int64)  # only token 0 is ever read
    lm_loss(model, window).backward()
    grad = model.tok.weight.grad
    assert grad is not None, "no gradient reached the token table"
    assert np.abs(grad[5]).sum() > 0, "token 5 never appears in the input, yet the tied head must push its row"


def test_greedy_generation_matches_fixture(fx):
    from minimodel.sample import generate

    out = generate(make_gpt(fx), np.array([3, 1]), 10, greedy=True)
    assert out.tolist() == fx["greedy"].tolist(), f"greedy continuation {out.tolist()}, expected {fx['greedy'].tolist()}"


@pytest.mark.parametrize("k", [1, 3, 7])
def test_top_k_filter_matches_fixture(fx, k):
    from minimodel.sample import top_k_filter

    got = np.asarray(top_k_filter(fx["sample_logits"], k))
    assert np.array_equal(np.isfinite(got), np.isfinite(fx[f"topk_{k}"])), f"top_k_filter(k={k}) kept the wrong tokens"
    close(np.where(np.isfinite(got), got, 0.0), np.where(np.isfinite(fx[f"topk_{k}"]), fx[f"topk_{k}"], 0.0),
          f"kept logits, k={k}")


@pytest.mark.parametrize("t,k", [(1.0, 0), (0.5, 0), (2.0, 5), (0.7, 3)])
def test_probabilities_match_fixture(fx, t, k):
    from minimodel.sample import probabilities

    close(probabilities(fx["sample_logits"], t, k or None), fx[f"probs_t{t}_k{k}"], f"probabilities(T={t}, top_k={k or None})")


def test_top_k_samples_stay_in_the_top_k(fx):
    from minimodel.sample import sample_next

    z = fx["sample_logits"]
    allowed = set(np.argsort(z)[-3:].tolist())
    rng = np.random.default_rng(0)
    drawn = {sample_next(z, rng, temperature=1.5, top_k=3) for _ in range(300)}
    assert drawn <= allowed, f"top_k=3 drew {sorted(drawn - allowed)}, outside the 3 most likely {sorted(allowed)}"


def test_bad_arguments_are_refused():
    from minimodel.sample import probabilities, top_k_filter

    with pytest.raises(ValueError):
        probabilities(np.zeros(4), temperature=0.0)
    with pytest.raises(ValueError):
        top_k_filter(np.zeros(4), 0)


def test_one_adamw_step_decays_the_matrices_only(fx):
    """configure_optimizer on your model: after one step from your loss's gradient g, every parameter is
    p (1 - lr wd) - lr g / (|g| + eps) (Adam's first step, bias-corrected), with wd = 0.1 for the matrices
    and 0 for the LayerNorm gains and the biases."""
    from minimodel.nn.gpt import configure_optimizer, lm_loss

    lr, wd, eps = 1e-2, 0.1, 1e-8
    model = make_gpt(fx)
    opt = configure_optimizer(model, lr=lr, weight_decay=wd)
    opt.zero_grad()
    lm_loss(model, fx["window"]).backward()
    before = {name: (p.data.copy(), p.grad.copy()) for name, p in model.named_parameters()}
    opt.step()
    for name, p in model.named_parameters():
        data, g = before[name]
        decay = wd if p.ndim >= 2 else 0.0
        close(p.data, data * (1 - lr * decay) - lr * g / (np.abs(g) + eps), f"{name} after one AdamW step")
