"""Shared by the observation programs: a very small GPT on the bundled corpus, in bytes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from minimodel.data import ByteTokenizer, load_corpus, random_windows
from minimodel.nn.gpt import GPT, GPTConfig, lm_loss
from minimodel.optim import configure_optimizer
from minimodel.tensor import Tensor, no_grad

BLOCK = 16


def tiny_gpt(seed: int = 0, n_layers: int = 1, d_model: int = 32) -> GPT:
    return GPT(GPTConfig(vocab_size=256, block_size=BLOCK, d_model=d_model, n_layers=n_layers, n_heads=2, seed=seed))


def corpus_ids() -> np.ndarray:
    return ByteTokenizer().encode(load_corpus())


def train(model: GPT, steps: int, seed: int = 0, lr: float = 3e-3, every: int = 10,
          loss_fn: Callable[[GPT, np.ndarray], Tensor] = lm_loss, echo: bool = True) -> list[float]:
    """A few AdamW steps on random windows of BLOCK + 1 bytes; prints the loss every `every` steps."""
    ids = corpus_ids()
    rng = np.random.default_rng(seed)
    opt = configure_optimizer(model, lr=lr)
    losses = []
    for step in range(steps):
        window = random_windows(ids, 16, BLOCK + 1, rng)
        loss = loss_fn(model, window)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if echo and (step % every == 0 or step == steps - 1):
            print(f"  step {step:3d}  loss {loss.item():.3f}")
    return losses


def changed_positions(model: GPT, at: int, seed: int = 0) -> list[int]:
    """Change the token at position `at`; return the positions whose logits change."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(97, 123, size=(1, BLOCK))
    ids2 = ids.copy()
    ids2[0, at] = (ids[0, at] + 1 - 97) % 26 + 97
    with no_grad():
        a = model(ids).data
        b = model(ids2).data
    return [t for t in range(BLOCK) if not np.allclose(a[0, t], b[0, t], atol=1e-6)]
