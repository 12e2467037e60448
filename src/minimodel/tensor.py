"""A NumPy array that remembers how it was made, so it can send gradients back.

Reverse-mode automatic differentiation in the style of micrograd (Karpathy 2020), but on
whole arrays: every operation returns a new `Tensor` holding its inputs (`_parents`) and a
small `_backward` function that turns the gradient of the output into gradients of the
inputs (the chain rule, one local step). `backward()` visits the graph in reverse
topological order so every node has its full gradient before it passes it on.

What `backward()` does besides the chain rule, as PyTorch does it:

- It frees the graph as it goes. Once a node has passed its gradient on, its `_backward`
  function and its `_parents` are dropped, so each step's graph is released by reference
  counting alone, the moment the loss goes out of scope (a `_backward` function refers to
  its own output, so without this every graph would wait for Python's cycle collector).
  Calling `backward()` a second time through a freed graph raises an error instead of
  silently sending stale gradients; `backward(retain_graph=True)` keeps the graph.
- Only leaves (tensors you made yourself with requires_grad=True, and Parameters) keep
  their `.grad`. An intermediate result's gradient is dropped once it has been passed on,
  unless you asked for it with `t.retain_grad()`.

The speed of the whole library lives in this file, in the places marked "Speed:":
- the C allocator keeps the memory one step frees for the next (`_keep_freed_memory`);
- sums over the last or the leading axes run in BLAS, as products with a vector of ones
  (`sum_axes`);
- gradients are accumulated without needless copies (`_accumulate`, `_accumulate_broadcast`,
  `_accumulate_at`, and the end of `backward()`);
- an N-D @ 2-D product (a Linear layer on a batch of sequences) is one 2-D matrix product
  (`__matmul__`);
- and every `_backward` below skips the gradient of an input that does not want one.
The layers (minimodel.nn) use none of this directly: they are written with the operations.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import sys
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from minimodel import hooks


def _keep_freed_memory() -> None:
    """Speed: let the C allocator keep the memory a training step frees, for the next step.

    A step allocates tens of MB of arrays in the forward pass and frees them during backward().
    By default glibc's malloc hands memory above 128 KB straight back to the kernel (munmap, or
    a trim of the heap), so the next step gets fresh pages and the kernel zeroes every one of
    them: about 1,400 page faults and 5 ms of system time per mini-GPT step, a fifth of the step.
    With arrays up to 32 MB taken from the heap and up to 256 MB of free heap kept, the memory is
    reused from step to step (3 page faults a step). Peak memory does not grow: what is kept was
    in use a moment before. Linux with glibc only; elsewhere this does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    mallopt(M_MMAP_THRESHOLD, 32 * 2**20)
    mallopt(M_TRIM_THRESHOLD, 256 * 2**20)


_keep_freed_memory()

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


_FLOATS = (np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.float16))


def _as_array(data: Any) -> np.ndarray:
    """Float arrays keep their dtype (float64 stays float64 for finite-difference tests);
    everything else (lists, Python numbers, integer arrays) becomes float32."""
    if type(data) is np.ndarray and data.dtype in _FLOATS:  # the common case, checked first
        return data
    if isinstance(data, (np.ndarray, np.generic)) and np.issubdtype(data.dtype, np.floating):
        return np.asarray(data)  # np.generic: a full reduction returns a NumPy scalar
    return np.asarray(data, dtype=np.float32)


_ONES: dict[tuple[int, np.dtype], np.ndarray] = {}


def _ones(n: int, dtype: np.dtype) -> np.ndarray:
    ones = _ONES.get((n, dtype))
    if ones is None:
        ones = _ONES[(n, dtype)] = np.ones(n, dtype=dtype)
        ones.flags.writeable = False
    return ones


def _axes(axis: int | tuple[int, ...] | None, ndim: int) -> tuple[int, ...] | None:
    """An `axis` argument as sorted non-negative axes (None stays None: every axis)."""
    if axis is None:
        return None
    axes = axis if isinstance(axis, tuple) else (axis,)
    if not all(isinstance(a, (int, np.integer)) and -ndim <= a < ndim for a in axes):
        raise np.exceptions.AxisError(f"axis {axis} is out of bounds for an array of dimension {ndim}")
    return tuple(sorted(a % ndim for a in axes))


def sum_axes(x: np.ndarray, axes: tuple[int, ...] | None, keepdims: bool = False) -> np.ndarray:
    """x.sum(axis=axes, keepdims=keepdims), `axes` sorted and non-negative (see `_axes`).

    Speed: NumPy sums short rows slowly (the 64 features of each of 512 positions: 23 us), while
    the same sums as a matrix-vector product with a vector of ones run in BLAS (7 us). So a sum
    over the last axis is x @ ones, and a sum over the leading axes is ones @ x, for a contiguous
    float array big enough for it to matter; anything else is np.sum.
    """
    if (axes and x.size >= 4096 and type(x) is np.ndarray and x.flags.c_contiguous
            and (x.dtype == np.float32 or x.dtype == np.float64)):
        k, shape = len(axes), x.shape
        if axes == (x.ndim - 1,):  # the last axis
            rows = x.reshape(-1, shape[-1]) @ _ones(shape[-1], x.dtype)
            return rows.reshape(shape[:-1] + ((1,) if keepdims else ()))
        if k < x.ndim and axes == tuple(range(k)):  # the leading axes
            m = math.prod(shape[:k])
            cols = _ones(m, x.dtype) @ x.reshape(m, -1)
            return cols.reshape(((1,) * k if keepdims else ()) + shape[k:])
    return x.sum(axis=axes, keepdims=keepdims)


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` back down to `shape`, undoing NumPy broadcasting.

    If x of shape (3,) was broadcast against (4, 3), each x[j] was used 4 times, so its
    gradient is the sum of the 4 upstream gradients (the multivariable chain rule).
    """
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    # Axes that were 1 in the input and stretched in the output ...
    stretched = tuple(lead + i for i, size in enumerate(shape) if size == 1 and grad.shape[lead + i] != 1)
    if not stretched:
        return sum_axes(grad, tuple(range(lead)))  # ... or only leading axes that broadcasting added
    # All of them in one reduction.
    return sum_axes(grad, tuple(range(lead)) + stretched, keepdims=True).reshape(shape)


def _kept_shape(shape: tuple[int, ...], axes: tuple[int, ...] | None) -> tuple[int, ...]:
    """The shape of a reduction over `axes` with keepdims=True (a 1 for every reduced axis)."""
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _owner(a: np.ndarray) -> np.ndarray:
    """The array that owns the memory `a` is a view of (`a` itself if it owns it)."""
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


def _released() -> None:
    raise RuntimeError(
        "backward() reached a tensor whose graph was already freed by an earlier backward(): a graph is "
        "used once, then released. Build the graph again (run the forward pass again), or call the first "
        "backward(retain_graph=True) to keep it."
    )


def _nothing() -> None:
    """The backward of a tensor no operation made (a leaf, a constant)."""


def _is_basic(index: Any) -> bool:
    """True for an index made of integers, slices, None and `...` only (NumPy's basic indexing):
    it never picks the same element twice."""
    items = index if type(index) is tuple else (index,)
    for i in items:
        if i is None or i is Ellipsis or type(i) is slice:
            continue
        if isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)):
            continue
        return False
    return True


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
        self._grad: np.ndarray | None = None
        self.requires_grad = requires_grad
        self._parents = _parents
        self._op = _op  # a label for debugging and for printing the graph
        self._backward_fn: Callable[[], None] | None = None
        self._own: np.ndarray | None = None  # the gradient array this tensor allocated itself (see _accumulate)
        self._retains_grad = False

    @property
    def grad(self) -> np.ndarray | None:
        return self._grad

    @grad.setter
    def grad(self, value: np.ndarray | None) -> None:
        # A gradient set from outside (zero_grad's None, clipping's rescaled copy) is not an array this
        # tensor allocated: it is never added into in place, and the old one is not kept alive.
        self._grad = value
        self._own = None

    # The backward function of the operation that made this tensor. Only a tensor that wants a
    # gradient keeps it: under no_grad() the `out._backward = ...` of every operation is dropped
    # on the spot, so no function refers back to its output and nothing waits for the cycle collector.
    @property
    def _backward(self) -> Callable[[], None]:
        return self._backward_fn or _nothing

    @_backward.setter
    def _backward(self, fn: Callable[[], None]) -> None:
        if self.requires_grad:
            self._backward_fn = fn

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

    @property
    def is_leaf(self) -> bool:
        """Made by you (or a Parameter), not by an operation: a leaf keeps its .grad after backward()."""
        return self._backward_fn is None

    def numpy(self) -> np.ndarray:
        return self.data

    def item(self) -> float:
        return self.data.item()

    def detach(self) -> Tensor:
        """The same values, cut from the graph."""
        return Tensor(self.data)

    def retain_grad(self) -> Tensor:
        """Keep this intermediate result's .grad after backward() (leaves always keep theirs)."""
        self._retains_grad = True
        return self

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({np.array2string(self.data, precision=4, threshold=20)}{grad})"

    # ------------------------------------------------------------- graph plumbing
    def _make(self, data: np.ndarray, parents: tuple[Tensor, ...], op: str) -> Tensor:
        """Wrap a result; record the parents only if some parent wants a gradient."""
        needs_grad = False
        if _GRAD_ENABLED:
            for p in parents:
                if p.requires_grad:
                    needs_grad = True
                    break
        return Tensor(data, requires_grad=needs_grad, _parents=parents if needs_grad else (), _op=op)

    def _accumulate(self, grad: np.ndarray, fresh: bool = False) -> None:
        """Add a gradient contribution (a tensor used twice receives two contributions).

        Speed: the first contribution is stored as it is, not copied. It may be a view of
        another tensor's gradient (`a + b` hands the same array to both), so it is only read,
        never changed in place, unless the caller says it is `fresh` (a new array nobody else
        holds, as the result of a product): then this tensor owns it (`_own`). A contribution
        that finds a borrowed gradient makes a new array this tensor owns; one that finds an
        owned gradient is added into it in place. `backward()` gives every leaf an array of its
        own at the end, so a .grad you read is always yours to change.
        """
        if not self.requires_grad:
            return
        if type(grad) is not np.ndarray or grad.dtype != self.data.dtype:
            grad = np.asarray(grad, dtype=self.data.dtype)
        if grad.shape != self.data.shape:
            raise ValueError(f"gradient of shape {grad.shape} for a tensor of shape {self.data.shape} ({self._op or 'leaf'})")
        current = self._grad
        if current is None:
            self._grad = grad
            if fresh:
                self._own = grad
        elif current is self._own:
            current += grad
        else:
            total = current + grad
            self._grad = self._own = total if type(total) is np.ndarray else np.asarray(total)  # a 0-d sum is a scalar

    def _accumulate_broadcast(self, grad: np.ndarray) -> None:
        """Add `grad`, which broadcasts to this tensor's shape (the backward of a sum or a mean).

        Speed: NumPy broadcasts it while adding, so no full-size view is built first (np.broadcast_to
        costs more than the addition on these sizes), and the sum is an array of this tensor's own.
        """
        if not self.requires_grad:
            return
        current = self._grad
        if current is not None and current is self._own:
            current += grad
            return
        total = np.empty_like(self.data)
        if current is None:
            total[...] = grad
        else:
            np.add(current, grad, out=total)
        self._grad = self._own = total

    def _accumulate_at(self, index: Any, grad: np.ndarray) -> None:
        """Add `grad` into the elements `self.data[index]` picked (the backward of indexing).

        Speed: the contributions go straight into one array of this tensor's own, so splitting a
        tensor into parts (q, k and v) allocates one gradient, not one full-size array per part.
        """
        if not self.requires_grad:
            return
        if self._grad is None or self._grad is not self._own:
            full = np.zeros_like(self.data) if self._grad is None else np.array(self._grad, dtype=self.data.dtype)
            self._grad = self._own = full
        if _is_basic(index):
            self._grad[index] += grad  # a basic index never picks an element twice
        else:
            # add.at, not `grad[index] += ...`: an index may pick the same element twice.
            np.add.at(self._grad, index, grad)

    def _wrap(self, other: Any) -> Tensor:
        """Python numbers become tensors of OUR dtype, so float32 stays float32."""
        if isinstance(other, Tensor):
            return other
        return Tensor(np.asarray(other, dtype=self.data.dtype))

    def backward(self, grad: np.ndarray | None = None, retain_graph: bool = False) -> None:
        """Fill `.grad` of every leaf this tensor depends on, then free the graph.

        With no argument the tensor must hold a single number (a loss): d(loss)/d(loss) = 1.
        retain_graph=True keeps the graph, so backward() can run through it again (the leaves'
        gradients then add up, as they do over two graphs).
        """
        if not self.requires_grad:
            raise RuntimeError("backward() on a tensor that does not require a gradient: no input of the "
                               "computation had requires_grad=True, or it ran under no_grad()")
        if grad is None:
            if self.data.size != 1:
                raise ValueError(f"backward() without a gradient needs a single number, got shape {self.shape}")
            grad = np.ones_like(self.data)
            seed = None
        else:
            seed = grad if type(grad) is np.ndarray else None  # the caller's array: no leaf may keep it
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
            if node._backward_fn is _released:
                _released()  # before any gradient moves, so nothing is half-updated
            stack.append((node, True))
            for parent in node._parents:
                if id(parent) not in seen:
                    stack.append((parent, False))
        self._accumulate(grad)
        leaves = []
        for node in reversed(order):
            fn = node._backward_fn
            if fn is None:  # a leaf: its gradient stays
                if node._grad is not None:
                    leaves.append(node)
                continue
            # A node no gradient reached (e.g. a constant's branch) has nothing to pass on.
            if node._grad is not None:
                fn()
                if node._retains_grad:
                    node._grad = node._own = np.array(node._grad)
                else:
                    node._grad = node._own = None  # passed on; an intermediate keeps no gradient
            if not retain_graph:
                # Free the graph as we go: drop the function (and the arrays it refers to) and the parents.
                node._backward_fn = _released
                node._parents = ()
        # Every leaf gets a gradient it can keep and change: writeable, and sharing no memory with
        # another leaf's gradient (`a + b` hands both the same array) or with the caller's `grad`.
        # Speed: only those are copied; a gradient that is a view of a fresh array stays a view.
        kept: dict[int, list[np.ndarray]] = {}
        if seed is not None:
            kept[id(_owner(seed))] = [seed]
        for leaf in leaves:
            g = leaf._grad
            if g is not leaf._own:
                if not g.flags.writeable or any(np.may_share_memory(g, k) for k in kept.get(id(_owner(g)), ())):
                    g = np.array(g)
                leaf._grad = leaf._own = g
            kept.setdefault(id(_owner(g)), []).append(g)
        if hooks.backward:  # someone watches training (minimodel.hooks): every gradient is in now
            hooks.after_backward(self)

    # ------------------------------------------------------------- arithmetic
    def __add__(self, other: Any) -> Tensor:
        other = self._wrap(other)
        out = self._make(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            if self.requires_grad:
                self._accumulate(unbroadcast(out.grad, self.shape))
            if other.requires_grad:
                other._accumulate(unbroadcast(out.grad, other.shape))

        out._backward = _backward
        return out

    def __sub__(self, other: Any) -> Tensor:
        other = self._wrap(other)
        out = self._make(self.data - other.data, (self, other), "-")

        def _backward() -> None:
            if self.requires_grad:
                self._accumulate(unbroadcast(out.grad, self.shape))
            if other.requires_grad:
                other._accumulate(-unbroadcast(out.grad, other.shape), fresh=True)  # sum first, then negate the (smaller) sum

        out._backward = _backward
        return out

    def __mul__(self, other: Any) -> Tensor:
        other = self._wrap(other)
        out = self._make(self.data * other.data, (self, other), "*")

        def _backward() -> None:
            if other is self:  # x * x: both factors' gradients at once, 2 x g
                g = out.grad * self.data
                g += g
                self._accumulate(g, fresh=True)
                return
            if self.requires_grad:
                self._accumulate(unbroadcast(out.grad * other.data, self.shape), fresh=True)
            if other.requires_grad:
                other._accumulate(unbroadcast(out.grad * self.data, other.shape), fresh=True)

        out._backward = _backward
        return out

    def __truediv__(self, other: Any) -> Tensor:
        other = self._wrap(other)
        out = self._make(self.data / other.data, (self, other), "/")

        def _backward() -> None:
            # d(a/b)/da = 1/b,  d(a/b)/db = -a/b^2
            if self.requires_grad:
                self._accumulate(unbroadcast(out.grad / other.data, self.shape), fresh=True)
            if other.requires_grad:
                # b has other's shape, so 1/b^2 can wait until the sum over broadcast axes is done.
                other._accumulate(-unbroadcast(out.grad * self.data, other.shape) / other.data**2, fresh=True)

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
        out = self._make(-self.data, (self,), "neg")

        def _backward() -> None:
            self._accumulate(-out.grad)

        out._backward = _backward
        return out

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
        """Matrix product with NumPy semantics: batched over leading axes, which broadcast.

        C = A B  =>  dA = dC B^T,  dB = A^T dC  (then undo any batch broadcasting).
        """
        other = self._wrap(other)
        a, b = self.data, other.data
        if a.ndim >= 2 and b.ndim == 2:
            # Speed: (..., n, k) @ (k, m), a Linear layer on a batch of sequences, is ONE 2-D
            # product of (B*T, k) rows, not B small products; and its backward needs no sum
            # over the batch, because dB = A^T dC already adds up every row's contribution.
            a2 = a.reshape(-1, a.shape[-1])
            out = self._make((a2 @ b).reshape(*a.shape[:-1], b.shape[-1]), (self, other), "@")

            def _backward() -> None:
                g2 = out.grad.reshape(-1, b.shape[-1])
                if self.requires_grad:
                    self._accumulate((g2 @ b.T).reshape(a.shape), fresh=True)
                if other.requires_grad:
                    # dB in the memory layout of B. B is usually W.T, a transposed view of a weight, and
                    # (dC^T A)^T is then a transposed view too: W's gradient, W.T's transposed back, is
                    # laid out like W, with no copy (and AdamW reads it row by row, as it reads W).
                    transposed = b.flags.f_contiguous and not b.flags.c_contiguous
                    other._accumulate((g2.T @ a2).T if transposed else a2.T @ g2, fresh=True)

            out._backward = _backward
            return out

        # A vector operand is a matrix with one row (left) or one column (right).
        a2 = a.reshape(1, -1) if a.ndim == 1 else a
        b2 = b.reshape(-1, 1) if b.ndim == 1 else b
        out = self._make(a @ b, (self, other), "@")

        def _backward() -> None:
            # The gradient in the shape of a2 @ b2 (a vector operand's axis put back).
            g = out.grad
            if a.ndim == 1:
                g = g.reshape(g.shape[:-1] + (1, g.shape[-1])) if b.ndim > 1 else g.reshape(1, 1)
            elif b.ndim == 1:
                g = g.reshape(g.shape + (1,))
            if self.requires_grad:
                ga = g @ b2.swapaxes(-1, -2)
                self._accumulate(unbroadcast(ga, a2.shape).reshape(a.shape), fresh=True)
            if other.requires_grad:
                gb = a2.swapaxes(-1, -2) @ g
                other._accumulate(unbroadcast(gb, b2.shape).reshape(b.shape), fresh=True)

        out._backward = _backward
        return out

    def __rmatmul__(self, other: Any) -> Tensor:
        return self._wrap(other) @ self

    # ------------------------------------------------------------- reductions
    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        out = self._make(sum_axes(self.data, _axes(axis, self.ndim), keepdims), (self,), "sum")

        kept = _kept_shape(self.shape, _axes(axis, self.ndim))

        def _backward() -> None:
            # Every summed element contributed with weight 1.
            self._accumulate_broadcast(out.grad.reshape(kept))

        out._backward = _backward
        return out

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        axes = _axes(axis, self.ndim)
        count = self.data.size if axes is None else math.prod(self.shape[a] for a in axes)
        total = sum_axes(self.data, axes, keepdims)
        out = self._make(total / np.asarray(count, dtype=total.dtype), (self,), "mean")
        kept = _kept_shape(self.shape, axes)

        def _backward() -> None:
            # Every element counted 1/count towards the mean.
            self._accumulate_broadcast(out.grad.reshape(kept) / np.asarray(count, dtype=out.grad.dtype))

        out._backward = _backward
        return out

    def max(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        """The gradient goes to the maximum (split evenly between ties)."""
        out_keep = self.data.max(axis=axis, keepdims=True)
        out = self._make(out_keep if keepdims else self.data.max(axis=axis), (self,), "max")

        def _backward() -> None:
            mask = (self.data == out_keep).astype(self.data.dtype)
            mask /= mask.sum(axis=axis, keepdims=True)
            g = out.grad if keepdims or axis is None else out.grad.reshape(out_keep.shape)
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
        out = self._make(self.data.transpose(axes), (self,), "transpose")

        def _backward() -> None:
            # The inverse permutation puts every axis back where it came from.
            inverse = None if axes is None else tuple(sorted(range(len(axes)), key=axes.__getitem__))
            self._accumulate(out.grad.transpose(inverse))

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
            # Each picked element receives the gradient of the place it went to (summed when
            # an index picks the same element twice).
            self._accumulate_at(index, out.grad)

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
        # With e = exp(-|x|) <= 1 nothing overflows, and both tails keep their precision:
        #   x >= 0:  1 / (1 + e^-x) = 1 / (1 + e)
        #   x <  0:  e^x / (1 + e^x) = e / (1 + e)      (not 1 - something close to 1)
        x = self.data
        e = np.exp(-np.abs(x))
        s = np.where(x >= 0, 1.0, e) / (1.0 + e)
        out = self._make(s.astype(x.dtype, copy=False), (self,), "sigmoid")

        def _backward() -> None:
            # sigmoid'(x) = s (1 - s) = e / (1 + e)^2 for either sign of x: exact in both tails.
            self._accumulate(out.grad * (e / (1.0 + e) ** 2))

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
