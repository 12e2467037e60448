"""Every Tensor op's gradient against central finite differences (float64)."""

import numpy as np
import pytest

from minimodel import Tensor, no_grad
from minimodel.gradcheck import check_gradients as check

rng = np.random.default_rng(1)


def r(*shape):
    return rng.normal(size=shape)


@pytest.mark.parametrize(
    "fn, shapes",
    [
        (lambda a, b: a + b, [(3, 4), (3, 4)]),
        (lambda a, b: a + b, [(2, 3, 4), (4,)]),  # broadcast a vector
        (lambda a, b: a + b, [(2, 1, 4), (3, 1)]),  # broadcast both ways
        (lambda a, b: a - b, [(3, 4), (1, 4)]),
        (lambda a, b: a * b, [(3, 4), (3, 4)]),
        (lambda a, b: a * b, [(2, 3, 4), (3, 1)]),
        (lambda a: -a, [(3, 4)]),
        (lambda a: a * 3.0 + 1.0, [(5,)]),
        (lambda a: 2.0 - a, [(5,)]),
        (lambda a: a**3, [(3, 4)]),
        (lambda a, b: a @ b, [(3, 4), (4, 5)]),
        (lambda a, b: a @ b, [(2, 3, 4), (2, 4, 5)]),  # batched
        (lambda a, b: a @ b, [(2, 3, 4), (4, 5)]),  # broadcast right operand over the batch
        (lambda a, b: a @ b, [(3, 4), (2, 4, 5)]),  # broadcast left operand
        (lambda a, b: a @ b, [(2, 1, 3, 4), (5, 4, 2)]),  # broadcast batch dims
        (lambda a, b: a @ b, [(4,), (4, 5)]),  # vector @ matrix
        (lambda a, b: a @ b, [(2, 3, 4), (4,)]),  # matrix @ vector
        (lambda a: a.sum(), [(3, 4)]),
        (lambda a: a.sum(axis=0), [(3, 4)]),
        (lambda a: a.sum(axis=-1, keepdims=True), [(2, 3, 4)]),
        (lambda a: a.sum(axis=(0, 2)), [(2, 3, 4)]),
        (lambda a: a.mean(), [(3, 4)]),
        (lambda a: a.mean(axis=1), [(2, 3, 4)]),
        (lambda a: a.mean(axis=(0, 1), keepdims=True), [(2, 3, 4)]),
        (lambda a: a.reshape(4, 6), [(2, 3, 4)]),
        (lambda a: a.reshape((-1,)), [(2, 3)]),
        (lambda a: a.transpose(), [(3, 4)]),
        (lambda a: a.transpose((1, 2, 0)), [(2, 3, 4)]),
        (lambda a: a.T, [(3, 4)]),
        (lambda a: a[1], [(3, 4)]),
        (lambda a: a[:, 1:3], [(3, 4)]),
        (lambda a: a[np.array([0, 2, 0, 0])], [(3, 4)]),  # repeated rows accumulate
        (lambda a: a[np.arange(3), np.array([1, 1, 3])], [(3, 4)]),
        (lambda a: a.exp(), [(3, 4)]),
        (lambda a: a.tanh(), [(3, 4)]),
        (lambda a: a.sigmoid(), [(3, 4)]),
        (lambda a: a.max(axis=-1), [(3, 4)]),
        (lambda a: a.max(axis=0, keepdims=True), [(3, 4)]),
        (lambda a: a.max(), [(3, 4)]),
    ],
)
def test_gradient_matches_finite_differences(fn, shapes):
    check(fn, *[r(*s) for s in shapes])


def test_division_gradient():
    check(lambda a, b: a / b, r(3, 4), 2.0 + rng.uniform(size=(3, 1)))
    check(lambda a: 1.0 / a, 1.0 + rng.uniform(size=(4,)))


def test_log_gradient():
    check(lambda a: a.log(), 0.5 + rng.uniform(size=(3, 4)))


def test_relu_gradient_away_from_zero():
    x = r(3, 4)
    x[np.abs(x) < 0.1] = 0.5  # the kink at 0 has no derivative; keep away from it
    check(lambda a: a.relu(), x)


def test_tensor_used_twice_accumulates():
    check(lambda a: a * a + a, r(3))
    x = Tensor(np.array([3.0]), requires_grad=True)
    (x * x).sum().backward()
    assert x.grad[0] == pytest.approx(6.0)


def test_deep_graph_needs_no_recursion():
    x = Tensor(np.ones(2), requires_grad=True)
    y = x
    for _ in range(5000):
        y = y + 1.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, np.ones(2))


def test_dtypes():
    assert Tensor([1, 2]).dtype == np.float32
    assert Tensor(np.arange(3)).dtype == np.float32
    assert Tensor(np.zeros(2)).dtype == np.float64  # float64 arrays stay float64
    a = Tensor(np.zeros(2, dtype=np.float32), requires_grad=True)
    b = (a * 2.0 + 1.0) / 3.0
    assert b.dtype == np.float32  # Python numbers do not promote float32
    b.sum().backward()
    assert a.grad.dtype == np.float32


def test_basics():
    t = Tensor(np.arange(6.0).reshape(2, 3))
    assert t.shape == (2, 3) and t.ndim == 2 and t.size == 6
    assert isinstance(t.numpy(), np.ndarray)
    assert Tensor(np.array([4.0])).item() == 4.0
    assert t.T.shape == (3, 2)


def test_backward_needs_scalar_or_gradient():
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    with pytest.raises(ValueError, match="single number"):
        (x * 2.0).backward()
    (x * 2.0).backward(np.ones((2, 2)))
    np.testing.assert_array_equal(x.grad, 2 * np.ones((2, 2)))


def test_no_grad_builds_no_graph():
    x = Tensor(np.ones(3), requires_grad=True)
    with no_grad():
        y = (x * 2.0).sum()
    assert not y.requires_grad and y._parents == ()
    z = (x * 2.0).sum()
    assert z.requires_grad


def test_ndarray_on_the_left():
    x = Tensor(np.ones(3), requires_grad=True)
    y = np.full(3, 2.0) * x
    assert isinstance(y, Tensor)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, np.full(3, 2.0))


def test_sqrt_and_var_gradients():
    check(lambda a: a.sqrt(), 0.5 + rng.uniform(size=(3, 4)))
    check(lambda a: a.var(axis=-1, keepdims=True), r(2, 5))
    check(lambda a: a.var(), r(3, 4))
    np.testing.assert_allclose(Tensor(np.arange(4.0)).var().data, np.var(np.arange(4.0)))


def test_gradcheck_catches_a_wrong_backward():
    def bad_square(a):
        out = a._make(a.data**2, (a,), "bad")
        out._backward = lambda: a._accumulate(out.grad * a.data)  # missing the factor 2
        return out

    with pytest.raises(AssertionError):
        check(bad_square, r(3))


def test_tensor_indices():
    rows = Tensor(np.array([0, 2, 2]))
    check(lambda a: a[rows], r(3, 4))
    check(lambda a: a[rows, Tensor(np.array([1, 1, 3]))], r(3, 4))


def test_backward_through_a_constant_branch():
    # a value computed from a tensor that needs no gradient, combined with a parameter
    from minimodel import Parameter, Tensor

    x = Tensor(np.arange(3.0))
    w = Parameter(np.ones(3))
    ((x / 2.0) * w).sum().backward()
    np.testing.assert_allclose(w.grad, np.arange(3.0) / 2.0)
    assert x.grad is None
