"""minimodel.metrics: the effective rank of Roy & Vetterli (2007) and its companions."""

import numpy as np
import pytest

from minimodel.metrics import effective_rank, singular_values, small_rows, top_k_energy


def test_effective_rank_of_diag_3_2_1():
    # p = (1/2, 1/3, 1/6); r_eff = exp(-(1/2 ln 1/2 + 1/3 ln 1/3 + 1/6 ln 1/6)) = 2.7495...
    p = np.array([3, 2, 1]) / 6
    assert effective_rank(np.diag([3.0, 2.0, 1.0])) == pytest.approx(np.exp(-(p * np.log(p)).sum()), rel=1e-12)
    assert effective_rank(np.diag([3.0, 2.0, 1.0])) == pytest.approx(2.7495, abs=5e-5)


def test_equal_singular_values_give_the_full_count():
    assert effective_rank(np.eye(7)) == pytest.approx(7.0)
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(20, 5)))
    assert effective_rank(3.0 * q) == pytest.approx(5.0)  # orthonormal columns, scaled


def test_rank_one_and_zero_matrices():
    u = np.arange(1.0, 6.0)[:, None]
    assert effective_rank(u @ u.T) == pytest.approx(1.0, abs=1e-6)  # tiny round-off singular values only
    assert effective_rank(np.zeros((4, 3))) == 0.0


def test_effective_rank_ignores_scale_and_orientation():
    a = np.random.default_rng(1).normal(size=(30, 8))
    assert effective_rank(5 * a) == pytest.approx(effective_rank(a))
    assert effective_rank(a.T) == pytest.approx(effective_rank(a))


def test_top_k_energy_and_small_rows():
    m = np.diag([3.0, 2.0, 1.0])
    assert top_k_energy(m, 1) == pytest.approx(9 / 14)
    assert top_k_energy(m, 5) == pytest.approx(1.0)
    assert list(singular_values(m)) == pytest.approx([3, 2, 1])
    rows = np.array([[0.0, 0.01], [3.0, 4.0], [0.03, 0.05]])
    assert small_rows(rows, 0.05) == 1 and small_rows(rows, 0.06) == 2
