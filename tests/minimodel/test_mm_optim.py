"""One optimizer step against a hand-computed update."""

import numpy as np
import pytest

from minimodel import Parameter
from minimodel.optim import SGD, AdamW


def param(values, grad):
    p = Parameter(np.array(values, dtype=np.float64))
    p.grad = np.array(grad, dtype=np.float64)
    return p


def test_sgd_plain_step():
    p = param([1.0, -2.0], [0.5, 0.25])
    SGD([p], lr=0.1).step()
    np.testing.assert_allclose(p.data, [1.0 - 0.05, -2.0 - 0.025])


def test_sgd_momentum_and_weight_decay():
    p = param([1.0], [0.5])
    opt = SGD([p], lr=0.1, momentum=0.9, weight_decay=0.1)
    opt.step()  # g = 0.5 + 0.1*1 = 0.6; v = 0.6; p = 1 - 0.06 = 0.94
    np.testing.assert_allclose(p.data, [0.94])
    opt.step()  # g = 0.5 + 0.094 = 0.594; v = 0.9*0.6 + 0.594 = 1.134; p = 0.94 - 0.1134
    np.testing.assert_allclose(p.data, [0.94 - 0.1134])


def test_adamw_one_step_by_hand():
    p = param([1.0, -1.0], [0.5, -2.0])
    AdamW([p], lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01).step()
    # Step 1: m_hat = g, v_hat = g^2, so the Adam step is lr * g / (|g| + eps) = lr * sign(g).
    g = np.array([0.5, -2.0])
    w = np.array([1.0, -1.0])
    expected = w - 0.1 * 0.01 * w - 0.1 * g / (np.abs(g) + 1e-8)
    np.testing.assert_allclose(p.data, expected, rtol=1e-12)


def test_adamw_second_step_uses_bias_correction():
    p = param([0.0], [1.0])
    opt = AdamW([p], lr=0.1, betas=(0.5, 0.5), eps=0.0, weight_decay=0.0)
    opt.step()
    p.grad = np.array([3.0])
    opt.step()
    # m = 0.5*0.5 + 0.5*3 = 1.75, v = 0.5*0.5 + 0.5*9 = 4.75; m_hat = 1.75/0.75, v_hat = 4.75/0.75
    step2 = 0.1 * (1.75 / 0.75) / np.sqrt(4.75 / 0.75)
    np.testing.assert_allclose(p.data, [-0.1 - step2])


def test_adamw_weight_decay_is_decoupled():
    """The decay is lr * wd * p whatever the gradient's size: it never passes through the
    adaptive denominator. (With L2 added to the gradient, step 1 would normalise it away.)"""
    for grad in (1e-3, 1.0, 1e3):
        with_decay = param([2.0], [grad])
        without = param([2.0], [grad])
        AdamW([with_decay], lr=0.1, weight_decay=0.5).step()
        AdamW([without], lr=0.1, weight_decay=0.0).step()
        assert without.data[0] - with_decay.data[0] == pytest.approx(0.1 * 0.5 * 2.0)
    # No gradient signal at all: the weight still shrinks by the factor (1 - lr * wd).
    p = param([2.0], [0.0])
    AdamW([p], lr=0.1, weight_decay=0.5).step()
    assert p.data[0] == pytest.approx(2.0 * (1 - 0.05))


def test_parameters_without_grad_are_skipped_and_duplicates_dropped():
    p = param([1.0], [1.0])
    q = Parameter(np.array([5.0]))
    opt = SGD([p, p, q], lr=0.5)
    assert len(opt.params) == 2
    opt.step()
    assert p.data[0] == 0.5 and q.data[0] == 5.0
    opt.zero_grad()
    assert p.grad is None
    with pytest.raises(ValueError):
        SGD([], lr=0.1)
