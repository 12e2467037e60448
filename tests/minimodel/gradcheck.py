"""Central finite differences in float64, for checking autograd."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from minimodel import Tensor


def numeric_grads(fn: Callable[..., Tensor], arrays: list[np.ndarray], weights: np.ndarray, eps: float = 1e-6) -> list[np.ndarray]:
    """d(sum(fn(*arrays) * weights)) / d(arrays[i]) by central differences."""
    grads = []
    for a in arrays:
        g = np.zeros_like(a)
        it = np.nditer(a, flags=["multi_index"])
        for _ in it:
            i = it.multi_index
            old = a[i]
            a[i] = old + eps
            plus = float((fn(*[Tensor(x) for x in arrays]).data * weights).sum())
            a[i] = old - eps
            minus = float((fn(*[Tensor(x) for x in arrays]).data * weights).sum())
            a[i] = old
            g[i] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads


def check(fn: Callable[..., Tensor], *arrays: np.ndarray, seed: int = 0, rtol: float = 1e-5, atol: float = 1e-7) -> None:
    """Assert that autograd and finite differences agree for every input of `fn`."""
    arrays_ = [np.array(a, dtype=np.float64) for a in arrays]
    inputs = [Tensor(a.copy(), requires_grad=True) for a in arrays_]
    out = fn(*inputs)
    assert out.data.dtype == np.float64, "float64 inputs must give a float64 result"
    # A random upstream gradient, so every output element matters with a different weight.
    weights = np.random.default_rng(seed).normal(size=out.shape)
    (out * Tensor(weights)).sum().backward()
    expected = numeric_grads(fn, arrays_, weights)
    for k, (t, g) in enumerate(zip(inputs, expected)):
        assert t.grad is not None, f"input {k} got no gradient"
        assert t.grad.shape == t.shape
        np.testing.assert_allclose(t.grad, g, rtol=rtol, atol=atol, err_msg=f"input {k}")
