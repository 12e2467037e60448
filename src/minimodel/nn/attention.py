"""Attention (Bahdanau et al. 2015; Vaswani et al. 2017): scores, the causal mask, multiple heads."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minimodel.functional import softmax
from minimodel.init import rng_or_default
from minimodel.module import Module, Parameter
from minimodel.nn.config import BlockConfig
from minimodel.nn.linear import Linear
from minimodel.ops import masked_fill, swap_last
from minimodel.tensor import Tensor


def causal_mask(T: int) -> np.ndarray:
    """(T, T) booleans, True where query i may look at key j: j <= i (itself and the past).

    Row i is the i-th position; the upper triangle above the diagonal is the future.
    """
    return np.tril(np.ones((T, T), dtype=bool))


def scaled_dot_product_attention(q: Tensor, k: Tensor, v: Tensor, mask: np.ndarray | None = None) -> tuple[Tensor, Tensor]:
    """softmax(q k^T / sqrt(d_k)) v over the last two axes.

    q: (..., T_q, d_k)   k: (..., T_k, d_k)   v: (..., T_k, d_v)   mask: broadcasts to (T_q, T_k)
    Returns (output (..., T_q, d_v), weights (..., T_q, T_k)).

    Why sqrt(d_k): if the entries of q and k have variance 1, their dot product is a sum of
    d_k terms and has variance d_k. Unscaled scores grow like sqrt(d_k), the softmax puts
    almost all its weight on one key, and its gradient vanishes. Dividing by sqrt(d_k) brings
    the scores back to variance 1 whatever the head size.
    """
    d_k = q.shape[-1]
    scores = (q @ swap_last(k)) / math.sqrt(d_k)
    if mask is not None:
        # -inf where the mask is False: exp(-inf) = 0, so those keys get exactly zero weight.
        scores = masked_fill(scores, ~np.asarray(mask, dtype=bool), -np.inf)
    weights = softmax(scores, axis=-1)
    return weights @ v, weights


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

    def forward(self, x: Tensor, return_weights: bool = False) -> Tensor | tuple[Tensor, Tensor]:
        B, T, C = x.shape
        H, D = self.n_heads, self.d_head
        # (B, T, 3C) -> (B, T, 3, H, D) -> (3, B, H, T, D): one (T, D) matrix per head.
        qkv = self.qkv(x).reshape(B, T, 3, H, D).transpose((2, 0, 3, 1, 4))
        q, k, v = qkv[0], qkv[1], qkv[2]
        mask = causal_mask(T) if self.causal else None
        y, weights = scaled_dot_product_attention(q, k, v, mask)  # (B, H, T, D), (B, H, T, T)
        y = y.transpose((0, 2, 1, 3)).reshape(B, T, C)  # heads side by side again
        out = self.proj(y)
        return (out, weights) if return_weights else out

    def __repr__(self) -> str:
        return f"MultiHeadAttention(d_model={self.d_model}, n_heads={self.n_heads}, causal={self.causal})"
