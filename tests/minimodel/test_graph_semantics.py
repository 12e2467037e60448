"""backward() as PyTorch does it: a graph is used once and freed, only leaves keep their .grad,
retain_graph=True keeps the graph, and a leaf's .grad is always an array of its own."""

from __future__ import annotations

import numpy as np
import pytest

from minimodel import Parameter, Tensor, no_grad


def test_a_second_backward_through_a_freed_graph_raises_and_changes_nothing():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    loss = (x * x).sum()
    loss.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    with pytest.raises(RuntimeError, match="already freed"):
        loss.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])  # no half-sent gradient


def test_a_new_graph_on_a_freed_intermediate_raises():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x * 2.0
    y.sum().backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        (y * 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_retain_graph_sends_each_gradient_once():
    """The issue's case: two losses over one shared intermediate. Kept with retain_graph=True, the second
    backward adds exactly its own gradient into the leaf (2 + 6 = 8), as PyTorch; the old graph kept
    y's gradient from the first loss and sent it again (10)."""
    x = Tensor(np.array([1.0]), requires_grad=True)
    y = x * 2.0
    y.sum().backward(retain_graph=True)
    (y * 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [8.0])
    assert y.grad is None


def test_retain_graph_twice_through_the_same_loss_doubles_the_leaf_gradient():
    w = Parameter(np.array([0.5, -1.0]))
    loss = (w * w * 3.0).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    np.testing.assert_allclose(w.grad, 2 * 6.0 * w.data)
    with pytest.raises(RuntimeError):
        loss.backward()


def test_only_leaves_keep_their_gradient_unless_retain_grad():
    x = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    h = (x * 2.0).retain_grad()
    y = h.tanh()
    loss = y.sum()
    loss.backward()
    assert x.is_leaf and not h.is_leaf
    assert y.grad is None and loss.grad is None
    np.testing.assert_allclose(h.grad, 1.0 - np.tanh(2 * x.data) ** 2)
    np.testing.assert_allclose(x.grad, 2.0 * h.grad)


def test_gradients_of_two_graphs_add_up_in_the_leaves():
    w = Parameter(np.array([1.0, 2.0]))
    (w * 3.0).sum().backward()
    (w * w).sum().backward()
    np.testing.assert_allclose(w.grad, 3.0 + 2 * w.data)


def test_leaf_gradients_are_their_own_writable_arrays():
    a, b = Tensor(np.ones(3), requires_grad=True), Tensor(np.ones(3), requires_grad=True)
    (a + b).sum().backward()  # both receive the same upstream array
    assert a.grad is not b.grad and not np.shares_memory(a.grad, b.grad)
    a.grad[0] = 10.0
    assert b.grad[0] == 1.0
    c = Tensor(np.ones((2, 2)), requires_grad=True)
    c.sum().backward()  # a broadcast (read-only) view upstream
    c.grad[0, 0] = 5.0
    seed = np.full((2, 2), 7.0)
    d = Tensor(np.ones((2, 2)), requires_grad=True)
    (d * 1.0).backward(seed)
    d.grad[0, 0] = 0.0
    assert seed[0, 0] == 7.0  # the caller's array is never a leaf's .grad
    d2 = Tensor(np.ones((2, 2)), requires_grad=True)
    d2.backward(seed)
    assert d2.grad is not seed and not np.shares_memory(d2.grad, seed)


def test_a_leaf_used_twice_and_accumulating_over_calls():
    x = Tensor(np.array([2.0]), requires_grad=True)
    (x + x).sum().backward()
    (x + x).sum().backward()
    np.testing.assert_array_equal(x.grad, [4.0])


def test_backward_needs_something_that_wants_a_gradient():
    with pytest.raises(RuntimeError, match="does not require a gradient"):
        Tensor(np.ones(1)).sum().backward()
    x = Tensor(np.ones(1), requires_grad=True)
    with no_grad():
        y = (x * 2.0).sum()
    with pytest.raises(RuntimeError):
        y.backward()


def test_under_no_grad_an_operation_keeps_no_backward_function():
    x = Tensor(np.ones(3), requires_grad=True)
    with no_grad():
        y = x * 2.0
    assert y._backward_fn is None and y._parents == () and y.is_leaf
