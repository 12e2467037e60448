"""The BPE tokenizer, sampling and the training helpers."""

import math

import numpy as np
import pytest

from minimodel import Parameter
from minimodel.bpe import BPETokenizer
from minimodel.data import load_corpus
from minimodel.nn import GPT, GPTConfig
from minimodel.sample import generate, probabilities, sample_next, top_k_filter
from minimodel.schedule import clip_grad_norm, grad_norm, warmup_cosine


@pytest.fixture(scope="module")
def tok():
    return BPETokenizer.train(load_corpus(), 320)


def test_bpe_round_trips_and_compresses(tok):
    text = load_corpus()
    ids = tok.encode(text)
    assert tok.decode(ids) == text
    assert tok.vocab_size == 320 and ids.max() < 320
    assert len(ids) < 0.6 * len(text.encode())  # merges shorten the sequence
    for unseen in ["Zebra quagga 1234!", "señal — ünïcode ✓", "", "   \n\t"]:
        assert tok.decode(tok.encode(unseen)) == unseen


def test_bpe_is_deterministic_and_merges_the_most_frequent_pair_first(tok):
    again = BPETokenizer.train(load_corpus(), 320)
    assert again.merges == tok.merges
    from collections import Counter

    from minimodel.bpe import _chunks

    pairs = Counter()
    for chunk in _chunks(load_corpus()):
        pairs.update(zip(chunk, chunk[1:]))
    assert tok.merges[0] == max(pairs, key=lambda p: (pairs[p], -p[0], -p[1]))
    assert tok.pieces[256] == bytes(tok.merges[0])


def test_bpe_merges_stop_when_no_pair_repeats():
    small = BPETokenizer.train("abab", 300)
    assert small.merges == [(97, 98)] and small.encode("abab").tolist() == [256, 256]
    with pytest.raises(ValueError):
        BPETokenizer.train("x", 100)


def test_sampling_rules():
    logits = np.array([1.0, 3.0, 2.0, -1.0])
    rng = np.random.default_rng(0)
    assert sample_next(logits, rng, greedy=True) == 1
    assert np.isfinite(top_k_filter(logits, 2)).tolist() == [False, True, True, False]
    assert top_k_filter(logits, 10).tolist() == logits.tolist()
    cold, hot = probabilities(logits, 0.1), probabilities(logits, 10.0)
    assert cold.max() > 0.99 and hot.max() < 0.35 and abs(hot.sum() - 1) < 1e-12
    with pytest.raises(ValueError):
        probabilities(logits, 0.0)
    draws = [sample_next(logits, rng) for _ in range(4000)]
    freq = np.bincount(draws, minlength=4) / 4000
    np.testing.assert_allclose(freq, probabilities(logits), atol=0.03)


def test_generate_is_seeded_and_crops_to_block_size():
    model = GPT(GPTConfig(vocab_size=11, block_size=4, d_model=8, n_layers=1, n_heads=2))
    a = generate(model, [1, 2, 3], 10, seed=5)
    b = generate(model, [1, 2, 3], 10, seed=5)
    assert a.tolist() == b.tolist() and len(a) == 13 and a[:3].tolist() == [1, 2, 3]
    assert model.training  # generate restores the mode it found
    greedy = generate(model, [1], 6, greedy=True)
    assert greedy.tolist() == generate(model, [1], 6, top_k=1, seed=9).tolist()


def test_clip_grad_norm():
    a, b = Parameter(np.zeros(3)), Parameter(np.zeros(4))
    a.grad, b.grad = np.array([3.0, 0.0, 0.0]), np.array([0.0, 4.0, 0.0, 0.0])
    assert clip_grad_norm([a, b], 10.0) == pytest.approx(5.0)
    assert a.grad.tolist() == [3.0, 0.0, 0.0]  # short gradients are left alone
    assert clip_grad_norm([a, b], 1.0) == pytest.approx(5.0)
    assert grad_norm([a, b]) == pytest.approx(1.0)
    np.testing.assert_allclose(a.grad, [0.6, 0, 0])  # same direction, length 1
    np.testing.assert_allclose(b.grad, [0, 0.8, 0, 0])


def test_warmup_cosine():
    lrs = [warmup_cosine(s, 100, 1.0, warmup_steps=10, lr_min=0.1) for s in range(101)]
    assert lrs[0] == pytest.approx(0.1) and lrs[9] == pytest.approx(1.0)
    assert lrs[10] == pytest.approx(1.0) and lrs[100] == pytest.approx(0.1)
    assert lrs[55] == pytest.approx(0.1 + 0.45 * (1 + math.cos(math.pi * 0.5)))
    assert all(x >= y for x, y in zip(lrs[10:], lrs[11:]))
