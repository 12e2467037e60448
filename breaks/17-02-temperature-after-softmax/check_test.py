"""Check for break 17-02: temperature divides the logits before the softmax.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.sample import probabilities


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


@pytest.mark.parametrize("t", [0.25, 0.5, 2.0, 5.0])
def test_probabilities_are_the_softmax_of_logits_over_t(t):
    logits = np.random.default_rng(3).normal(size=12) * 2
    np.testing.assert_allclose(probabilities(logits, temperature=t), softmax(logits / t), rtol=1e-10, atol=1e-15)


def test_cold_is_sharper_and_hot_is_flatter():
    logits = np.array([2.0, 1.0, 0.5, -1.0])
    top = {t: probabilities(logits, temperature=t).max() for t in (0.5, 1.0, 2.0)}
    assert top[0.5] > top[1.0] > top[2.0], f"largest probability at T = 0.5, 1, 2: {top}; temperature must change it"
