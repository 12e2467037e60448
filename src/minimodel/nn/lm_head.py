"""Language-model head tied to the input embedding (Press & Wolf 2017)."""

from __future__ import annotations

from minimodel.module import Module, Parameter
from minimodel.nn.embedding import Embedding
from minimodel.tensor import Tensor


class LMHead(Module):
    """Turns hidden states (..., d_model) into logits (..., vocab_size).

    Instead of its own (vocab_size, d_model) matrix, the head reuses the embedding table:
    logits = h @ E^T. The score of token t is the dot product of h with t's own embedding
    row. One matrix, one object: the vocabulary size can only come from that matrix.
    """

    def __init__(self, embedding: Embedding) -> None:
        super().__init__()
        self.embedding = embedding
        # Taken from the tied table, never passed separately, so the two cannot disagree.
        self.vocab_size_out = embedding.vocab_size

    @property
    def weight(self) -> Parameter:
        """The tied table itself (the same object as `embedding.weight`)."""
        return self.embedding.weight

    def forward(self, h: Tensor) -> Tensor:
        return h @ self.embedding.weight.T  # (..., d_model) @ (d_model, V) -> (..., V)

    def __repr__(self) -> str:
        return f"LMHead(tied to {self.embedding!r}, vocab_size_out={self.vocab_size_out})"
