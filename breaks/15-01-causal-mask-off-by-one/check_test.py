"""Check for break 15-01: with a causal mask, no output depends on a later position.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.nn.attention import MultiHeadAttention, causal_mask, scaled_dot_product_attention
from minimodel.nn.config import BlockConfig
from minimodel.tensor import Tensor, no_grad


@pytest.mark.parametrize("T", [1, 2, 5, 9])
def test_mask_allows_exactly_the_past_and_present(T):
    m = np.asarray(causal_mask(T), dtype=bool)
    assert m.shape == (T, T)
    for i in range(T):
        for j in range(T):
            assert m[i, j] == (j <= i), f"causal_mask({T})[{i}, {j}] is {m[i, j]}; query {i} may see key {j} only if {j} <= {i}"


def test_future_weights_are_zero():
    rng = np.random.default_rng(0)
    q, k, v = (Tensor(rng.normal(size=(2, 6, 4))) for _ in range(3))
    _, w = scaled_dot_product_attention(q, k, v, causal_mask(6))
    assert np.all(np.triu(w.data, k=1) == 0.0), "some query gives weight to a later key"
    np.testing.assert_allclose(w.data.sum(-1), 1.0)


def test_changing_a_future_token_never_changes_an_earlier_output():
    mha = MultiHeadAttention(BlockConfig(d_model=8, n_heads=2, causal=True), rng=np.random.default_rng(1), dtype=np.float64)
    x = np.random.default_rng(2).normal(size=(1, 7, 8))
    with no_grad():
        base = mha(Tensor(x)).data
    for t in range(6):
        x2 = x.copy()
        x2[:, t + 1] += 3.0
        with no_grad():
            out = mha(Tensor(x2)).data
        assert np.allclose(out[:, : t + 1], base[:, : t + 1]), f"changing position {t + 1} changed an output at or before {t}"
