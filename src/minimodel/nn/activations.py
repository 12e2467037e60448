"""Activation functions beyond tanh / sigmoid / relu (which live on Tensor)."""

from __future__ import annotations

import math

import numpy as np

from minimodel.module import Module
from minimodel.tensor import Tensor

_C = math.sqrt(2.0 / math.pi)


def gelu(x: Tensor) -> Tensor:
    """GELU (Hendrycks & Gimpel 2016), the tanh approximation used by GPT-2:

        gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))

    A smooth ReLU: close to 0 for very negative x, close to x for large x, and it lets a
    little gradient through just below zero.
    """
    a = x.data
    u = _C * (a + 0.044715 * a * a * a)
    t = np.tanh(u)
    out = x._make((0.5 * a * (1.0 + t)).astype(x.dtype, copy=False), (x,), "gelu")

    def _backward() -> None:
        du = _C * (1.0 + 3 * 0.044715 * a * a)
        local = 0.5 * (1.0 + t) + 0.5 * a * (1.0 - t**2) * du
        x._accumulate(out.grad * local)

    out._backward = _backward
    return out


class GELU(Module):
    def forward(self, x: Tensor) -> Tensor:
        return gelu(x)

    def __repr__(self) -> str:
        return "GELU()"
