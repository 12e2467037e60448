"""Training helpers: gradient clipping and a warm-up + cosine learning-rate schedule."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from minimodel.module import Parameter


def grad_norm(params: Iterable[Parameter]) -> float:
    """The global L2 norm of all gradients, as if they were one long vector."""
    total = 0.0
    for p in params:
        if p.grad is not None:
            g = np.asarray(p.grad, dtype=np.float64).reshape(-1)  # summed in float64
            total += float(g @ g)  # the sum of squares, as a dot product
    return math.sqrt(total)


def clip_grad_norm(params: Iterable[Parameter], max_norm: float) -> float:
    """Rescale all gradients together so their global norm is at most `max_norm`
    (Pascanu et al. 2013). Returns the norm BEFORE clipping (worth logging).

    One scale factor for every parameter keeps the direction of the update; only its length
    is capped. Gradients already shorter than max_norm are left alone.
    """
    params = list(params)
    norm = grad_norm(params)
    if norm > max_norm:
        scale = max_norm / (norm + 1e-12)
        for p in params:
            if p.grad is not None:
                p.grad = p.grad * scale
    return norm


def warmup_cosine(step: int, total_steps: int, lr_max: float, warmup_steps: int = 0, lr_min: float = 0.0) -> float:
    """Linear warm-up from 0 to lr_max over `warmup_steps`, then a cosine decay to lr_min
    at `total_steps` (Loshchilov & Hutter 2017, without restarts)."""
    if warmup_steps and step < warmup_steps:
        return lr_max * (step + 1) / warmup_steps
    if step >= total_steps:
        return lr_min
    progress = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return lr_min + 0.5 * (lr_max - lr_min) * (1.0 + math.cos(math.pi * progress))
