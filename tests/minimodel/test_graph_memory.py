"""A training step's graph is released by reference counting alone: with Python's cycle collector
switched off, training steps keep memory flat and leave no cyclic garbage behind.

(Each operation's backward function refers to its own output; backward() drops those functions as
it goes, and under no_grad() they are never kept. Without that, every step's graph, activations
included, waited for the cycle collector: `lynx lab 17 train` peaked at 946 MiB.)
"""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from contextlib import contextmanager

import numpy as np

from minimodel import Tensor, no_grad
from minimodel import functional as F
from minimodel.data import random_windows
from minimodel.nn import GPT, LSTM, Conv1d, GPTConfig, Linear, lm_loss
from minimodel.optim import AdamW, configure_optimizer
from minimodel.schedule import clip_grad_norm


@contextmanager
def cycle_collector_off():
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def graph_nodes(root: Tensor) -> list[Tensor]:
    """Every tensor an operation made on the way to `root` (not the leaves)."""
    seen, stack, nodes = set(), [root], []
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        if t._parents:
            nodes.append(t)
            stack.extend(t._parents)
    return nodes


def small_gpt() -> GPT:
    return GPT(GPTConfig(vocab_size=50, block_size=16, d_model=32, n_layers=2, n_heads=4, seed=0))


def test_each_step_s_graph_dies_with_its_loss():
    model = small_gpt()
    opt = configure_optimizer(model)
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 50, size=2000)
    with cycle_collector_off():
        for _ in range(3):
            loss = lm_loss(model, random_windows(ids, 4, 17, rng))
            refs = [weakref.ref(t) for t in graph_nodes(loss)]
            assert len(refs) > 50
            opt.zero_grad()
            loss.backward()
            opt.step()
            del loss
            alive = [r() for r in refs if r() is not None]
            assert not alive, f"{len(alive)} graph tensors outlived their step, e.g. {alive[0]._op!r}"


def test_training_memory_is_flat_without_the_cycle_collector():
    model = small_gpt()
    opt = configure_optimizer(model)
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 50, size=2000)
    windows = [random_windows(ids, 8, 17, rng) for _ in range(8)]
    params = model.parameters()
    one_graph = sum(t.data.nbytes for t in graph_nodes(lm_loss(model, windows[0])))
    with cycle_collector_off():
        tracemalloc.start()
        try:
            for step in range(150):
                loss = lm_loss(model, windows[step % len(windows)])
                opt.zero_grad()
                loss.backward()
                clip_grad_norm(params, 1.0)
                opt.step()
                if step == 49:  # after NumPy's small caches (shapes, strides) have filled up
                    before = tracemalloc.get_traced_memory()[0]
            after = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        garbage = gc.collect()  # what only the cycle collector could have freed
    # Were the graphs left to the cycle collector, memory would grow by one graph (about 2 MB here) per
    # step. What 100 steps add is NumPy's own cache of small buffers filling up: a few % of ONE graph.
    assert one_graph > 1_000_000
    assert after - before < one_graph / 10, f"memory grew by {after - before} bytes over 100 steps"
    assert garbage < 50, f"{garbage} objects in reference cycles after 150 steps"


def test_evaluation_under_no_grad_leaves_no_cycles():
    model = small_gpt()
    windows = np.random.default_rng(0).integers(0, 50, size=(4, 17))
    with cycle_collector_off():
        with no_grad():
            for _ in range(5):
                lm_loss(model, windows).item()
        assert gc.collect() < 50


def test_recurrent_and_convolutional_steps_free_their_graphs():
    rng = np.random.default_rng(0)
    lstm, conv, head = LSTM(4, 8, rng=rng), Conv1d(8, 8, 3, dilation=2, rng=rng), Linear(8, 5, rng=rng)
    opt = AdamW(lstm.parameters() + conv.parameters() + head.parameters(), lr=1e-2)
    x = Tensor(rng.normal(size=(3, 12, 4)).astype(np.float32))
    y = rng.integers(0, 5, size=(3, 12))
    with cycle_collector_off():
        for _ in range(3):
            out = lstm(x)[0]
            loss = F.cross_entropy(head(conv(out)), y)
            refs = [weakref.ref(t) for t in graph_nodes(loss)]
            opt.zero_grad()
            loss.backward()
            opt.step()
            del loss, out
            assert all(r() is None for r in refs)
        assert gc.collect() < 50
