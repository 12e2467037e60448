"""Fully connected layer: y = x W^T + b."""

from __future__ import annotations

from typing import Any

import numpy as np

from minimodel.init import rng_or_default
from minimodel.module import Module, Parameter
from minimodel.tensor import Tensor


class Linear(Module):
    """`weight` has shape (out_features, in_features), the PyTorch layout.

    With that layout a Linear(d_model, vocab_size) output layer has exactly the shape of an
    Embedding(vocab_size, d_model) table, which is what makes weight tying possible.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        rng: np.random.Generator | None = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        rng = rng_or_default(rng)
        self.in_features = in_features
        self.out_features = out_features
        # Uniform(-1/sqrt(in), 1/sqrt(in)), the PyTorch default (He et al. 2015 style):
        # keeps the output variance near the input variance.
        bound = 1.0 / np.sqrt(in_features)
        self.weight = Parameter(rng.uniform(-bound, bound, size=(out_features, in_features)).astype(dtype))
        self.bias = Parameter(np.zeros(out_features, dtype=dtype)) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        y = x @ self.weight.T
        if self.bias is not None:
            y = y + self.bias
        return y

    def __repr__(self) -> str:
        return f"Linear({self.in_features}, {self.out_features}, bias={self.bias is not None})"
