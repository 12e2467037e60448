"""Check for break 13-00: a tied LM head must produce exactly as many logits as its table has rows.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

# Test the learner's code: <workspace>/src (the cwd) goes first on the path, ahead of any
# `pythonpath` a pytest config file further up might add.
sys.path.insert(0, str(Path.cwd() / "src"))

import os
import subprocess

import numpy as np
import pytest

from minimodel import F
from minimodel.nn import Embedding, LMHead


def make_head(emb: Embedding):
    """Build a head tied to `emb`, whichever constructor the fix chose."""
    try:
        return LMHead(emb)
    except TypeError:
        pass
    # A head that still takes the size separately must at least refuse a size that disagrees
    # with the tied table; if it accepts one, that is the bug.
    try:
        head = LMHead(emb, vocab_size_out=emb.vocab_size // 2)
    except (ValueError, AssertionError):
        return LMHead(emb, vocab_size_out=emb.vocab_size)
    pytest.fail(
        f"LMHead accepted vocab_size_out={head.vocab_size_out} for an embedding with "
        f"{emb.vocab_size} rows; a tied head must take its vocabulary from the embedding"
    )


@pytest.mark.parametrize("vocab", [512, 256, 37])
def test_head_vocab_comes_from_the_tied_table(vocab):
    emb = Embedding(vocab, 8, rng=np.random.default_rng(0))
    head = make_head(emb)
    assert head.embedding.weight is emb.weight, "the head must reuse the embedding table (tied), not a copy"
    assert head.vocab_size_out == emb.vocab_size
    h = emb(np.array([[1, 2, 3]]))
    logits = head(h)
    assert logits.shape == (1, 3, vocab)
    # The loss with the head's declared number of classes must accept the head's logits.
    F.cross_entropy(logits, np.array([[0, 1, 2]]), num_classes=head.vocab_size_out)


def test_tied_lm_program_runs():
    src = str(Path.cwd() / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run(
        [sys.executable, "-m", "minimodel.programs.tied_lm", "--steps", "3"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert proc.returncode == 0, f"tied_lm crashed:\n{proc.stderr[-2000:]}"


def test_tied_lm_logits_match_the_head():
    from minimodel.programs import tied_lm

    model = tied_lm.TiedLM(rng=np.random.default_rng(0))
    assert model.head.embedding.weight is model.embed.weight
    assert model.head.vocab_size_out == model.embed.vocab_size
    x, y = next(tied_lm.batches(0))
    assert model(x).shape[-1] == model.head.vocab_size_out
