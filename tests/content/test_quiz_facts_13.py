"""Every fact and number the phase-13 quiz states, computed by minimodel (the course's own code).

Each test reads the claim from the quiz YAML and checks it against a computation, so the
quiz and the code cannot drift apart silently.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import yaml

from minimodel.nn import Embedding, LMHead
from minimodel.optim import AdamW
from minimodel.programs import tied_lm
from minimodel.programs.embedding_grad import embedding_grad, onehot_grad
from minimodel.tensor import no_grad
from kit import QUIZ_FILE, REPO


@pytest.fixture(scope="module")
def quiz() -> dict[str, dict]:
    data = yaml.safe_load((REPO / QUIZ_FILE).read_text(encoding="utf-8"))
    return {q["id"]: q for q in data["questions"]}


def correct(q: dict) -> list[str]:
    return [o["text"]["en"] for o in q["options"] if o.get("correct")]


def effective_rank(E: np.ndarray) -> float:
    """exp(entropy) of the normalized singular values: the definition q-13-08 states (Roy & Vetterli 2007)."""
    s = np.linalg.svd(E, compute_uv=False)
    s = s[s > 1e-12 * s.max()]
    p = s / s.sum()
    return float(np.exp(-(p * np.log(p)).sum()))


def test_q01_lookup_is_onehot_matmul(quiz: dict) -> None:
    assert correct(quiz["q-13-01"]) == ["`x_t @ E`"]
    emb = Embedding(10, 3, rng=np.random.default_rng(0), dtype=np.float64)
    for t in range(10):
        x_t = np.eye(10)[t]
        np.testing.assert_array_equal(x_t @ emb.weight.data, emb(np.array([t])).data[0])
    with pytest.raises(ValueError):
        emb.weight.data @ np.eye(10)[0]  # `E @ x_t`: shapes (10, 3) @ (10,) do not match


def test_q02_tying_stores_one_table(quiz: dict) -> None:
    model = tied_lm.TiedLM()
    V, d = model.embed.weight.shape
    mix = model.mix.num_parameters()
    assert model.num_parameters() == V * d + mix, "one (V, d) table, counted once"
    assert model.head.weight is model.embed.weight
    assert model.head.vocab_size_out == V
    assert "instead of two" in correct(quiz["q-13-02"])[0]


def test_q04_logits_shape_follows_the_table(quiz: dict) -> None:
    q = quiz["q-13-04"]
    assert "from 512 to 256" in q["prompt"]["en"] and "`(4, 8)`" in q["prompt"]["en"] and "d_model = 32" in q["prompt"]["en"]
    emb = Embedding(512, 32, rng=np.random.default_rng(0))
    head = LMHead(emb)
    ids = np.random.default_rng(1).integers(0, 256, size=(4, 8))  # the smaller tokenizer's ids
    with no_grad():
        logits = head(emb(ids))
    assert correct(q) == [f"`{tuple(logits.shape)}`"] == ["`(4, 8, 512)`"]


def test_q05_only_looked_up_rows_get_gradient(quiz: dict) -> None:
    assert correct(quiz["q-13-05"]) == ["Exactly `B` rows"]
    rng = np.random.default_rng(0)
    emb = Embedding(50, 8, rng=rng, dtype=np.float64)
    ids = rng.choice(50, size=6, replace=False)  # B = 6 distinct tokens
    grad = embedding_grad(emb, ids, rng.normal(size=(6, 8)))
    assert set(np.flatnonzero(np.abs(grad).sum(axis=1))) == set(ids.tolist())


def test_q06_repeated_token_gets_the_sum(quiz: dict) -> None:
    assert correct(quiz["q-13-06"])[0].startswith("The sum of the 3 gradients")
    rng = np.random.default_rng(0)
    emb = Embedding(8, 4, rng=rng, dtype=np.float64)
    ids = np.array([5, 2, 5, 5, 1])
    upstream = rng.normal(size=(5, 4))
    grad = embedding_grad(emb, ids, upstream)
    np.testing.assert_allclose(grad[5], upstream[[0, 2, 3]].sum(axis=0))
    np.testing.assert_allclose(grad, onehot_grad(8, ids, upstream))


def test_q07_tied_head_sends_gradient_to_every_row(quiz: dict) -> None:
    assert correct(quiz["q-13-07"]) == ["All 512 rows"]
    model = tied_lm.TiedLM(rng=np.random.default_rng(0))
    assert model.embed.weight.shape[0] == 512
    x, y = next(tied_lm.batches(0))
    assert x.max() < 256, "the byte tokenizer never produces ids 256..511"
    tied_lm.loss_of(model, x, y).backward()
    assert int((np.abs(model.embed.weight.grad).sum(axis=1) > 0).sum()) == 512


def test_q08_q10_effective_rank_facts(quiz: dict) -> None:
    assert "exp(-Σ p_i ln p_i)" in quiz["q-13-08"]["prompt"]["en"] and correct(quiz["q-13-08"]) == ["`k`"]
    rng = np.random.default_rng(0)
    V, d = 40, 12
    for k in (1, 3, 7, 12):  # k equal non-zero singular values -> r_eff = k
        U, _ = np.linalg.qr(rng.normal(size=(V, k)))
        W, _ = np.linalg.qr(rng.normal(size=(d, k)))
        assert effective_rank(2.5 * U @ W.T) == pytest.approx(k)
    E = rng.normal(size=(V, d))
    assert effective_rank(E) <= min(V, d)  # q-13-10 b
    assert effective_rank(1000.0 * E) == pytest.approx(effective_rank(E))  # q-13-10 a: scale cancels
    assert effective_rank(np.tile(rng.normal(size=d), (V, 1))) == pytest.approx(1.0)  # q-13-10 c
    assert len(correct(quiz["q-13-10"])) == 3 and "always gives a larger" not in " ".join(correct(quiz["q-13-10"]))


def test_q11_init_scale_and_first_loss(quiz: dict) -> None:
    q = quiz["q-13-11"]
    assert "ln 512 ≈ 6.24" in q["prompt"]["en"] and "N(0, 0.02²)" in q["prompt"]["en"]
    assert f"{math.log(512):.2f}" == "6.24"
    model = tied_lm.TiedLM(rng=np.random.default_rng(0))
    assert model.embed.weight.shape == (512, 32)
    assert model.embed.weight.data.std() == pytest.approx(0.02, rel=0.05)
    assert tied_lm.initial_loss(0) == pytest.approx(math.log(512), abs=0.05)
    # The same model with init std 1.0: the first loss starts well above ln 512.
    model.embed.weight.data *= 1.0 / 0.02
    x, y = next(tied_lm.batches(0))
    with no_grad():
        big = tied_lm.loss_of(model, x, y).item()
    assert big > 2 * math.log(512)
    assert correct(q)[0].startswith("It starts well above `ln 512`")


def test_q12_decoupled_decay_shrinks_every_row(quiz: dict) -> None:
    assert correct(quiz["q-13-12"])[0].startswith("Every row")
    rng = np.random.default_rng(0)
    emb = Embedding(20, 4, rng=rng, dtype=np.float64)
    before = emb.weight.data.copy()
    lr, wd = 0.1, 0.5
    opt = AdamW(emb.parameters(), lr=lr, weight_decay=wd)
    ids = np.array([3, 7, 11])  # B = 3 distinct tokens
    embedding_grad(emb, ids, rng.normal(size=(3, 4)))
    opt.step()
    after = emb.weight.data
    others = np.setdiff1d(np.arange(20), ids)
    np.testing.assert_allclose(after[others], before[others] * (1 - lr * wd))
    assert not np.allclose(after[ids], before[ids] * (1 - lr * wd)), "batch rows also take an Adam step"
    # minimodel's AdamW is dense: in a step on other tokens, the first batch's rows (zero gradient now,
    # non-zero momentum) still move by more than the decay; rows never looked up only decay.
    again = after.copy()
    ids2 = np.array([1, 2])
    embedding_grad(emb, ids2, rng.normal(size=(2, 4)))
    opt.step()
    never = np.setdiff1d(others, ids2)
    np.testing.assert_allclose(emb.weight.data[never], again[never] * (1 - lr * wd))
    assert not np.allclose(emb.weight.data[ids], again[ids] * (1 - lr * wd)), "momentum moves the earlier rows"
    assert "momentum left from earlier steps" in correct(quiz["q-13-12"])[0]
