"""Check for break 13-02: an untrained tied LM must start near the uniform-guess loss ln(V).

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

# Test the learner's code: <workspace>/src (the cwd) goes first on the path, ahead of any
# `pythonpath` a pytest config file further up might add.
sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel import F, no_grad
from minimodel.nn import Embedding, LMHead


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_untrained_tied_lm_starts_near_ln_v(seed):
    from minimodel.programs import tied_lm

    loss = tied_lm.initial_loss(seed)
    assert abs(loss - np.log(tied_lm.MODEL_VOCAB)) < 0.5, (
        f"first loss {loss:.2f} but ln({tied_lm.MODEL_VOCAB}) = {np.log(tied_lm.MODEL_VOCAB):.2f}: "
        "an untrained model should be about as unsure as a uniform guess"
    )


def test_tied_logits_start_small():
    rng = np.random.default_rng(3)
    emb = Embedding(256, 32, rng=rng)
    head = LMHead(emb)
    ids = rng.integers(0, 256, size=(4, 16))
    with no_grad():
        logits = head(emb(ids))
        loss = F.cross_entropy(logits, rng.integers(0, 256, size=(4, 16))).item()
    assert logits.data.std() < 1.0, f"logit std at init is {logits.data.std():.2f}; tied logits should start near 0"
    assert abs(loss - np.log(256)) < 0.5
