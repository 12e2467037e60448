"""The sizes a transformer block is built from, in one place (as nanoGPT's GPTConfig).

MultiHeadAttention, FeedForward and TransformerBlock all read the same BlockConfig, so a
width is written once; GPTConfig (minimodel.nn.gpt) extends it with the model's own sizes
and is passed to the blocks as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class BlockConfig:
    d_model: int = 64  # width of the residual stream, and of every token's vector
    n_heads: int = 4  # attention heads, each of size d_model / n_heads
    dropout: float = 0.0  # on each sub-layer's output before it is added to the stream
    causal: bool = True  # position t attends to 0..t only: a decoder, which predicts the next token
    # The later alternatives (phase 16, page 05). The defaults are the GPT-2 layout.
    norm: Literal["layernorm", "rmsnorm"] = "layernorm"  # RMSNorm: Zhang & Sennrich 2019
    ffn: Literal["gelu", "swiglu"] = "gelu"  # SwiGLU: Shazeer 2020
    # learned / sinusoidal: a vector added to the input (GPT); rope: q and k rotated in every attention
    positions: Literal["learned", "sinusoidal", "rope"] = "learned"  # RoPE: Su et al. 2021

    def __post_init__(self) -> None:
        for name, allowed in (("norm", ("layernorm", "rmsnorm")), ("ffn", ("gelu", "swiglu")),
                              ("positions", ("learned", "sinusoidal", "rope"))):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{type(self).__name__}: {name}={getattr(self, name)!r}, expected one of {allowed}")
