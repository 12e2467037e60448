"""Check for break 14-03: clip_grad_norm scales every gradient by one factor, max_norm / global norm.

Runs against the learner's src/ (PYTHONPATH=<workspace>/src, cwd = workspace root).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "src"))

import numpy as np
import pytest

from minimodel.module import Parameter
from minimodel.schedule import clip_grad_norm


def params_with_grads(*grads):
    ps = []
    for g in grads:
        p = Parameter(np.zeros_like(g))
        p.grad = g.copy()
        ps.append(p)
    return ps


@pytest.mark.parametrize("max_norm", [0.5, 1.0, 3.0])
def test_one_factor_for_every_parameter(max_norm):
    rng = np.random.default_rng(0)
    grads = [rng.normal(0, 20, size=(8, 8)), rng.normal(0, 10, size=8), rng.normal(0, 0.1, size=(2, 8))]
    ps = params_with_grads(*grads)
    total = float(np.sqrt(sum((g * g).sum() for g in grads)))
    assert clip_grad_norm(ps, max_norm) == pytest.approx(total), "clip_grad_norm returns the norm before clipping"
    for i, (p, g) in enumerate(zip(ps, grads)):
        np.testing.assert_allclose(p.grad, g * (max_norm / total), rtol=1e-6,
                                   err_msg=f"parameter {i}: every gradient must be multiplied by max_norm / global norm")
    after = float(np.sqrt(sum((p.grad * p.grad).sum() for p in ps)))
    assert after == pytest.approx(max_norm, rel=1e-6), f"the clipped gradient is {after:.4f} long, not max_norm"


def test_short_gradients_are_left_alone():
    grads = [np.array([0.3, 0.4]), np.array([0.0, 0.5])]  # global norm 0.7071
    ps = params_with_grads(*grads)
    clip_grad_norm(ps, 1.0)
    for p, g in zip(ps, grads):
        np.testing.assert_array_equal(p.grad, g)
