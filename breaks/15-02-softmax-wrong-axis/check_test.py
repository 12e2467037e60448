"""Check for break 15-02: the softmax of attention normalises each query's row of scores (over the keys).

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.nn.attention import causal_mask, scaled_dot_product_attention
from minimodel.tensor import Tensor


@pytest.mark.parametrize("masked", [False, True])
def test_each_query_s_weights_sum_to_one(masked):
    rng = np.random.default_rng(0)
    q, k, v = (Tensor(rng.normal(size=(2, 6, 4))) for _ in range(3))
    _, w = scaled_dot_product_attention(q, k, v, causal_mask(6) if masked else None)
    sums = w.data.sum(-1)
    assert np.allclose(sums, 1.0), f"the weights of one query (a row, over the keys) sum to {sums.ravel()[:4]}, not 1"


def test_a_later_query_never_changes_an_earlier_output():
    # With a causal mask, query i's output may depend on keys/values 0..i only, never on query i+1.
    rng = np.random.default_rng(1)
    q, k, v = rng.normal(size=(1, 5, 4)), rng.normal(size=(1, 5, 4)), rng.normal(size=(1, 5, 3))
    base, _ = scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v), causal_mask(5))
    q2 = q.copy()
    q2[:, 4] += 2.0
    out, _ = scaled_dot_product_attention(Tensor(q2), Tensor(k), Tensor(v), causal_mask(5))
    assert np.allclose(out.data[:, :4], base.data[:, :4]), "changing the last query changed the outputs of earlier queries"
