"""Softmax, log-softmax and cross-entropy, written to be numerically stable."""

from __future__ import annotations

from typing import Any

import numpy as np

from minimodel.tensor import Tensor


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """log softmax(x) = x - logsumexp(x), computed after subtracting the max.

    exp(1000) overflows, but softmax does not change if we subtract a constant from every
    logit, so we subtract the largest one first: the biggest exponent is then exp(0) = 1.
    """
    shifted = x.data - x.data.max(axis=axis, keepdims=True)
    logsumexp = np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    out = x._make(shifted - logsumexp, (x,), "log_softmax")

    def _backward() -> None:
        # y = x - lse(x)  =>  dx = g - softmax(x) * sum(g)
        softmax = np.exp(out.data)
        x._accumulate(out.grad - softmax * out.grad.sum(axis=axis, keepdims=True))

    out._backward = _backward
    return out


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """Probabilities along `axis` (they sum to 1)."""
    shifted = x.data - x.data.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    out = x._make(e / e.sum(axis=axis, keepdims=True), (x,), "softmax")

    def _backward() -> None:
        # Jacobian-vector product of softmax: s * (g - sum(g * s))
        s = out.data
        x._accumulate(s * (out.grad - (out.grad * s).sum(axis=axis, keepdims=True)))

    out._backward = _backward
    return out


def cross_entropy(logits: Tensor, targets: Any, num_classes: int | None = None) -> Tensor:
    """Mean negative log-likelihood of the target classes.

    logits:      (..., C) unnormalised scores
    targets:     (...) integer class ids, one per position
    num_classes: if given, the number of classes the targets come from; the logits must
                 have exactly that many columns.
    """
    targets = np.asarray(targets.data if isinstance(targets, Tensor) else targets)
    # Shape checks first: a mismatch here is a wiring bug upstream, and the message should
    # say which shapes disagree instead of failing deep inside an index operation.
    if logits.shape[:-1] != targets.shape:
        raise ValueError(
            f"cross_entropy: logits have shape {logits.shape} but targets have shape {targets.shape}; "
            f"expected targets of shape {logits.shape[:-1]} (one class id per row of logits)"
        )
    C = logits.shape[-1]
    if num_classes is not None and C != num_classes:
        raise ValueError(
            f"cross_entropy: logits have shape {logits.shape} but the targets expect {num_classes} classes "
            f"(last axis of logits is {C}, not {num_classes})"
        )
    if targets.dtype.kind not in "iu":
        raise ValueError(f"cross_entropy: targets must be integer class ids, got dtype {targets.dtype}")
    if targets.size and (targets.min() < 0 or targets.max() >= C):
        raise ValueError(f"cross_entropy: target ids must lie in 0..{C - 1}, got {targets.min()}..{targets.max()}")

    logp = log_softmax(logits, axis=-1).reshape(-1, C)  # (N, C)
    rows = np.arange(logp.shape[0])
    picked = logp[rows, targets.reshape(-1)]  # log p(target) at every position, (N,)
    return -picked.mean()
