"""Rotary position embedding, RoPE (Su et al. 2021, RoFormer).

Instead of adding a position vector to the input, rotate every query and key by an angle that
grows with its position. Pair i of dimensions (2i, 2i+1) turns by p * theta_i at position p,
theta_i = base^(-2i/d), the frequencies of the sinusoidal encodings. A rotation preserves dot
products between vectors turned by the same angle, so

    <R(p) q, R(p') k> = <q, R(p' - p) k>

depends on the positions only through the offset p' - p: attention scores become relative.
Nothing is learned, and the values (v) are not rotated.
"""

from __future__ import annotations

import numpy as np

from minimodel.module import Module
from minimodel.ops import stack
from minimodel.tensor import Tensor


def rope_angles(T: int, d: int, start: int = 0, base: float = 10000.0) -> np.ndarray:
    """(T, d/2) angles: row t is position start + t, column i turns at theta_i = base^(-2i/d)."""
    if d % 2:
        raise ValueError(f"rope: the head size must be even (pairs of dimensions), got {d}")
    theta = base ** (-np.arange(0, d, 2) / d)  # (d/2,)
    return np.arange(start, start + T)[:, None] * theta[None, :]


def apply_rope(x: Tensor, start: int = 0, base: float = 10000.0) -> Tensor:
    """Rotate x of shape (..., T, d): each pair (x[2i], x[2i+1]) at position start + t by its angle.

    `start` is the position of x's first row: 0 for a whole sequence, the number of tokens
    already seen when the keys of the past are kept and only the new tokens are fed.
    """
    *lead, T, d = x.shape
    angle = rope_angles(T, d, start, base)
    cos, sin = Tensor(np.cos(angle).astype(x.dtype)), Tensor(np.sin(angle).astype(x.dtype))
    pairs = x.reshape(*lead, T, d // 2, 2)
    a, b = pairs[..., 0], pairs[..., 1]  # the two coordinates of every pair, (..., T, d/2)
    # [a, b] -> [a cos - b sin, a sin + b cos]: a 2-D rotation, pair by pair (interleaved, as the paper)
    rotated = stack([a * cos - b * sin, a * sin + b * cos], axis=-1)
    return rotated.reshape(*lead, T, d)


class RoPE(Module):
    """apply_rope as a layer of MultiHeadAttention (config.positions == "rope"). No parameters."""

    def __init__(self, d_head: int, base: float = 10000.0) -> None:
        super().__init__()
        if d_head % 2:
            raise ValueError(f"RoPE: the head size must be even (pairs of dimensions), got {d_head}")
        self.d_head = d_head
        self.base = base

    def forward(self, x: Tensor, start: int = 0) -> Tensor:
        return apply_rope(x, start, self.base)

    def __repr__(self) -> str:
        return f"RoPE({self.d_head}, base={self.base:g})"
