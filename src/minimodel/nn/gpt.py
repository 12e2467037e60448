"""A decoder-only language model in the shape of GPT-2 (Radford et al. 2019), nanoGPT-sized.

    ids (B, T) -> token embedding + position embedding -> N causal TransformerBlocks
               -> final LayerNorm -> LM head tied to the token embedding -> logits (B, T, V)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from minimodel import functional as F
from minimodel.data import random_windows  # noqa: F401 - still importable from here, as in round one
from minimodel.module import Module
from minimodel.nn.config import BlockConfig
from minimodel.nn.dropout import Dropout
from minimodel.nn.embedding import Embedding
from minimodel.nn.lm_head import LMHead
from minimodel.nn.norm import LayerNorm
from minimodel.nn.transformer import TransformerBlock
from minimodel.optim import configure_optimizer  # noqa: F401 - the same: learners' scripts use this name
from minimodel.tensor import Tensor


@dataclass(frozen=True, kw_only=True)
class GPTConfig(BlockConfig):
    """The blocks' sizes (d_model, n_heads, dropout: see BlockConfig) plus the model's own."""

    vocab_size: int
    block_size: int = 32  # the longest context the model can read
    n_layers: int = 2
    seed: int = 0  # every initial weight and every dropout mask follows from it
    causal: bool = field(default=True, init=False)  # a language model never reads the token it predicts


class GPT(Module):
    def __init__(self, config: GPTConfig, dtype: Any = np.float32) -> None:
        super().__init__()
        self.config = config
        rng = np.random.default_rng(config.seed)
        self.tok = Embedding(config.vocab_size, config.d_model, rng=rng, dtype=dtype)
        # Learned positions (GPT-2): row t is added to whatever token sits at position t.
        self.pos = Embedding(config.block_size, config.d_model, rng=rng, dtype=dtype)
        self.drop = Dropout(config.dropout, seed=config.seed)
        # Every block reads the same config (nanoGPT's Block(config)); each has its own dropout seed.
        self.blocks = [TransformerBlock(config, rng=rng, seed=config.seed + 10 * (i + 1), dtype=dtype)
                       for i in range(config.n_layers)]
        self.ln_f = LayerNorm(config.d_model, dtype=dtype)
        # Tied head (Press & Wolf 2017): logits = h @ tok.weight^T, one matrix for both ends.
        self.head = LMHead(self.tok)

    def forward(self, ids: Any) -> Tensor:
        ids = np.asarray(ids.data if isinstance(ids, Tensor) else ids)
        B, T = ids.shape
        if T > self.config.block_size:
            raise ValueError(f"GPT: sequence length {T} exceeds block_size {self.config.block_size}")
        x = self.drop(self.tok(ids) + self.pos(np.arange(T)))  # (B, T, d); positions broadcast over B
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln_f(x))  # (B, T, V)

    def __repr__(self) -> str:
        c = self.config
        return (f"GPT(vocab={c.vocab_size}, block={c.block_size}, d_model={c.d_model}, layers={c.n_layers}, "
                f"heads={c.n_heads}, params={self.num_parameters()})")


def lm_loss(model: GPT, window: Any) -> Tensor:
    """Next-token loss on windows of T+1 consecutive tokens, shape (B, T+1).

    The model reads tokens 0..T-1; at position t the target is token t+1, the one it has
    NOT seen yet. So inputs and targets are the same window, offset by one.
    """
    window = np.asarray(window)
    inputs = window[:, :-1]
    targets = window[:, 1:]
    logits = model(inputs)
    return F.cross_entropy(logits, targets, num_classes=model.config.vocab_size)
