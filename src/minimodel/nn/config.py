"""The sizes a transformer block is built from, in one place (as nanoGPT's GPTConfig).

MultiHeadAttention, FeedForward and TransformerBlock all read the same BlockConfig, so a
width is written once; GPTConfig (minimodel.nn.gpt) extends it with the model's own sizes
and is passed to the blocks as it is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BlockConfig:
    d_model: int = 64  # width of the residual stream, and of every token's vector
    n_heads: int = 4  # attention heads, each of size d_model / n_heads
    dropout: float = 0.0  # on each sub-layer's output before it is added to the stream
    causal: bool = True  # position t attends to 0..t only: a decoder, which predicts the next token
