"""Check for break 16-02: the sinusoidal encodings use wavelengths 2*pi * 10000^(2i/d), one clock per pair.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.nn.transformer import sinusoidal_positions


def reference(n, d):
    pos = np.arange(n)[:, None]
    omega = 1.0 / 10000.0 ** (np.arange(0, d, 2) / d)
    pe = np.zeros((n, d))
    pe[:, 0::2] = np.sin(pos * omega)
    pe[:, 1::2] = np.cos(pos * omega)
    return pe


@pytest.mark.parametrize("n, d", [(8, 4), (50, 16), (128, 32)])
def test_matches_the_formula(n, d):
    np.testing.assert_allclose(sinusoidal_positions(n, d), reference(n, d), atol=1e-12)


def test_every_position_has_a_distinct_code():
    pe = sinusoidal_positions(256, 32)
    dist = np.sqrt(((pe[:, None] - pe[None]) ** 2).sum(-1)) + np.eye(256) * 1e9
    i, j = np.unravel_index(np.argmin(dist), dist.shape)
    assert dist[i, j] > 0.5, f"positions {i} and {j} get almost the same encoding (distance {dist[i, j]:.4f})"
