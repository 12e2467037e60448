"""Array operations the Tensor class does not have: stack, concat, masked_fill.

Each one builds a graph node the way tensor.py does: compute the value with NumPy, wrap it
with `_make` (which records the parents only when a gradient is wanted) and attach a
`_backward` that routes the output gradient to the inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minimodel.tensor import Tensor, unbroadcast


def stack(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join same-shaped tensors along a NEW axis (e.g. the hidden states h_1..h_T of an RNN)."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("stack: need at least one tensor")
    out = tensors[0]._make(np.stack([t.data for t in tensors], axis=axis), tuple(tensors), "stack")

    def _backward() -> None:
        # Slice i of the output came from tensor i, unchanged.
        for i, t in enumerate(tensors):
            t._accumulate(np.take(out.grad, i, axis=axis))

    out._backward = _backward
    return out


def concat(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join tensors along an EXISTING axis (e.g. zero padding in front of a sequence)."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("concat: need at least one tensor")
    out = tensors[0]._make(np.concatenate([t.data for t in tensors], axis=axis), tuple(tensors), "concat")

    def _backward() -> None:
        cuts = np.cumsum([t.shape[axis] for t in tensors])[:-1]
        for t, g in zip(tensors, np.split(out.grad, cuts, axis=axis)):
            t._accumulate(g)

    out._backward = _backward
    return out


def masked_fill(x: Tensor, mask: Any, value: float) -> Tensor:
    """`value` where `mask` is True, `x` elsewhere (mask broadcasts against x).

    Used to hide keys from queries: a score set to -inf becomes a weight of exactly 0 after
    softmax, and no gradient flows back into a hidden score.
    """
    mask = np.asarray(mask, dtype=bool)
    data = np.where(mask, np.asarray(value, dtype=x.dtype), x.data).astype(x.dtype, copy=False)
    out = x._make(data, (x,), "masked_fill")

    def _backward() -> None:
        x._accumulate(unbroadcast(np.where(mask, 0.0, out.grad), x.shape))

    out._backward = _backward
    return out


def swap_last(x: Tensor) -> Tensor:
    """Transpose the last two axes (k^T for a batch of key matrices)."""
    axes = list(range(x.ndim))
    axes[-2], axes[-1] = axes[-1], axes[-2]
    return x.transpose(tuple(axes))
