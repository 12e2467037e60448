"""Hooks: functions called around every module's forward and after every backward pass.

The same idea as PyTorch's `register_forward_hook` and `register_module_forward_hook`: a way to watch a
model run (activations, gradients, the loss) without changing its code. `lynx run --compare` uses the
global ones to record a whole program; a test or a notebook can hook one module. When nothing is
registered the cost is one truth test per module call.

    handle = hooks.register_forward_hook(lambda module, inputs, output: print(type(module).__name__))
    ...
    handle.remove()
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

PreHook = Callable[[Any, tuple], None]            # (module, inputs)
ForwardHook = Callable[[Any, tuple, Any], None]   # (module, inputs, output)
BackwardHook = Callable[[Any], None]              # (the tensor backward() ran from, e.g. the loss)

_ids = count()
forward_pre: dict[int, PreHook] = {}   # every module, before its forward
forward: dict[int, ForwardHook] = {}   # every module, after its forward
backward: dict[int, BackwardHook] = {}  # after each backward pass, once every gradient is in


class Handle:
    """What registering returns: `remove()` takes the hook away again (twice is harmless)."""

    def __init__(self, table: dict[int, Any], fn: Any) -> None:
        self._table, self.id = table, next(_ids)
        table[self.id] = fn

    def remove(self) -> None:
        self._table.pop(self.id, None)

    def __enter__(self) -> Handle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def register_forward_pre_hook(fn: PreHook) -> Handle:
    """Call ``fn(module, inputs)`` before the forward of every module."""
    return Handle(forward_pre, fn)


def register_forward_hook(fn: ForwardHook) -> Handle:
    """Call ``fn(module, inputs, output)`` after the forward of every module."""
    return Handle(forward, fn)


def register_backward_hook(fn: BackwardHook) -> Handle:
    """Call ``fn(root)`` after every backward pass (``root`` is the tensor it started from)."""
    return Handle(backward, fn)


def after_backward(root: Any) -> None:
    for fn in list(backward.values()):
        fn(root)
