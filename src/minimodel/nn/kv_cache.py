"""The KV cache: generation that feeds the model only the new token (Pope et al. 2023, "Efficiently
Scaling Transformer Inference"; the keys and values of a causal decoder never change once computed).

With a causal mask, the key and value of position t depend on tokens 0..t only, so appending a token
leaves every earlier key and value as it was. Without a cache, each generation step runs the whole
context again: step n computes n² attention scores per head to keep only the last row. With one, each
attention layer keeps its keys and values, the model reads the new token alone, and step n computes
n scores: linear instead of quadratic in the context length.

    cache = KVCache.empty(model.config.n_layers)
    logits = model(prompt_ids, cache=cache)     # the prompt once: fills the cache ("prefill")
    logits = model([[next_id]], cache=cache)    # then one token at a time, at position len(cache)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from minimodel.ops import concat
from minimodel.tensor import Tensor


@dataclass
class LayerCache:
    """One attention layer's keys and values so far, each (B, H, T_past, d_head); None before the first call."""

    keys: Tensor | None = None
    values: Tensor | None = None

    def __len__(self) -> int:
        return 0 if self.keys is None else self.keys.shape[-2]

    def extend(self, k: Tensor, v: Tensor) -> tuple[Tensor, Tensor]:
        """Append the new positions' keys and values (along the time axis) and return all of them."""
        if self.keys is not None:
            k, v = concat([self.keys, k], axis=-2), concat([self.values, v], axis=-2)
        self.keys, self.values = k, v
        return k, v


@dataclass
class KVCache:
    """One LayerCache per transformer block; its length is the number of positions already read."""

    layers: list[LayerCache] = field(default_factory=list)

    @classmethod
    def empty(cls, n_layers: int) -> KVCache:
        return cls([LayerCache() for _ in range(n_layers)])

    def __len__(self) -> int:
        return len(self.layers[0]) if self.layers else 0


@contextmanager
def attached(blocks: Sequence[Any], cache: KVCache | None) -> Iterator[None]:
    """While inside, block i's attention reads and extends cache.layers[i]; without a cache, nothing changes."""
    if cache is None:
        yield
        return
    if len(cache.layers) != len(blocks):
        raise ValueError(f"KVCache: {len(cache.layers)} layer caches for {len(blocks)} blocks")
    for block, layer in zip(blocks, cache.layers):
        block.attn.cache = layer
    try:
        yield
    finally:
        for block in blocks:
            block.attn.cache = None
