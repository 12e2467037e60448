"""Dropout (Srivastava et al. 2014), seeded so every run is reproducible."""

from __future__ import annotations

import numpy as np

from minimodel.module import Module
from minimodel.tensor import Tensor


class Dropout(Module):
    """In training, zero each element with probability p and scale the survivors by 1/(1-p)
    ("inverted" dropout), so the expected value is unchanged and evaluation needs no rescaling.
    In eval mode (`model.eval()`) it is the identity.
    """

    def __init__(self, p: float = 0.1, seed: int = 0) -> None:
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1), got {p}")
        self.p = p
        self.rng = np.random.default_rng(seed)  # its own stream: the masks repeat run to run

    def forward(self, x: Tensor) -> Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = (self.rng.random(x.shape) >= self.p).astype(x.dtype)
        return x * (keep / (1.0 - self.p))

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"
