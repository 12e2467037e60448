"""Check for break 17-01: top-k sampling keeps the k MOST likely tokens.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.sample import probabilities, sample_next, top_k_filter


@pytest.mark.parametrize("k", [1, 3, 7])
def test_filter_keeps_the_k_largest(k):
    logits = np.random.default_rng(k).normal(size=20)
    kept = np.flatnonzero(np.isfinite(top_k_filter(logits, k)))
    assert sorted(kept) == sorted(np.argsort(-logits)[:k]), (
        f"top_k_filter(k={k}) kept ids {sorted(kept)}, but the {k} largest logits are at {sorted(np.argsort(-logits)[:k])}"
    )


def test_samples_come_from_the_top_k():
    logits = np.array([0.1, 3.0, -2.0, 2.5, 0.0, -1.0, 2.8])
    allowed = {1, 6, 3}
    rng = np.random.default_rng(0)
    drawn = {sample_next(logits, rng, temperature=1.0, top_k=3) for _ in range(300)}
    assert drawn <= allowed, f"top_k=3 sampled {sorted(drawn - allowed)}, which are not among the 3 most likely {sorted(allowed)}"
    p = probabilities(logits, top_k=3)
    assert abs(p.sum() - 1.0) < 1e-12 and set(np.flatnonzero(p)) == allowed


def test_top_1_is_greedy():
    rng = np.random.default_rng(1)
    for _ in range(20):
        logits = rng.normal(size=9)
        assert sample_next(logits, rng, top_k=1) == int(np.argmax(logits))
