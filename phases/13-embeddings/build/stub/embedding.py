"""Token embedding: a learned lookup table from token ids to vectors.

Build challenge of phase 13: write this layer yourself. `lynx build 13 --check` runs the validator.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minimodel.init import rng_or_default
from minimodel.module import Module, Parameter
from minimodel.tensor import Tensor


class Embedding(Module):
    """`weight` is a (vocab_size, d_model) table; token id t reads row t.

    Looking up row t gives the same vector as onehot(t) @ weight, without building the
    one-hot vector (which would cost vocab_size numbers per token).
    """

    def __init__(
        self,
        vocab_size: int,
        d_model: int,
        rng: np.random.Generator | None = None,
        dtype: Any = np.float32,
    ) -> None:
        """Make the table.

        Store `vocab_size` and `d_model`, then `self.weight`: a `Parameter` of shape
        (vocab_size, d_model) and the given dtype, drawn from N(0, 0.02^2) with
        `rng_or_default(rng)` (a fresh generator when rng is None). Call `super().__init__()` first.
        """
        raise NotImplementedError("Embedding.__init__: create self.weight (see the docstring)")

    def forward(self, ids: Any) -> Tensor:
        """Look up the rows of `ids`.

        ids: integers of any shape (a list, a NumPy array or a Tensor), each in 0..vocab_size-1.
        Returns a Tensor of shape (*ids.shape, d_model), in the weight's dtype, whose gradient
        flows back into `self.weight`.

        Build the output with `self.weight._make(values, (self.weight,), "embedding")` and give it
        a `_backward` that adds `out.grad` into the rows that were read. A token that appears k
        times must receive the sum of its k gradients. Do not multiply by a one-hot matrix.
        """
        raise NotImplementedError("Embedding.forward: look up the rows and define the backward")

    def _check_ids(self, ids: Any) -> np.ndarray:
        """Turn `ids` into an integer array, or raise a clear error.

        Accept lists, arrays and Tensors. Raise IndexError naming the bad id and vocab_size when an
        id is negative or >= vocab_size (NumPy would quietly read row -1 from the end).
        """
        raise NotImplementedError("Embedding._check_ids: convert and range-check the ids")

    def __repr__(self) -> str:
        return f"Embedding(vocab_size={self.vocab_size}, d_model={self.d_model})"
