"""Attention (Bahdanau et al. 2015; Vaswani et al. 2017): scores, the causal mask, multiple heads.

Build challenge of phase 15: write causal_mask, scaled_dot_product_attention and
MultiHeadAttention.forward yourself. `lynx build 15 --check` runs the validator.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minimodel.functional import softmax
from minimodel.init import rng_or_default
from minimodel.module import Module, Parameter
from minimodel.nn.config import BlockConfig
from minimodel.nn.linear import Linear
from minimodel.nn.rope import RoPE
from minimodel.ops import masked_fill, swap_last
from minimodel.tensor import Tensor


def causal_mask(T: int) -> np.ndarray:
    """(T, T) booleans, True where query i may look at key j: j <= i (itself and the past).

    Row i is the i-th position; the upper triangle above the diagonal is the future.
    """
    raise NotImplementedError("causal_mask: return a (T, T) boolean array, True where key j <= query i")


def scaled_dot_product_attention(q: Tensor, k: Tensor, v: Tensor, mask: np.ndarray | None = None) -> tuple[Tensor, Tensor]:
    """softmax(q k^T / sqrt(d_k)) v over the last two axes.

    q: (..., T_q, d_k)   k: (..., T_k, d_k)   v: (..., T_k, d_v)   mask: broadcasts to (T_q, T_k)
    Returns (output (..., T_q, d_v), weights (..., T_q, T_k)).

    Why sqrt(d_k): if the entries of q and k have variance 1, their dot product is a sum of
    d_k terms and has variance d_k. Unscaled scores grow like sqrt(d_k), the softmax puts
    almost all its weight on one key, and its gradient vanishes. Dividing by sqrt(d_k) brings
    the scores back to variance 1 whatever the head size.
    """
    # 1. scores = q k^T / sqrt(d_k)      (swap_last(k) transposes the last two axes)
    # 2. where the mask is False, set the score to -inf (masked_fill)
    # 3. weights = softmax(scores, axis=-1); return (weights @ v, weights)
    raise NotImplementedError("scaled_dot_product_attention: see the steps above")


def dot_product_scores(q: Tensor, k: Tensor) -> Tensor:
    """Luong et al. (2015) "dot" scores: q k^T, no scaling."""
    return q @ swap_last(k)


class AdditiveScores(Module):
    """Bahdanau et al. (2015) scores: v^T tanh(W_q q + W_k k), a tiny MLP per (query, key) pair.

    Works when q and k have different sizes, but builds a (T_q, T_k, d) tensor: slower than
    one matrix product.
    """

    def __init__(self, d_q: int, d_k: int, d_hidden: int, rng: np.random.Generator | None = None, dtype: Any = np.float32) -> None:
        super().__init__()
        rng = rng_or_default(rng)
        self.w_q = Linear(d_q, d_hidden, bias=False, rng=rng, dtype=dtype)
        self.w_k = Linear(d_k, d_hidden, bias=False, rng=rng, dtype=dtype)
        self.v = Parameter(rng.uniform(-1, 1, size=(d_hidden,)).astype(dtype) / np.sqrt(d_hidden))

    def forward(self, q: Tensor, k: Tensor) -> Tensor:
        a = self.w_q(q)  # (..., T_q, h)
        b = self.w_k(k)  # (..., T_k, h)
        T_q, T_k, h = a.shape[-2], b.shape[-2], a.shape[-1]
        lead = a.shape[:-2]
        pair = a.reshape(*lead, T_q, 1, h) + b.reshape(*lead, 1, T_k, h)  # (..., T_q, T_k, h)
        return pair.tanh() @ self.v  # (..., T_q, T_k)


class MultiHeadAttention(Module):
    """Self-attention with `config.n_heads` heads of size d_model / n_heads.

    One Linear makes q, k and v for all heads at once; each head attends in its own
    d_head-dimensional subspace; the heads' outputs are concatenated and mixed by `proj`.
    With config.causal, position t attends only to positions 0..t.
    """

    def __init__(self, config: BlockConfig, rng: np.random.Generator | None = None, dtype: Any = np.float32) -> None:
        super().__init__()
        d_model, n_heads = config.d_model, config.n_heads
        if d_model % n_heads:
            raise ValueError(f"MultiHeadAttention: d_model={d_model} is not divisible by n_heads={n_heads}")
        self.d_model = d_model
        self.n_heads = n_heads
        self.d_head = d_model // n_heads
        self.causal = config.causal
        self.qkv = Linear(d_model, 3 * d_model, rng=rng, dtype=dtype)
        self.proj = Linear(d_model, d_model, rng=rng, dtype=dtype)
        # RoPE (Su et al. 2021): positions as rotations of q and k, inside attention (config.positions="rope")
        self.rope = RoPE(self.d_head) if config.positions == "rope" else None

    def forward(self, x: Tensor, return_weights: bool = False, start: int = 0) -> Tensor | tuple[Tensor, Tensor]:
        """x: (B, T, C). start: the position of x's first token (for RoPE; 0 for a whole sequence)."""
        # 1. one product makes q, k and v for every head: self.qkv(x) has shape (B, T, 3C), columns [q | k | v],
        #    and inside each third, head h owns the D consecutive columns h*D .. h*D+D-1.
        # 2. reshape/transpose to three (B, H, T, D) tensors; mask with causal_mask(T) when self.causal.
        #    (With config.positions="rope", self.rope is set: rotate q and k with self.rope(q, start), self.rope(k, start).)
        # 3. attend, put the heads side by side again (B, T, C), and mix them with self.proj.
        raise NotImplementedError("MultiHeadAttention.forward: see the steps above")

    def __repr__(self) -> str:
        return f"MultiHeadAttention(d_model={self.d_model}, n_heads={self.n_heads}, causal={self.causal})"
