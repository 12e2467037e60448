"""Spectral measures of a weight matrix: how many directions does it really use?"""

from __future__ import annotations

import numpy as np


def singular_values(matrix: np.ndarray) -> np.ndarray:
    """Singular values, largest first (float64, whatever the matrix's dtype)."""
    return np.linalg.svd(np.asarray(matrix, dtype=np.float64), compute_uv=False)


def effective_rank(matrix: np.ndarray) -> float:
    """The effective rank of Roy & Vetterli (2007): exp of the entropy of the normalised spectrum.

    p_i = s_i / sum(s)  over the singular values s, then r_eff = exp(-sum p_i log p_i).
    Equal singular values give min(rows, cols); one dominant value gives about 1.
    Zero singular values contribute nothing (p log p -> 0 as p -> 0).
    """
    s = singular_values(matrix)
    total = s.sum()
    if total == 0:
        return 0.0
    p = s / total
    p = p[p > 0]
    return float(np.exp(-(p * np.log(p)).sum()))


def top_k_energy(matrix: np.ndarray, k: int = 5) -> float:
    """Share of the variance (sum of squared singular values) held by the k largest ones."""
    s2 = singular_values(matrix) ** 2
    total = s2.sum()
    return float(s2[:k].sum() / total) if total else 0.0


def small_rows(matrix: np.ndarray, threshold: float) -> int:
    """How many rows have a Euclidean norm below ``threshold`` (tokens whose vectors have faded)."""
    return int((np.linalg.norm(np.asarray(matrix, dtype=np.float64), axis=1) < threshold).sum())
