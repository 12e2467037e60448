"""Check a gradient against central finite differences (use float64 inputs).

    (f(x + eps) - f(x - eps)) / (2 eps) = f'(x) + O(eps^2)

The one test that catches any backward bug, however it was written.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from minimodel.tensor import Tensor


def numeric_grads(fn: Callable[..., Tensor], arrays: list[np.ndarray], weights: np.ndarray, eps: float = 1e-6) -> list[np.ndarray]:
    """d(sum(fn(*arrays) * weights)) / d(arrays[i]), one element at a time."""
    grads = []
    for a in arrays:
        g = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            old = a[i]
            a[i] = old + eps
            plus = float((fn(*[Tensor(x) for x in arrays]).data * weights).sum())
            a[i] = old - eps
            minus = float((fn(*[Tensor(x) for x in arrays]).data * weights).sum())
            a[i] = old
            g[i] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads


def check_gradients(fn: Callable[..., Tensor], *arrays: np.ndarray, seed: int = 0, rtol: float = 1e-5, atol: float = 1e-7) -> None:
    """Raise AssertionError unless autograd and finite differences agree for every input.

    fn takes Tensors and returns a Tensor of any shape; a random upstream gradient weights
    its elements, so every output element matters.
    """
    arrays_ = [np.array(a, dtype=np.float64) for a in arrays]
    inputs = [Tensor(a.copy(), requires_grad=True) for a in arrays_]
    out = fn(*inputs)
    assert out.data.dtype == np.float64, f"float64 inputs gave a {out.data.dtype} result; finite differences need float64"
    weights = np.random.default_rng(seed).normal(size=out.shape)
    (out * Tensor(weights)).sum().backward()
    expected = numeric_grads(fn, arrays_, weights)
    for k, (t, g) in enumerate(zip(inputs, expected)):
        assert t.grad is not None, f"input {k} got no gradient"
        assert t.grad.shape == t.shape, f"input {k}: gradient shape {t.grad.shape}, input shape {t.shape}"
        np.testing.assert_allclose(t.grad, g, rtol=rtol, atol=atol, err_msg=f"input {k}: autograd vs finite differences")
