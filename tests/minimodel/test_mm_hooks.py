"""minimodel's hooks (minimodel.hooks, Module.register_forward_hook): called around every forward and after
every backward with what PyTorch's hooks get, removable, and out of the way when nothing is registered."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from minimodel import hooks
from minimodel.module import Module
from minimodel.nn import Embedding, Linear
from minimodel.tensor import Tensor


class Two(Module):
    def __init__(self) -> None:
        super().__init__()
        rng = np.random.default_rng(0)
        self.embed = Embedding(10, 4, rng=rng)
        self.out = Linear(4, 3, rng=rng)

    def forward(self, ids):
        return self.out(self.embed(ids))


@pytest.fixture(autouse=True)
def no_hooks_left():
    yield
    assert not (hooks.forward_pre or hooks.forward or hooks.backward), "a test left a global hook behind"


def test_global_hooks_see_every_module_inner_first_with_inputs_and_output():
    model, seen = Two(), []
    with hooks.register_forward_pre_hook(lambda m, args: seen.append(("pre", type(m).__name__))), \
            hooks.register_forward_hook(lambda m, args, out: seen.append(("post", type(m).__name__, out.shape))):
        y = model(np.array([[1, 2, 3]]))
    assert y.shape == (1, 3, 3)
    assert seen == [("pre", "Two"), ("pre", "Embedding"), ("post", "Embedding", (1, 3, 4)),
                    ("pre", "Linear"), ("post", "Linear", (1, 3, 3)), ("post", "Two", (1, 3, 3))]
    seen.clear()
    model(np.array([[1]]))
    assert seen == []  # removed on leaving the with-block


def test_a_module_hook_gets_its_own_calls_only_and_handles_remove_once():
    model, got = Two(), []
    handle = model.out.register_forward_hook(lambda m, args, out: got.append((m, args[0].shape, out.shape)))
    model(np.array([[4, 5]]))
    assert got == [(model.out, (1, 2, 4), (1, 2, 3))]
    handle.remove()
    handle.remove()  # twice is harmless
    model(np.array([[4, 5]]))
    assert len(got) == 1


def test_backward_hook_runs_once_per_backward_after_every_gradient_is_in():
    model, seen = Two(), []

    def check(root):
        seen.append(float(root.data))
        assert model.embed.weight.grad is not None and model.out.weight.grad is not None

    with hooks.register_backward_hook(check):
        for _ in range(2):
            loss = (model(np.array([[1, 2]])) ** 2).sum()
            loss.backward()
            model.zero_grad()
    assert len(seen) == 2 and seen[0] == pytest.approx(float(loss.data))


def test_with_nothing_registered_a_call_runs_forward_and_nothing_of_hooks():
    model = Two()
    called: list[str] = []

    def profile(frame, event, arg):
        if event == "call":
            called.append(f"{frame.f_code.co_filename}:{frame.f_code.co_name}")

    sys.setprofile(profile)
    try:
        model(np.array([[1, 2]]))
    finally:
        sys.setprofile(None)
    assert any(c.endswith(":forward") for c in called)
    assert not [c for c in called if "/minimodel/hooks.py:" in c], called


def test_a_hook_may_not_change_what_the_model_computes():
    model = Two()
    ids = np.array([[3, 1, 4]])
    plain = model(ids).data.copy()
    with hooks.register_forward_hook(lambda m, args, out: None):
        hooked = model(ids).data
    np.testing.assert_array_equal(plain, hooked)
    assert isinstance(model(ids), Tensor)
