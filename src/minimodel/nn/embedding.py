"""Token embedding: a learned lookup table from token ids to vectors."""

from __future__ import annotations

from typing import Any

import numpy as np

from minimodel.init import rng_or_default
from minimodel.module import Module, Parameter
from minimodel.tensor import Tensor


class Embedding(Module):
    """`weight` is a (vocab_size, d_model) table; token id t reads row t.

    Looking up row t is the same as multiplying a one-hot vector by the table
    (onehot(t) @ weight == weight[t]), just without building the one-hot vector.
    """

    def __init__(
        self,
        vocab_size: int,
        d_model: int,
        rng: np.random.Generator | None = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        rng = rng_or_default(rng)
        self.vocab_size = vocab_size
        self.d_model = d_model
        # Small init, N(0, 0.02^2) as in GPT-1 (Radford et al. 2018): when the LM head
        # reuses this table, logits are dot products of two rows, so they start near 0
        # and the first loss is close to ln(vocab_size), the loss of a uniform guess.
        std = 0.02
        self.weight = Parameter(rng.normal(0.0, std, size=(vocab_size, d_model)).astype(dtype))

    def forward(self, ids: Any) -> Tensor:
        ids = self._check_ids(ids)
        W = self.weight
        out = W._make(W.data[ids], (W,), "embedding")  # (*ids.shape, d_model)

        def _backward() -> None:
            # Each position sends its gradient to the row it read. A token id that appears
            # k times must receive the SUM of its k gradients, so scatter with np.add.at
            # (unbuffered). `grad[ids] += g` would keep only one of the repeats.
            # The scatter runs on a flat 1-D view (column j of row t is element t*d + j): that is
            # NumPy's fast path for add.at, several times quicker than scattering whole rows
            # (benchmarks/notes/minimodel.md).
            d = self.d_model
            flat = (ids.reshape(-1, 1) * d + np.arange(d)).reshape(-1)
            grad = np.zeros(W.data.size, dtype=W.data.dtype)
            np.add.at(grad, flat, out.grad.reshape(-1))
            W._accumulate(grad.reshape(W.data.shape))

        out._backward = _backward
        return out

    def _check_ids(self, ids: Any) -> np.ndarray:
        ids = ids.data if isinstance(ids, Tensor) else ids
        ids = np.asarray(ids)
        if ids.dtype.kind not in "iu":
            if ids.size and not np.all(ids == np.round(ids)):
                raise ValueError(f"Embedding: token ids must be integers, got dtype {ids.dtype}")
            ids = ids.astype(np.int64)
        if ids.size:
            lo, hi = int(ids.min()), int(ids.max())
            # Negative ids would silently wrap around to the end of the table; catch them too.
            if lo < 0 or hi >= self.vocab_size:
                bad = lo if lo < 0 else hi
                raise IndexError(
                    f"Embedding: token id {bad} is out of range for vocab_size {self.vocab_size} "
                    f"(valid ids are 0..{self.vocab_size - 1})"
                )
        return ids

    def __repr__(self) -> str:
        return f"Embedding(vocab_size={self.vocab_size}, d_model={self.d_model})"
