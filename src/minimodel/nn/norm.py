"""Layer normalisation (Ba, Kiros & Hinton 2016)."""

from __future__ import annotations

from typing import Any

import numpy as np

from minimodel.module import Module, Parameter
from minimodel.tensor import Tensor


class LayerNorm(Module):
    """Normalise every position's feature vector to mean 0 and variance 1, then scale and
    shift it with a learned gain (`weight`, starts at 1) and `bias` (starts at 0).

    The statistics are taken over the LAST axis, the features, one vector at a time: for an
    input of shape (B, T, C) each of the B*T vectors is normalised on its own. Nothing is
    shared across positions or across the batch (unlike BatchNorm), so the output at position
    t depends only on the input at position t.
    """

    def __init__(self, d_model: int, eps: float = 1e-5, dtype: Any = np.float32) -> None:
        super().__init__()
        self.d_model = d_model
        self.eps = eps
        self.weight = Parameter(np.ones(d_model, dtype=dtype))
        self.bias = Parameter(np.zeros(d_model, dtype=dtype))

    def forward(self, x: Tensor) -> Tensor:
        mean = x.mean(axis=-1, keepdims=True)
        centred = x - mean
        var = (centred * centred).mean(axis=-1, keepdims=True)  # biased variance, as in the paper
        x_hat = centred / (var + self.eps) ** 0.5
        return x_hat * self.weight + self.bias

    def __repr__(self) -> str:
        return f"LayerNorm({self.d_model}, eps={self.eps})"


class RMSNorm(Module):
    """Root-mean-square normalisation (Zhang & Sennrich 2019): LayerNorm without the centring.

        y = x / sqrt(mean(x^2) + eps) * weight

    Each feature vector (last axis) is divided by its RMS; there is no mean to subtract and
    no bias, so d_model parameters instead of LayerNorm's 2 * d_model and one statistic
    instead of two. The authors argue the re-scaling, not the re-centring, is what keeps
    training stable. On a vector whose mean is already 0 the RMS is the standard deviation,
    and RMSNorm gives what LayerNorm (with bias 0) gives. Used by T5 and LLaMA.
    """

    def __init__(self, d_model: int, eps: float = 1e-5, dtype: Any = np.float32) -> None:
        super().__init__()
        self.d_model = d_model
        self.eps = eps
        self.weight = Parameter(np.ones(d_model, dtype=dtype))

    def forward(self, x: Tensor) -> Tensor:
        ms = (x * x).mean(axis=-1, keepdims=True)  # mean square over the features
        return x / (ms + self.eps) ** 0.5 * self.weight

    def __repr__(self) -> str:
        return f"RMSNorm({self.d_model}, eps={self.eps})"


def make_norm(config: Any, dtype: Any = np.float32) -> Module:
    """The norm that config.norm names ("layernorm" or "rmsnorm"), of width config.d_model."""
    return RMSNorm(config.d_model, dtype=dtype) if config.norm == "rmsnorm" else LayerNorm(config.d_model, dtype=dtype)
