"""The validator of build challenge 15: causal_mask, scaled_dot_product_attention, MultiHeadAttention.

Fixtures (fixtures/attention.npz, float64) were computed with plain NumPy by make_fixtures.py.
Tolerances: rtol 1e-5, atol 1e-6.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CASES, close, make_mha


def attend(fx, case, requires_grad=False):
    from minimodel.nn.attention import causal_mask, scaled_dot_product_attention
    from minimodel.tensor import Tensor

    q, k, v = (Tensor(fx[f"{case}_{n}"].copy(), requires_grad=requires_grad) for n in "qkv")
    mask = causal_mask(q.shape[-2]) if bool(fx[f"{case}_causal"]) else None
    out, w = scaled_dot_product_attention(q, k, v, mask)
    return (q, k, v), out, w


@pytest.mark.parametrize("T", [1, 2, 6])
def test_causal_mask_matches_fixture(fx, T):
    from minimodel.nn.attention import causal_mask

    m = np.asarray(causal_mask(T))
    assert m.dtype == bool, f"causal_mask should return booleans, got {m.dtype}"
    close(m, fx[f"mask_{T}"], f"causal_mask({T}) (True where key j <= query i)")


@pytest.mark.parametrize("case", CASES)
def test_attention_output_and_weights_match_fixture(fx, case):
    _, out, w = attend(fx, case)
    close(w.data, fx[f"{case}_weights"], f"attention weights, case {case!r}")
    close(out.data, fx[f"{case}_out"], f"attention output, case {case!r}")


@pytest.mark.parametrize("case", CASES)
def test_attention_gradients_match_fixture(fx, case):
    from minimodel.tensor import Tensor

    (q, k, v), out, _ = attend(fx, case, requires_grad=True)
    (out * Tensor(fx[f"{case}_upstream"])).sum().backward()
    for name, t in zip("qkv", (q, k, v)):
        assert t.grad is not None, f"no gradient reached {name}: build the output from Tensor operations"
        close(t.grad, fx[f"{case}_d{name}"], f"gradient of {name}, case {case!r}")


def test_weights_are_a_distribution_and_hide_the_future(fx):
    _, _, w = attend(fx, "causal")
    np.testing.assert_allclose(w.data.sum(-1), 1.0, rtol=1e-9, err_msg="each query's weights must sum to 1")
    assert np.all(np.triu(w.data, k=1) == 0.0), "a query gave weight to a later key"


def test_scale_keeps_big_heads_soft():
    from minimodel.nn.attention import scaled_dot_product_attention
    from minimodel.tensor import Tensor

    rng = np.random.default_rng(0)
    q, k, v = rng.normal(size=(16, 16, 256)), rng.normal(size=(16, 16, 256)), rng.normal(size=(16, 16, 2))
    _, w = scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v))
    assert w.data.max(-1).mean() < 0.5, "with d_k = 256 the weights are almost one-hot: are the scores scaled?"


@pytest.mark.parametrize("causal", [True, False])
def test_multihead_matches_fixture(fx, causal):
    from minimodel.tensor import Tensor

    tag = "causal" if causal else "full"
    out, w = make_mha(fx, causal)(Tensor(fx["mha_x"]), return_weights=True)
    close(w.data, fx[f"mha_{tag}_weights"], f"per-head weights (B, H, T, T), causal={causal}")
    close(out.data, fx[f"mha_{tag}_out"], f"MultiHeadAttention output, causal={causal}")


def test_multihead_has_no_causal_leak(fx):
    from minimodel.tensor import Tensor, no_grad

    mha = make_mha(fx, causal=True)
    x = fx["mha_x"]
    with no_grad():
        base = mha(Tensor(x)).data
        for t in range(x.shape[1] - 1):
            x2 = x.copy()
            x2[:, t + 1:] += 1.0
            assert np.allclose(mha(Tensor(x2)).data[:, : t + 1], base[:, : t + 1]), (
                f"changing positions after {t} changed an output at or before {t}")


def test_multihead_gradient_reaches_every_weight(fx):
    from minimodel.tensor import Tensor

    mha = make_mha(fx, causal=True)
    mha.zero_grad()
    mha(Tensor(fx["mha_x"])).sum().backward()
    for name, p in mha.named_parameters():
        assert p.grad is not None and np.abs(p.grad).sum() > 0, f"{name} got no gradient"
