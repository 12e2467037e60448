"""Parameters and the Module container (the shape of torch.nn.Module, in a few lines)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from minimodel import hooks
from minimodel.tensor import Tensor


class Parameter(Tensor):
    """A tensor the optimizer is allowed to change: it always wants a gradient."""

    def __init__(self, data: Any) -> None:
        super().__init__(data, requires_grad=True)

    def __repr__(self) -> str:
        return f"Parameter(shape={self.shape}, dtype={self.dtype})"


class Module:
    """A piece of a model. Subclasses set Parameters and sub-Modules as attributes and
    write `forward`; calling the module calls `forward` (and any hooks, see minimodel.hooks)."""

    _pre_hooks: dict[int, hooks.PreHook] | None = None      # this module's own, made on first use
    _post_hooks: dict[int, hooks.ForwardHook] | None = None

    def __init__(self) -> None:
        self.training = True

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not (hooks.forward_pre or hooks.forward or self._pre_hooks or self._post_hooks):
            return self.forward(*args, **kwargs)  # the usual case: nothing watches
        for fn in [*hooks.forward_pre.values(), *(self._pre_hooks or {}).values()]:
            fn(self, args)
        out = self.forward(*args, **kwargs)
        for fn in [*(self._post_hooks or {}).values(), *hooks.forward.values()]:
            fn(self, args, out)
        return out

    def register_forward_pre_hook(self, fn: hooks.PreHook) -> hooks.Handle:
        """Call ``fn(self, inputs)`` before each forward of this module."""
        if self._pre_hooks is None:
            self._pre_hooks = {}
        return hooks.Handle(self._pre_hooks, fn)

    def register_forward_hook(self, fn: hooks.ForwardHook) -> hooks.Handle:
        """Call ``fn(self, inputs, output)`` after each forward of this module (before the global hooks)."""
        if self._post_hooks is None:
            self._post_hooks = {}
        return hooks.Handle(self._post_hooks, fn)

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}("]
        for name, child in self.children():
            lines.append("  " + f"({name}): {child!r}".replace("\n", "\n  "))
        return lines[0] + ")" if len(lines) == 1 else "\n".join(lines) + "\n)"

    # ------------------------------------------------------------- walking the tree
    def children(self) -> Iterator[tuple[str, Module]]:
        """Direct sub-modules, in attribute order (lists and tuples of modules count too)."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, Module):
                        yield f"{name}.{i}", item

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """Every parameter once, with a dotted name, e.g. ('embed.weight', ...).

        A tied parameter (the same object reachable by two paths, like an LM head that
        reuses the embedding matrix) is listed once, under the first path found: the
        optimizer must update it once per step, not twice.
        """
        seen: set[int] = set()
        for name, param in self._all_parameters(prefix):
            if id(param) not in seen:
                seen.add(id(param))
                yield name, param

    def _all_parameters(self, prefix: str) -> Iterator[tuple[str, Parameter]]:
        for name, value in vars(self).items():
            if isinstance(value, Parameter):
                yield prefix + name, value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, Parameter):
                        yield f"{prefix}{name}.{i}", item
        for name, child in self.children():
            yield from child._all_parameters(f"{prefix}{name}.")

    def parameters(self) -> list[Parameter]:
        return [p for _, p in self.named_parameters()]

    def num_parameters(self) -> int:
        return sum(p.size for p in self.parameters())

    # ------------------------------------------------------------- training helpers
    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = None

    def train(self, mode: bool = True) -> Module:
        self.training = mode
        for _, child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    # ------------------------------------------------------------- saving and loading
    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of every parameter's values, by name."""
        return {name: p.data.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict[str, np.ndarray], strict: bool = True) -> None:
        """Copy values in place (tied parameters stay tied: the object is not replaced)."""
        params = dict(self.named_parameters())
        if strict:
            missing = sorted(set(params) - set(state))
            unexpected = sorted(set(state) - set(params))
            if missing or unexpected:
                raise KeyError(f"load_state_dict: missing {missing}, unexpected {unexpected}")
        for name, values in state.items():
            if name not in params:
                continue
            p = params[name]
            values = np.asarray(values)
            if values.shape != p.shape:
                raise ValueError(f"load_state_dict: {name} has shape {p.shape} but the state has {values.shape}")
            p.data[...] = values
