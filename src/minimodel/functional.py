"""Softmax, log-softmax, log-sum-exp and cross-entropy, written to be numerically stable.

Each is one graph node with its backward written out by hand (a "fused" operation): the
formula of the gradient is shorter, and much cheaper, than the chain rule through exp, sum,
log and indexing one small node at a time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minimodel.tensor import Tensor, _axes, sum_axes


def _sum(x: np.ndarray, axis: int) -> np.ndarray:
    """x.sum(axis=axis, keepdims=True), in BLAS when it can be (see minimodel.tensor.sum_axes)."""
    return sum_axes(x, _axes(axis, x.ndim), keepdims=True)


def _shift(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """(x - m, m) with m the maximum along `axis`: exp(x - m) <= 1 can never overflow.

    A row whose maximum is not finite (every entry -inf, e.g. a query that may look at no key)
    is shifted by 0 instead, so it gives exp(-inf) = 0 and not -inf - (-inf) = nan.
    """
    m = x.max(axis=axis, keepdims=True)
    if not np.isfinite(m).all():
        m = np.where(np.isfinite(m), m, 0.0).astype(x.dtype, copy=False)
    return x - m, m


def _log_softmax(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """(log softmax(x), softmax(x)) along `axis`: one exp for both."""
    shifted, _ = _shift(x, axis)
    e = np.exp(shifted)
    total = _sum(e, axis)
    e /= total
    return shifted - np.log(total), e


def logsumexp(x: Tensor, axis: int = -1, keepdims: bool = False) -> Tensor:
    """log(sum(exp(x))) along `axis`, as max + log(sum(exp(x - max))).

    exp(1000) overflows and exp(-1000) underflows to 0, but after subtracting the max the largest
    term is exp(0) = 1: the sum lies between 1 and n and its log is exact to rounding, however
    large or small the logits. A row of -inf only gives -inf (as PyTorch does).
    """
    shifted, m = _shift(x.data, axis)
    with np.errstate(divide="ignore"):  # log(0) = -inf for a row of -inf
        lse = m + np.log(_sum(np.exp(shifted), axis))
    out = x._make(lse if keepdims else np.squeeze(lse, axis=axis), (x,), "logsumexp")

    def _backward() -> None:
        # d lse / d x = softmax(x)
        g = out.grad if keepdims else np.expand_dims(out.grad, axis)
        with np.errstate(invalid="ignore"):  # -inf - (-inf) in a row of -inf: its softmax is taken as 0
            softmax = np.nan_to_num(np.exp(x.data - lse), nan=0.0)
        x._accumulate(g * softmax)

    out._backward = _backward
    return out


def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    """log softmax(x) = x - logsumexp(x), computed after subtracting the max.

    exp(1000) overflows, but softmax does not change if we subtract a constant from every
    logit, so we subtract the largest one first: the biggest exponent is then exp(0) = 1.
    A logit far below the others gets a large negative log-probability, never log(0) = -inf.
    """
    logp, softmax = _log_softmax(x.data, axis)
    out = x._make(logp, (x,), "log_softmax")

    def _backward() -> None:
        # y = x - lse(x)  =>  dx = g - softmax(x) * sum(g)
        x._accumulate(out.grad - softmax * _sum(out.grad, axis))

    out._backward = _backward
    return out


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """Probabilities along `axis` (they sum to 1)."""
    shifted, _ = _shift(x.data, axis)
    e = np.exp(shifted)
    e /= _sum(e, axis)
    out = x._make(e, (x,), "softmax")

    def _backward() -> None:
        # Jacobian-vector product of softmax: s * (g - sum(g * s))
        s = out.data
        gs = out.grad * s
        gs -= s * _sum(gs, axis)
        x._accumulate(gs, fresh=True)

    out._backward = _backward
    return out


def _class_ids(targets: Any) -> np.ndarray:
    """Targets as an integer array: from an integer array or list, or from a Tensor.

    A Tensor stores float32 (Tensor([3, 1]) holds 3.0 and 1.0), so ids that arrive in one are
    accepted when every value is a whole number, as Embedding accepts its token ids.
    """
    ids = np.asarray(targets.data if isinstance(targets, Tensor) else targets)
    if isinstance(targets, Tensor) and ids.dtype.kind == "f":
        if not np.all(ids == np.round(ids)):
            raise ValueError(f"cross_entropy: targets must be integer class ids, got non-integer values of dtype {ids.dtype}")
        ids = ids.astype(np.int64)
    return ids


def cross_entropy(logits: Tensor, targets: Any, num_classes: int | None = None, label_smoothing: float = 0.0) -> Tensor:
    """Mean negative log-likelihood of the target classes.

    logits:      (..., C) unnormalised scores
    targets:     (...) integer class ids, one per position (an integer array or list, or a Tensor)
    num_classes: if given, the number of classes the targets come from; the logits must
                 have exactly that many columns.
    label_smoothing: eps in [0, 1]. The target distribution becomes (1 - eps) onehot + eps / C on
                 every class (Szegedy et al. 2016, as PyTorch's): the loss can no longer reach 0, and
                 no logit is pushed to infinity. 0 (the default) is the plain loss.
    """
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing}")
    targets = _class_ids(targets)
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

    # log p(target) = shifted[target] - log(sum(exp(shifted))), shifted = logits - max: the other
    # N x (C - 1) log-probabilities are never needed, so they are never computed.
    shifted, _ = _shift(logits.data.reshape(-1, C), axis=-1)  # (N, C)
    e = np.exp(shifted)
    total = _sum(e, axis=-1)  # (N, 1)
    rows, cols = np.arange(shifted.shape[0]), targets.reshape(-1)
    n = np.asarray(shifted.shape[0], dtype=shifted.dtype)
    log_p = shifted[rows, cols] - np.log(total[:, 0])
    if label_smoothing:  # -sum_j q_j log p_j = (1 - eps)(-log p_target) + eps · mean_j(-log p_j)
        mean_log_p = shifted.mean(axis=-1) - np.log(total[:, 0])
        log_p = (1.0 - label_smoothing) * log_p + label_smoothing * mean_log_p
    out = logits._make(-(log_p.sum() / n), (logits,), "cross_entropy")  # mean of -log p(target)

    def _backward() -> None:
        # d loss / d logits = (softmax(logits) - onehot(target)) / N: the predicted distribution
        # minus the one it should have been, for every position.
        scale = out.grad / n
        grad = e * (scale / total)  # softmax * scale, in one pass
        if label_smoothing:  # softmax - q, with q = (1 - eps) onehot + eps / C
            grad -= scale * (label_smoothing / C)
            grad[rows, cols] -= scale * (1.0 - label_smoothing)
        else:
            grad[rows, cols] -= scale
        logits._accumulate(grad.reshape(logits.shape), fresh=True)

    out._backward = _backward
    return out
