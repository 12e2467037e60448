"""Check for break 15-03: the mask is applied to the scores, before the softmax, so every row sums to 1.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.nn.attention import causal_mask, scaled_dot_product_attention
from minimodel.tensor import Tensor


def reference(q, k, v, mask):
    s = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    s = np.where(mask, s, -np.inf)
    w = np.exp(s - s.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    return w @ v, w


@pytest.mark.parametrize("T", [1, 4, 9])
def test_masked_attention_is_a_softmax_over_the_visible_keys(T):
    rng = np.random.default_rng(T)
    q, k, v = rng.normal(size=(2, T, 4)), rng.normal(size=(2, T, 4)), rng.normal(size=(2, T, 3))
    out, w = scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v), causal_mask(T))
    ref_out, ref_w = reference(q, k, v, causal_mask(T))
    np.testing.assert_allclose(w.data.sum(-1), 1.0, err_msg="each query's weights must sum to 1")
    np.testing.assert_allclose(w.data, ref_w, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(out.data, ref_out, rtol=1e-7, atol=1e-12)
