"""Corpus, tokenizers, batches, and the observation programs run as `lynx run` runs them."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import minimodel
from minimodel.data import CORPUS_PATH, ByteTokenizer, WordTokenizer, cbow_batch, load_corpus, next_token_batch

SRC = Path(minimodel.__file__).resolve().parents[1]


def test_corpus_ships_inside_the_package():
    assert CORPUS_PATH.parent == Path(minimodel.__file__).parent
    text = load_corpus()
    assert len(text) > 3000 and text.isascii()


def test_byte_tokenizer_round_trip():
    tok = ByteTokenizer()
    ids = tok.encode("the lynx ñ")
    assert tok.vocab_size == 256 and ids.dtype == np.int64 and ids.max() < 256
    assert tok.decode(ids) == "the lynx ñ"


def test_word_tokenizer_has_a_fixed_vocab():
    tok = WordTokenizer(load_corpus(), vocab_size=64)
    ids = tok.encode(load_corpus())
    assert tok.vocab_size == 64 and ids.max() < 64
    assert tok.words[0] == "<unk>" and tok.words[1] == "the"
    assert tok.encode("the zebra")[1] == 0  # unknown word
    assert tok.decode(tok.encode("the river")) == "the river"


def test_next_token_batches_are_shifted_and_seeded():
    ids = ByteTokenizer().encode(load_corpus())
    x, y = next_token_batch(ids, 4, 8, np.random.default_rng(3))
    assert x.shape == y.shape == (4, 8)
    np.testing.assert_array_equal(x[:, 1:], y[:, :-1])
    x2, _ = next_token_batch(ids, 4, 8, np.random.default_rng(3))
    np.testing.assert_array_equal(x, x2)
    with pytest.raises(ValueError):
        next_token_batch(ids[:5], 1, 8, np.random.default_rng(0))


def test_cbow_batches():
    ids = np.arange(100)
    ctx, target = cbow_batch(ids, 5, 2, np.random.default_rng(0))
    assert ctx.shape == (5, 4) and target.shape == (5,)
    np.testing.assert_array_equal(ctx, target[:, None] + np.array([-2, -1, 1, 2]))


def test_untrained_tied_lm_starts_near_ln_v():
    from minimodel.programs import tied_lm

    for seed in (0, 1, 2):
        assert tied_lm.initial_loss(seed) == pytest.approx(np.log(tied_lm.MODEL_VOCAB), abs=0.02)


def run_program(name, *args):
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", f"minimodel.programs.{name}", *args],
        capture_output=True, text=True, env=env, cwd=SRC.parent, timeout=120,
    )


def test_tied_lm_program_trains():
    proc = run_program("tied_lm", "--steps", "30")
    assert proc.returncode == 0, proc.stderr
    assert "logits.shape                 : (8, 16, 512)" in proc.stdout
    assert "head.vocab_size_out          : 512" in proc.stdout
    losses = [float(line.split()[-1]) for line in proc.stdout.splitlines() if line.startswith("step ")]
    assert len(losses) == 30
    assert losses[0] == pytest.approx(np.log(512), abs=0.02)
    assert losses[-1] < losses[0] - 2.0


def test_embedding_grad_program_agrees_with_onehot():
    proc = run_program("embedding_grad")
    assert proc.returncode == 0, proc.stderr
    line = next(l for l in proc.stdout.splitlines() if l.startswith("max |backward - onehot^T G|"))
    assert float(line.split()[-1]) < 1e-10
    from minimodel.programs import embedding_grad

    assert embedding_grad.main([]) < 1e-12
