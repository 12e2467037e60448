"""The claims the flashcards make, recomputed with the course's own code (minimodel) and NumPy.

Each test names the card it pins and checks that the card still says what the code shows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lynx.content import deck

REPO = Path(__file__).resolve().parents[2]
CARDS = {c.id: c for c in deck.load(REPO)}


def says(cid: str, *phrases: str) -> None:
    back = CARDS[cid].back["en"]
    for p in phrases:
        assert p in back, f"{cid} no longer says {p!r}"


def test_lookup_is_a_one_hot_matmul():  # c-13-01, c-13-02
    from minimodel.nn.embedding import Embedding

    emb = Embedding(50, 8, rng=np.random.default_rng(0), dtype=np.float64)
    for i in (0, 7, 49):
        one_hot = np.eye(50)[i]
        np.testing.assert_array_equal(one_hot @ emb.weight.data, emb(np.array([i])).data[0])
    says("c-13-01", "row i of E")


def test_only_looked_up_rows_get_a_gradient_and_repeats_accumulate():  # c-13-07, c-13-08
    from minimodel.nn.embedding import Embedding

    emb = Embedding(20, 4, rng=np.random.default_rng(1), dtype=np.float64)
    ids = np.array([3, 5, 3, 11])  # B = 4 lookups, 3 distinct tokens, one repeated
    emb(ids).sum().backward()
    touched = np.flatnonzero(np.abs(emb.weight.grad).sum(axis=1))
    assert list(touched) == [3, 5, 11] and len(touched) <= len(ids)
    assert np.allclose(emb.weight.grad[3], 2.0)  # two occurrences, two contributions
    buffered = np.zeros((20, 4))
    buffered[ids] += np.ones((4, 4))  # the wrong way: keeps one of the repeats
    assert np.allclose(buffered[3], 1.0)
    says("c-13-07", "At most B")
    says("c-13-08", "np.add.at")


def test_effective_rank_bounds():  # c-13-09, c-13-10
    from minimodel.metrics import effective_rank

    V, d = 12, 5
    q, _ = np.linalg.qr(np.random.default_rng(2).normal(size=(V, d)))  # orthonormal columns: equal singular values
    assert effective_rank(q) == pytest.approx(min(V, d))
    assert effective_rank(np.outer(np.arange(1, V + 1), np.ones(d))) == pytest.approx(1.0)
    says("c-13-10", "min(V, d)", "it is 1")


def test_decoupled_decay_shrinks_unused_rows():  # c-13-13
    from minimodel.nn.embedding import Embedding
    from minimodel.optim import AdamW

    emb = Embedding(10, 4, rng=np.random.default_rng(3), dtype=np.float64)
    lr, wd = 0.01, 0.1
    opt = AdamW(emb.parameters(), lr=lr, weight_decay=wd)
    unused = emb.weight.data[9].copy()
    for _ in range(3):
        opt.zero_grad()
        emb(np.array([0, 1, 2])).sum().backward()
        opt.step()
    np.testing.assert_allclose(emb.weight.data[9], unused * (1 - lr * wd) ** 3)
    says("c-13-13", "(1 − lr·λ)")


def test_dot_products_have_variance_d_k_and_scaling_restores_one():  # c-15-06, c-15-07
    rng = np.random.default_rng(4)
    for d_k in (16, 256):
        q, k = rng.normal(size=(20000, d_k)), rng.normal(size=(20000, d_k))
        dots = (q * k).sum(axis=1)
        assert dots.var() == pytest.approx(d_k, rel=0.05)
        assert (dots / np.sqrt(d_k)).var() == pytest.approx(1.0, rel=0.05)
    # Unscaled scores over 16 keys: the softmax is far peakier at large d_k.
    def peak(d_k: int, scale: bool) -> float:
        q, k = rng.normal(size=(500, 1, d_k)), rng.normal(size=(500, 16, d_k))
        s = (q * k).sum(-1) / (np.sqrt(d_k) if scale else 1.0)
        p = np.exp(s - s.max(-1, keepdims=True))
        return float((p / p.sum(-1, keepdims=True)).max(-1).mean())
    assert peak(512, scale=False) > 0.9 > 0.5 > peak(512, scale=True)
    says("c-15-06", "variance d_k")


def test_self_attention_without_positions_ignores_order():  # c-16-02
    rng = np.random.default_rng(5)
    X = rng.normal(size=(6, 8))
    Wq, Wk, Wv = (rng.normal(size=(8, 8)) for _ in range(3))

    def attend(X):
        s = (X @ Wq) @ (X @ Wk).T / np.sqrt(8)
        p = np.exp(s - s.max(1, keepdims=True))
        return (p / p.sum(1, keepdims=True)) @ (X @ Wv)

    perm = rng.permutation(6)
    np.testing.assert_allclose(attend(X[perm]), attend(X)[perm], atol=1e-12)
    says("c-16-02", "permuting the tokens just permutes the outputs")


def test_sinusoidal_encoding_shifts_linearly():  # c-16-09
    d, k = 16, 5
    pos = np.arange(64)[:, None]
    freq = 1.0 / 10000 ** (np.arange(0, d, 2) / d)
    pe = np.zeros((64, d))
    pe[:, 0::2], pe[:, 1::2] = np.sin(pos * freq), np.cos(pos * freq)
    M = np.zeros((d, d))  # one 2x2 rotation per frequency, the same for every position
    for j, w in enumerate(freq):
        c, s = np.cos(k * w), np.sin(k * w)
        M[2 * j:2 * j + 2, 2 * j:2 * j + 2] = [[c, -s], [s, c]]
    np.testing.assert_allclose(pe[k:] , pe[:-k] @ M, atol=1e-9)
    says("c-16-09", "linear function")


def test_base_model_arithmetic():  # c-15-11, c-16-07, c-16-04
    d_model, h, d_ff = 512, 8, 2048
    assert d_model // h == 64 and d_ff == 4 * d_model
    says("c-15-11", "d_k = d_v = 512 / 8 = 64")
    says("c-16-07", "d_ff = 2048 = 4 · d_model")


def test_parameter_count_is_12_n_d_squared():  # c-17-04
    for d, n in ((64, 2), (768, 12)):
        d_attn, d_ff = d, 4 * d
        per_block = 4 * d * d_attn + 2 * d * d_ff  # W_Q, W_K, W_V, W_O; the FFN's two matrices
        assert n * per_block == 2 * d * n * (2 * d_attn + d_ff) == 12 * n * d * d
    says("c-17-04", "12·n_layer·d²")


def test_warmup_schedule_peaks_at_warmup():  # c-16-12
    d_model, warmup = 512, 4000
    steps = np.arange(1, 20001)
    lr = d_model ** -0.5 * np.minimum(steps ** -0.5, steps * warmup ** -1.5)
    assert steps[lr.argmax()] == warmup
    assert np.allclose(np.diff(lr[: warmup - 1]), np.diff(lr[: warmup - 1]).mean())  # linear rise
    says("c-16-12", "peaks at step = warmup")


def test_attention_cost_crossover():  # c-16-10
    d = 512
    assert all((N * N * d < N * d * d) == (N < d) for N in (64, 511, 512, 513, 4096))
    says("c-16-10", "whenever N < d")


def test_uniform_logits_give_a_loss_of_ln_v():  # c-13-14
    for V in (256, 512):
        logits = np.zeros((4, V))
        logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        assert -logp[:, 7].mean() == pytest.approx(np.log(V))
    says("c-13-14", "About ln V")


def test_causal_mask_keeps_the_diagonal_and_hides_the_future():  # c-15-16
    T = 5
    keep = np.tril(np.ones((T, T), dtype=bool), k=0)
    assert all(keep[i, j] == (j <= i) for i in range(T) for j in range(T))
    rng = np.random.default_rng(6)
    X = rng.normal(size=(T, 4))

    def attend(X):
        s = np.where(keep, X @ X.T, -np.inf)
        p = np.exp(s - s.max(1, keepdims=True))
        return (p / p.sum(1, keepdims=True)) @ X

    Y = X.copy()
    Y[3] += 1.0  # change a future token: outputs 0..2 must not move
    np.testing.assert_allclose(attend(X)[:3], attend(Y)[:3])
    says("c-15-16", "np.tril with k=0")


def test_top_k_and_temperature_with_minimodel_sampling():  # c-17-12, c-17-13
    from minimodel.sample import probabilities, top_k_filter

    logits = np.array([0.1, 2.0, -1.0, 3.0, 0.5])
    kept = top_k_filter(logits, 2)
    assert set(np.flatnonzero(np.isfinite(kept))) == {1, 3}
    assert set(np.argsort(logits)[-2:]) == {1, 3} and set(np.argsort(logits)[:2]) == {0, 2}  # the wrong end
    assert np.argmax(probabilities(logits, top_k=1)) == np.argmax(logits)  # k = 1 is greedy
    says("c-17-12", "last k indices", "k = 1")
    cold, hot = probabilities(logits, temperature=0.05), probabilities(logits, temperature=100.0)
    assert cold.max() > 0.99 and np.argmax(cold) == np.argmax(logits)
    assert np.allclose(hot, 1 / len(logits), atol=0.01)
    says("c-17-13", "greedy argmax", "towards uniform")


def test_vanishing_gradient_through_tanh_steps():  # c-14-09
    rng = np.random.default_rng(7)
    d = 16
    W = rng.normal(size=(d, d))
    W *= 0.9 / np.linalg.norm(W, 2)  # largest singular value 0.9 < 1
    h = np.tanh(rng.normal(size=(50, d)))
    J = np.eye(d)
    norms = []
    for t in range(50):  # ∂h_T/∂h_k as a product of per-step Jacobians
        J = J @ (np.diag(1 - h[t] ** 2) @ W.T)
        norms.append(np.linalg.norm(J, 2))
    assert all(n <= 0.9 ** (i + 1) + 1e-12 for i, n in enumerate(norms))
    says("c-14-09", "diag(1 − h_t²) W_hhᵀ")


def test_a_fully_masked_row_is_nan():  # c-15-17
    T = 4
    scores = np.where(np.triu(np.ones((T, T), dtype=bool), k=0), -np.inf, 0.0)  # diagonal masked too
    with np.errstate(invalid="ignore"):
        e = np.exp(scores - scores.max(1, keepdims=True))
        p = e / e.sum(1, keepdims=True)
    assert np.isnan(p[0]).all() and not np.isnan(p[1:]).any()
    says("c-15-17", "0/0")


def test_normalising_over_time_leaks_the_future():  # c-16-17
    from minimodel.nn.norm import LayerNorm

    rng = np.random.default_rng(8)
    x = rng.normal(size=(6, 8))
    y = x.copy()
    y[5] += 3.0  # change the last token only
    over_time = lambda a: (a - a.mean(0)) / a.std(0)  # noqa: E731
    assert not np.allclose(over_time(x)[:5], over_time(y)[:5])  # earlier outputs moved: a leak
    ln = LayerNorm(8)
    np.testing.assert_allclose(ln(x).data[:5], ln(y).data[:5])  # per token: no leak
    says("c-16-17", "future leaks into the past")


def test_adamw_decay_is_the_same_for_every_weight():  # c-17-14
    from minimodel.module import Parameter
    from minimodel.optim import AdamW

    p = Parameter(np.array([1.0, 1.0]))
    opt = AdamW([p], lr=0.1, weight_decay=0.5)
    p.grad = np.array([0.0, 0.0])
    opt.step()
    np.testing.assert_allclose(p.data, [0.95, 0.95])  # θ ← θ − lr·λ·θ, with or without gradient
    says("c-17-14", "θ ← θ − lr·λ·θ")


def test_byte_level_vocabulary():  # c-17-15
    from minimodel.data import ByteTokenizer

    assert ByteTokenizer.vocab_size == 256 == len(set(bytes(range(256))))
    says("c-17-15", "256 + M")
