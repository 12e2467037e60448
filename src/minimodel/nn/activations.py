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

    Computed as x * sigmoid(2u) with u = sqrt(2/pi) (x + 0.044715 x^3), the same function,
    because 0.5 (1 + tanh(u)) = 1 / (1 + e^(-2u)): one exp instead of a tanh (which costs
    about twice as much), and no overflow (e^(-2u) = inf only gives sigmoid = 0).
    """
    a = x.data
    s = np.asarray(a * a)  # (an array even for a 0-d x, so that the in-place steps below work)
    s *= 0.044715
    s += 1.0
    s *= a
    s *= -2 * _C  # -2u
    with np.errstate(over="ignore"):
        np.exp(s, out=s)
    s += 1.0
    np.reciprocal(s, out=s)  # s = 1 / (1 + e^(-2u)) = sigmoid(2u) = 0.5 (1 + tanh(u))
    out = x._make(a * s, (x,), "gelu")

    def _backward() -> None:
        # d/dx [x s(2u)] = s + x * s (1 - s) * 2 du/dx,   du/dx = sqrt(2/pi) (1 + 3 * 0.044715 x^2)
        local = np.asarray(a * a)
        local *= 3 * 0.044715 * 2 * _C
        local += 2 * _C  # 2 du/dx
        local *= a
        local *= s
        local *= 1.0 - s
        local += s
        local *= out.grad
        x._accumulate(local, fresh=True)

    out._backward = _backward
    return out


class GELU(Module):
    def forward(self, x: Tensor) -> Tensor:
        return gelu(x)

    def __repr__(self) -> str:
        return "GELU()"
