"""Check for break 15-00: attention scores are divided by sqrt(d_k) before the softmax.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.nn.attention import scaled_dot_product_attention
from minimodel.tensor import Tensor


def reference(q, k, v):
    s = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    s = s - s.max(-1, keepdims=True)
    w = np.exp(s)
    w /= w.sum(-1, keepdims=True)
    return w @ v, w


@pytest.mark.parametrize("d_k", [1, 8, 64])
def test_matches_softmax_of_scaled_scores(d_k):
    rng = np.random.default_rng(d_k)
    q, k, v = rng.normal(size=(2, 5, d_k)), rng.normal(size=(2, 7, d_k)), rng.normal(size=(2, 7, 3))
    out, w = scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v))
    ref_out, ref_w = reference(q, k, v)
    np.testing.assert_allclose(w.data, ref_w, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(out.data, ref_out, rtol=1e-7, atol=1e-10)


def test_weights_do_not_saturate_as_the_head_grows():
    # Unit-variance q and k: with the scale, the scores have variance 1 whatever d_k is.
    rng = np.random.default_rng(0)
    d_k = 512
    q, k, v = rng.normal(size=(32, 16, d_k)), rng.normal(size=(32, 16, d_k)), rng.normal(size=(32, 16, 4))
    _, w = scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v))
    mean_max = w.data.max(-1).mean()
    assert mean_max < 0.5, f"mean largest attention weight is {mean_max:.3f} for d_k={d_k}: the softmax saturates"
