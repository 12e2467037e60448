"""Check for break 13-03: the embedding refuses negative ids instead of wrapping them to the last rows.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.nn.embedding import Embedding


@pytest.mark.parametrize("bad", [-1, -100, 10])
def test_an_id_outside_0_to_v_minus_1_is_refused(bad):
    emb = Embedding(10, 4, rng=np.random.default_rng(0))
    with pytest.raises((IndexError, ValueError)) as info:
        emb(np.array([[1, 2, bad]]))
    assert str(bad) in str(info.value), f"the error should name the bad id {bad}: {info.value}"


def test_valid_ids_still_read_their_rows():
    emb = Embedding(10, 4, rng=np.random.default_rng(0), dtype=np.float64)
    ids = np.array([[0, 9, 3], [3, 3, 1]])
    np.testing.assert_array_equal(emb(ids).data, emb.weight.data[ids])
