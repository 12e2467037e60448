"""A NumPy array that remembers how it was made, so it can send gradients back.

Reverse-mode automatic differentiation in the style of micrograd (Karpathy 2020), but on
whole arrays: every operation returns a new `Tensor` holding its inputs (`_parents`) and a
small `_backward` function that turns the gradient of the output into gradients of the
inputs (the chain rule, one local step). `backward()` visits the graph in reverse
topological order so every node has its full gradient before it passes it on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from minimodel import hooks

# Gradient recording is on unless we are inside `with no_grad():` (evaluation, optimizer steps).
_GRAD_ENABLED = True


@contextlib.contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block, operations build no graph (cheaper, and nothing can leak into .grad)."""
    global _GRAD_ENABLED
    previous = _GRAD_ENABLED
    _GRAD_ENABLED = False
    try:
        yield
    finally:
        _GRAD_ENABLED = previous


def is_grad_enabled() -> bool:
    return _GRAD_ENABLED


def _as_array(data: Any) -> np.ndarray:
    """Float arrays keep their dtype (float64 stays float64 for finite-difference tests);
    everything else (lists, Python numbers, integer arrays) becomes float32."""
    if isinstance(data, (np.ndarray, np.generic)) and np.issubdtype(data.dtype, np.floating):
        return np.asarray(data)  # np.generic: a full reduction returns a NumPy scalar
    return np.asarray(data, dtype=np.float32)


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` back down to `shape`, undoing NumPy broadcasting.

    If x of shape (3,) was broadcast against (4, 3), each x[j] was used 4 times, so its
    gradient is the sum of the 4 upstream gradients (the multivariable chain rule).
    """
    # Leading axes that broadcasting added.
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    # Axes that were 1 in the input and stretched in the output.
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


class Tensor:
    """An n-dimensional array with an optional gradient.

    data:          the values (np.ndarray)
    grad:          d(loss)/d(data) after `loss.backward()`, same shape as data, or None
    requires_grad: whether gradients should flow into this tensor
    """

    __array_priority__ = 100  # so `ndarray * Tensor` calls Tensor.__rmul__, not NumPy's loop

    def __init__(
        self,
        data: Any,
        requires_grad: bool = False,
        _parents: tuple[Tensor, ...] = (),
        _op: str = "",
    ) -> None:
        self.data: np.ndarray = _as_array(data)
        self.grad: np.ndarray | None = None
        self.requires_grad = requires_grad
        self._parents = _parents
        self._op = _op  # a label for debugging and for printing the graph
        self._backward: Callable[[], None] = lambda: None

    # ------------------------------------------------------------------ basics
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def size(self) -> int:
        return self.data.size

    def numpy(self) -> np.ndarray:
        return self.data

    def item(self) -> float:
        return self.data.item()

    def detach(self) -> Tensor:
        """The same values, cut from the graph."""
        return Tensor(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({np.array2string(self.data, precision=4, threshold=20)}{grad})"

    # ------------------------------------------------------------- graph plumbing
    def _make(self, data: np.ndarray, parents: tuple[Tensor, ...], op: str) -> Tensor:
        """Wrap a result; record the parents only if some parent wants a gradient."""
        needs_grad = _GRAD_ENABLED and any(p.requires_grad for p in parents)
        return Tensor(data, requires_grad=needs_grad, _parents=parents if needs_grad else (), _op=op)

    def _accumulate(self, grad: np.ndarray) -> None:
        """Add a gradient contribution (a tensor used twice receives two contributions)."""
        if not self.requires_grad:
            return
        grad = np.asarray(grad, dtype=self.data.dtype)
        if grad.shape != self.data.shape:
            raise ValueError(f"gradient of shape {grad.shape} for a tensor of shape {self.data.shape} ({self._op or 'leaf'})")
        self.grad = grad.copy() if self.grad is None else self.grad + grad

    def _wrap(self, other: Any) -> Tensor:
        """Python numbers become tensors of OUR dtype, so float32 stays float32."""
        if isinstance(other, Tensor):
            return other
        return Tensor(np.asarray(other, dtype=self.data.dtype))

    def backward(self, grad: np.ndarray | None = None) -> None:
        """Fill `.grad` of every tensor this one depends on.

        With no argument the tensor must hold a single number (a loss): d(loss)/d(loss) = 1.
        """
        if grad is None:
            if self.data.size != 1:
                raise ValueError(f"backward() without a gradient needs a single number, got shape {self.shape}")
            grad = np.ones_like(self.data)
        # Topological order, built without recursion so deep graphs do not hit Python's limit.
        order: list[Tensor] = []
        seen: set[int] = set()
        stack: list[tuple[Tensor, bool]] = [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for parent in node._parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        self._accumulate(grad)
        for node in reversed(order):
            # A node no gradient reached (e.g. a constant's branch) has nothing to pass on.
            if node.grad is not None:
                node._backward()
        if hooks.backward:  # someone watches training (minimodel.hooks): every gradient is in now
            hooks.after_backward(self)

    # ------------------------------------------------------------- arithmetic
    def __add__(self, other: Any) -> Tensor:
        other = self._wrap(other)
        out = self._make(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            self._accumulate(unbroadcast(out.grad, self.shape))
            other._accumulate(unbroadcast(out.grad, other.shape))

        out._backward = _backward
        return out

    def __mul__(self, other: Any) -> Tensor:
        other = self._wrap(other)
        out = self._make(self.data * other.data, (self, other), "*")

        def _backward() -> None:
            self._accumulate(unbroadcast(out.grad * other.data, self.shape))
            other._accumulate(unbroadcast(out.grad * self.data, other.shape))

        out._backward = _backward
        return out

    def __truediv__(self, other: Any) -> Tensor:
        other = self._wrap(other)
        out = self._make(self.data / other.data, (self, other), "/")

        def _backward() -> None:
            # d(a/b)/da = 1/b,  d(a/b)/db = -a/b^2
            self._accumulate(unbroadcast(out.grad / other.data, self.shape))
            other._accumulate(unbroadcast(-out.grad * self.data / other.data**2, other.shape))

        out._backward = _backward
        return out

    def __pow__(self, exponent: float) -> Tensor:
        if isinstance(exponent, Tensor):
            raise TypeError("Tensor ** Tensor is not supported; the exponent must be a Python number")
        out = self._make(self.data**exponent, (self,), f"**{exponent}")

        def _backward() -> None:
            self._accumulate(out.grad * exponent * self.data ** (exponent - 1))

        out._backward = _backward
        return out

    def __neg__(self) -> Tensor:
        return self * -1.0

    def __sub__(self, other: Any) -> Tensor:
        return self + (-self._wrap(other))

    def __radd__(self, other: Any) -> Tensor:
        return self + other

    def __rmul__(self, other: Any) -> Tensor:
        return self * other

    def __rsub__(self, other: Any) -> Tensor:
        return self._wrap(other) - self

    def __rtruediv__(self, other: Any) -> Tensor:
        return self._wrap(other) / self

    # ------------------------------------------------------------- matmul
    def __matmul__(self, other: Any) -> Tensor:
        """Matrix product with NumPy semantics: batched over leading axes, which broadcast."""
        other = self._wrap(other)
        out = self._make(self.data @ other.data, (self, other), "@")

        def _backward() -> None:
            a, b, g = self.data, other.data, out.grad
            # A vector operand is a matrix with one row (left) or one column (right).
            a2 = a[None, :] if a.ndim == 1 else a
            b2 = b[:, None] if b.ndim == 1 else b
            if a.ndim == 1:
                g = np.expand_dims(g, -2)
            if b.ndim == 1:
                g = np.expand_dims(g, -1)
            # C = A B  =>  dA = dC B^T,  dB = A^T dC  (then undo any batch broadcasting)
            ga = g @ np.swapaxes(b2, -1, -2)
            gb = np.swapaxes(a2, -1, -2) @ g
            self._accumulate(unbroadcast(ga, a2.shape).reshape(a.shape))
            other._accumulate(unbroadcast(gb, b2.shape).reshape(b.shape))

        out._backward = _backward
        return out

    def __rmatmul__(self, other: Any) -> Tensor:
        return self._wrap(other) @ self

    # ------------------------------------------------------------- reductions
    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        out = self._make(self.data.sum(axis=axis, keepdims=keepdims), (self,), "sum")

        def _backward() -> None:
            g = out.grad
            if not keepdims and axis is not None:
                g = np.expand_dims(g, axis)
            # Every summed element contributed with weight 1.
            self._accumulate(np.broadcast_to(g, self.shape))

        out._backward = _backward
        return out

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        count = self.data.size if axis is None else int(np.prod([self.shape[a] for a in np.atleast_1d(axis)]))
        return self.sum(axis=axis, keepdims=keepdims) / count

    def max(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        """The gradient goes to the maximum (split evenly between ties)."""
        out_keep = self.data.max(axis=axis, keepdims=True)
        out = self._make(out_keep if keepdims else self.data.max(axis=axis), (self,), "max")

        def _backward() -> None:
            mask = (self.data == out_keep).astype(self.data.dtype)
            mask /= mask.sum(axis=axis, keepdims=True)
            g = out.grad if keepdims or axis is None else np.expand_dims(out.grad, axis)
            self._accumulate(mask * g)

        out._backward = _backward
        return out

    # ------------------------------------------------------------- shape
    def reshape(self, *shape: Any) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        out = self._make(self.data.reshape(shape), (self,), "reshape")

        def _backward() -> None:
            self._accumulate(out.grad.reshape(self.shape))

        out._backward = _backward
        return out

    def transpose(self, axes: tuple[int, ...] | None = None) -> Tensor:
        out = self._make(np.transpose(self.data, axes), (self,), "transpose")

        def _backward() -> None:
            # The inverse permutation puts every axis back where it came from.
            inverse = None if axes is None else np.argsort(axes)
            self._accumulate(np.transpose(out.grad, inverse))

        out._backward = _backward
        return out

    @property
    def T(self) -> Tensor:
        return self.transpose()

    def __getitem__(self, index: Any) -> Tensor:
        # Tensors used as indices are integer arrays in disguise.
        if isinstance(index, Tensor):
            index = index.data.astype(np.int64)
        elif isinstance(index, tuple):
            index = tuple(i.data.astype(np.int64) if isinstance(i, Tensor) else i for i in index)
        out = self._make(self.data[index], (self,), "getitem")

        def _backward() -> None:
            grad = np.zeros_like(self.data)
            # add.at, not `grad[index] += ...`: an index may pick the same element twice.
            np.add.at(grad, index, out.grad)
            self._accumulate(grad)

        out._backward = _backward
        return out

    # ------------------------------------------------------------- elementwise
    def exp(self) -> Tensor:
        out = self._make(np.exp(self.data), (self,), "exp")

        def _backward() -> None:
            self._accumulate(out.grad * out.data)

        out._backward = _backward
        return out

    def log(self) -> Tensor:
        out = self._make(np.log(self.data), (self,), "log")

        def _backward() -> None:
            self._accumulate(out.grad / self.data)

        out._backward = _backward
        return out

    def tanh(self) -> Tensor:
        out = self._make(np.tanh(self.data), (self,), "tanh")

        def _backward() -> None:
            self._accumulate(out.grad * (1.0 - out.data**2))

        out._backward = _backward
        return out

    def sigmoid(self) -> Tensor:
        # 0.5 * (1 + tanh(x/2)) equals 1 / (1 + e^-x) but never overflows.
        s = 0.5 * (1.0 + np.tanh(0.5 * self.data))
        out = self._make(s.astype(self.data.dtype), (self,), "sigmoid")

        def _backward() -> None:
            self._accumulate(out.grad * out.data * (1.0 - out.data))

        out._backward = _backward
        return out

    def sqrt(self) -> Tensor:
        return self**0.5

    def var(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """Population variance (divides by n), as LayerNorm uses it."""
        centred = self - self.mean(axis=axis, keepdims=True)
        return (centred * centred).mean(axis=axis, keepdims=keepdims)

    def relu(self) -> Tensor:
        out = self._make(np.maximum(self.data, 0), (self,), "relu")

        def _backward() -> None:
            self._accumulate(out.grad * (self.data > 0))

        out._backward = _backward
        return out


def tensor(data: Any, requires_grad: bool = False) -> Tensor:
    """Shorthand for `Tensor(data, requires_grad)`."""
    return Tensor(data, requires_grad=requires_grad)
