"""A decoder-only language model in the shape of GPT-2 (Radford et al. 2019), nanoGPT-sized.

    ids (B, T) -> token embedding + position embedding -> N causal TransformerBlocks
               -> final LayerNorm -> LM head tied to the token embedding -> logits (B, T, V)

Build challenge of phase 17 (with sample.py): write GPT.forward and lm_loss yourself.
`lynx build 17 --check` runs the validator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from minimodel import functional as F
from minimodel.module import Module, Parameter
from minimodel.nn.dropout import Dropout
from minimodel.nn.embedding import Embedding
from minimodel.nn.lm_head import LMHead
from minimodel.nn.norm import LayerNorm
from minimodel.nn.transformer import TransformerBlock
from minimodel.optim import AdamW
from minimodel.tensor import Tensor


@dataclass(frozen=True)
class GPTConfig:
    vocab_size: int
    block_size: int = 32  # the longest context the model can read
    d_model: int = 64
    n_layers: int = 2
    n_heads: int = 4
    dropout: float = 0.0
    seed: int = 0  # every initial weight and every dropout mask follows from it


class GPT(Module):
    def __init__(self, config: GPTConfig, dtype: Any = np.float32) -> None:
        super().__init__()
        self.config = config
        rng = np.random.default_rng(config.seed)
        self.tok = Embedding(config.vocab_size, config.d_model, rng=rng, dtype=dtype)
        # Learned positions (GPT-2): row t is added to whatever token sits at position t.
        self.pos = Embedding(config.block_size, config.d_model, rng=rng, dtype=dtype)
        self.drop = Dropout(config.dropout, seed=config.seed)
        self.blocks = [
            TransformerBlock(config.d_model, config.n_heads, causal=True, dropout=config.dropout,
                             seed=config.seed + 10 * (i + 1), rng=rng, dtype=dtype)
            for i in range(config.n_layers)
        ]
        self.ln_f = LayerNorm(config.d_model, dtype=dtype)
        # Tied head (Press & Wolf 2017): logits = h @ tok.weight^T, one matrix for both ends.
        self.head = LMHead(self.tok)

    def forward(self, ids: Any) -> Tensor:
        # 1. ids (B, T) -> token embeddings + position embeddings of 0..T-1 (refuse T > block_size with a ValueError)
        # 2. dropout, then every block in self.blocks, then the final LayerNorm
        # 3. the tied head turns (B, T, d_model) into logits (B, T, vocab_size)
        raise NotImplementedError("GPT.forward: see the steps above")

    def __repr__(self) -> str:
        c = self.config
        return (f"GPT(vocab={c.vocab_size}, block={c.block_size}, d_model={c.d_model}, layers={c.n_layers}, "
                f"heads={c.n_heads}, params={self.num_parameters()})")


def lm_loss(model: GPT, window: Any) -> Tensor:
    """Next-token loss on windows of T+1 consecutive tokens, shape (B, T+1).

    The model reads tokens 0..T-1; at position t the target is token t+1, the one it has
    NOT seen yet. So inputs and targets are the same window, offset by one.
    """
    raise NotImplementedError("lm_loss: inputs and targets from the window, then cross-entropy")


def random_windows(ids: np.ndarray, batch_size: int, length: int, rng: np.random.Generator) -> np.ndarray:
    """`batch_size` random slices of `length` consecutive tokens, shape (batch_size, length)."""
    if len(ids) < length:
        raise ValueError(f"random_windows: need at least {length} tokens, got {len(ids)}")
    starts = rng.integers(0, len(ids) - length + 1, size=batch_size)
    return ids[starts[:, None] + np.arange(length)]


def decay_groups(model: Module) -> tuple[list[Parameter], list[Parameter]]:
    """Split parameters into (decayed, not decayed).

    Matrices (Linear weights and the embedding tables, the tied one included) are decayed;
    vectors (LayerNorm gains, all biases) are not: shrinking a LayerNorm gain towards 0 would
    switch the layer off, and a bias does not make the function any more complex.
    """
    decay, no_decay = [], []
    for _, p in model.named_parameters():
        (decay if p.ndim >= 2 else no_decay).append(p)
    return decay, no_decay


class Optimizers:
    """Several optimizers stepped together (one per parameter group)."""

    def __init__(self, *optimizers: AdamW) -> None:
        self.optimizers = optimizers

    @property
    def lr(self) -> float:
        return self.optimizers[0].lr

    @lr.setter
    def lr(self, value: float) -> None:
        for opt in self.optimizers:
            opt.lr = value

    def zero_grad(self) -> None:
        for opt in self.optimizers:
            opt.zero_grad()

    def step(self) -> None:
        for opt in self.optimizers:
            opt.step()


def configure_optimizer(model: Module, lr: float = 3e-3, weight_decay: float = 0.1,
                        betas: tuple[float, float] = (0.9, 0.95)) -> Optimizers:
    """AdamW with weight decay on the matrices only (see `decay_groups`)."""
    decay, no_decay = decay_groups(model)
    groups = [AdamW(decay, lr=lr, betas=betas, weight_decay=weight_decay)]
    if no_decay:
        groups.append(AdamW(no_decay, lr=lr, betas=betas, weight_decay=0.0))
    return Optimizers(*groups)
