"""The transformer block (Vaswani et al. 2017) in its pre-norm form (GPT-2; Xiong et al. 2020)."""

from __future__ import annotations

from typing import Any

import numpy as np

from minimodel.module import Module
from minimodel.nn.activations import gelu
from minimodel.nn.attention import MultiHeadAttention
from minimodel.nn.config import BlockConfig
from minimodel.nn.dropout import Dropout
from minimodel.nn.linear import Linear
from minimodel.nn.norm import make_norm
from minimodel.tensor import Tensor


class FeedForward(Module):
    """Position-wise FFN: Linear(d, 4d) -> GELU -> Linear(4d, d), applied to every position on
    its own (the same weights at every t; no mixing across positions, that is attention's job).
    The hidden layer is 4 times wider, as in Vaswani et al. (2017) and GPT-2."""

    def __init__(self, config: BlockConfig, rng: np.random.Generator | None = None, seed: int = 0,
                 dtype: Any = np.float32) -> None:
        super().__init__()
        d = config.d_model
        self.up = Linear(d, 4 * d, rng=rng, dtype=dtype)
        self.down = Linear(4 * d, d, rng=rng, dtype=dtype)
        self.drop = Dropout(config.dropout, seed=seed)  # seed: the dropout masks; rng: the weights

    def forward(self, x: Tensor) -> Tensor:
        return self.drop(self.down(gelu(self.up(x))))


def swiglu_hidden(d_model: int) -> int:
    """Shazeer's hidden width for a gated FFN: 2/3 of 4d, so that its three matrices hold as many
    weights as the two of the 4d FFN (3 * d * 8d/3 = 2 * d * 4d). Rounded to an integer."""
    return round(8 * d_model / 3)


class SwiGLU(Module):
    """Gated feed-forward (Shazeer 2020, "GLU Variants Improve Transformer"):

        SwiGLU(x) = down( silu(gate(x)) * up(x) ),   silu(z) = z * sigmoid(z)   (Swish, beta = 1)

    One linear map (gate) decides, feature by feature, how much of another (up) passes: a
    Gated Linear Unit (Dauphin et al. 2017) with a Swish gate. Three matrices instead of two,
    so the hidden width is 8d/3 instead of 4d to keep the parameter count (swiglu_hidden).
    No biases, as in the paper and LLaMA. Like FeedForward, every position on its own.
    """

    def __init__(self, config: BlockConfig, rng: np.random.Generator | None = None, seed: int = 0,
                 dtype: Any = np.float32, hidden: int | None = None) -> None:
        super().__init__()
        d = config.d_model
        h = swiglu_hidden(d) if hidden is None else hidden
        self.gate = Linear(d, h, bias=False, rng=rng, dtype=dtype)
        self.up = Linear(d, h, bias=False, rng=rng, dtype=dtype)
        self.down = Linear(h, d, bias=False, rng=rng, dtype=dtype)
        self.drop = Dropout(config.dropout, seed=seed)

    def forward(self, x: Tensor) -> Tensor:
        g = self.gate(x)
        return self.drop(self.down(g * g.sigmoid() * self.up(x)))


def feed_forward_class(config: BlockConfig) -> type[FeedForward] | type[SwiGLU]:
    """The FFN that config.ffn names: "gelu" (FeedForward, 4d) or "swiglu" (SwiGLU, 8d/3)."""
    return SwiGLU if config.ffn == "swiglu" else FeedForward


class TransformerBlock(Module):
    """x -> x + attn(ln1(x)) -> x + ffn(ln2(x))   (pre-norm).

    The residual stream x is never normalised itself: each sub-layer reads a normalised COPY
    and ADDS its result back. So a block whose sub-layers output zero is exactly the identity,
    and the gradient has a clean path from the loss to the embeddings through the additions.
    (Post-norm, the 2017 layout, is x -> ln(x + sublayer(x)); it needs learning-rate warm-up
    to train deep stacks.)
    """

    def __init__(self, config: BlockConfig, rng: np.random.Generator | None = None, seed: int = 0,
                 dtype: Any = np.float32) -> None:
        super().__init__()
        self.ln1 = make_norm(config, dtype=dtype)  # LayerNorm, or RMSNorm with config.norm="rmsnorm"
        self.attn = MultiHeadAttention(config, rng=rng, dtype=dtype)
        self.drop = Dropout(config.dropout, seed=seed)  # seed: the dropout masks; rng: the weights
        self.ln2 = make_norm(config, dtype=dtype)
        ffn_class = feed_forward_class(config)  # the GELU FeedForward, or SwiGLU with config.ffn="swiglu"
        self.ffn = ffn_class(config, rng=rng, seed=seed + 1, dtype=dtype)

    def forward(self, x: Tensor) -> Tensor:
        x = x + self.drop(self.attn(self.ln1(x)))
        x = x + self.ffn(self.ln2(x))
        return x


def sinusoidal_positions(n_positions: int, d_model: int) -> np.ndarray:
    """The fixed encodings of Vaswani et al. (2017), shape (n_positions, d_model):

        PE[p, 2i]   = sin(p / 10000^(2i/d))
        PE[p, 2i+1] = cos(p / 10000^(2i/d))

    Each pair of dimensions is a clock turning at its own speed, from one turn every 2*pi
    positions down to one every 10000*2*pi. Shifting by k positions is a rotation of every
    pair, the same for all p, which makes relative offsets easy to read off.
    """
    if d_model % 2:
        raise ValueError(f"sinusoidal_positions: d_model must be even, got {d_model}")
    pos = np.arange(n_positions)[:, None]  # (P, 1)
    two_i = np.arange(0, d_model, 2)[None, :]  # (1, d/2): the even dimensions 2i
    angle = pos / 10000.0 ** (two_i / d_model)
    pe = np.zeros((n_positions, d_model))
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle)
    return pe


class SinusoidalPositions(Module):
    """Adds the fixed sinusoidal encodings to x of shape (B, T, d). No parameters."""

    def __init__(self, max_len: int, d_model: int) -> None:
        super().__init__()
        self.table = sinusoidal_positions(max_len, d_model)  # a plain array, not a Parameter

    def forward(self, x: Tensor) -> Tensor:
        T = x.shape[1]
        if T > len(self.table):
            raise ValueError(f"SinusoidalPositions: sequence of length {T} exceeds max_len {len(self.table)}")
        return x + Tensor(self.table[:T].astype(x.dtype))
