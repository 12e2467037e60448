"""Layer normalisation (Ba, Kiros & Hinton 2016).

Build challenge of phase 16 (with transformer.py): write LayerNorm.forward yourself.
`lynx build 16 --check` runs the validator.
"""

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
        # 1. mean and (biased) variance of each feature vector: over the LAST axis, keepdims=True
        # 2. x_hat = (x - mean) / sqrt(var + self.eps)
        # 3. scale and shift: x_hat * self.weight + self.bias
        raise NotImplementedError("LayerNorm.forward: see the steps above")

    def __repr__(self) -> str:
        return f"LayerNorm({self.d_model}, eps={self.eps})"
