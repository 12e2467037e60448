"""Finite-difference checks (float64) for functions and for modules with parameters."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from minimodel import Tensor


def _objective(fn: Callable[..., Tensor], args: list, weights: np.ndarray) -> float:
    wrapped = [Tensor(a) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in args]
    return float((fn(*wrapped).data * weights).sum())


def check(fn: Callable[..., Tensor], *args, params=(), entries: int | None = None, seed: int = 0,
          eps: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-7) -> None:
    """Autograd vs central differences for every float input of `fn` and for `params`
    (Parameters used inside fn, perturbed in place). With `entries`, only that many random
    entries of each array are checked (big modules)."""
    args = [np.array(a, dtype=np.float64) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in args]
    for p in params:
        assert p.data.dtype == np.float64, "finite differences need float64 parameters"
        p.grad = None
    tensors = [Tensor(a.copy(), requires_grad=True) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in args]
    out = fn(*tensors)
    assert out.data.dtype == np.float64
    rng = np.random.default_rng(seed)
    weights = rng.normal(size=out.shape)
    (out * Tensor(weights)).sum().backward()

    targets = [(t.grad, a, f"input {i}") for i, (t, a) in enumerate(zip(tensors, args)) if isinstance(t, Tensor)]
    targets += [(p.grad, p.data, f"param {j} {p.shape}") for j, p in enumerate(params)]
    for grad, array, name in targets:
        assert grad is not None, f"{name} got no gradient"
        flat = list(np.ndindex(array.shape))
        if entries is not None and len(flat) > entries:
            flat = [flat[i] for i in rng.choice(len(flat), size=entries, replace=False)]
        for idx in flat:
            old = array[idx]
            array[idx] = old + eps
            plus = _objective(fn, args, weights)
            array[idx] = old - eps
            minus = _objective(fn, args, weights)
            array[idx] = old
            numeric = (plus - minus) / (2 * eps)
            assert np.isclose(grad[idx], numeric, rtol=rtol, atol=atol), f"{name}{idx}: autograd {grad[idx]} vs numeric {numeric}"
