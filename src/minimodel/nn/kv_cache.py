"""The KV cache: generation that feeds the model only the new token (Pope et al. 2023, "Efficiently
Scaling Transformer Inference"; the keys and values of a causal decoder never change once computed).

With a causal mask, the key and value of position t depend on tokens 0..t only, so appending a token
leaves every earlier key and value as it was. Without a cache, each generation step runs the whole
context again: step n computes n² attention scores per head to keep only the last row. With one, each
attention layer keeps its keys and values, the model reads the new token alone, and step n computes
n scores: linear instead of quadratic in the context length.

    cache = KVCache.empty(model.config.n_layers)
    logits = forward(model, prompt_ids, cache)    # the prompt once: fills the cache ("prefill")
    logits = forward(model, [[next_id]], cache)   # then one token at a time, at position len(cache)

`forward` is GPT.forward with the positions offset by len(cache), and each block's attention swapped,
for the call, for a CachedAttention that reads and extends its layer's cache. GPT, TransformerBlock and
MultiHeadAttention themselves are unchanged: the same weights, causal_mask and
scaled_dot_product_attention do the work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from minimodel.module import Module
from minimodel.nn.attention import MultiHeadAttention, causal_mask, scaled_dot_product_attention
from minimodel.nn.embedding import Embedding
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


class CachedAttention(Module):
    """MultiHeadAttention.forward for the positions after len(cache): their queries attend over the
    cached keys and values plus their own, which are appended to the cache."""

    def __init__(self, attn: MultiHeadAttention, cache: LayerCache) -> None:
        super().__init__()
        self.attn, self.cache = attn, cache

    def forward(self, x: Tensor) -> Tensor:
        a, (B, T, C) = self.attn, x.shape
        qkv = a.qkv(x).reshape(B, T, 3, a.n_heads, a.d_head).transpose((2, 0, 3, 1, 4))
        past = len(self.cache)
        q, k = qkv[0], qkv[1]
        if a.rope is not None:  # RoPE rotates by absolute position: the new tokens sit at past, past + 1, ...
            q, k = a.rope(q, past), a.rope(k, past)
        k, v = self.cache.extend(k, qkv[2])  # (B, H, past + T, D): the earlier ones are reused (rotated once)
        mask = causal_mask(past + T)[past:] if a.causal else None  # the rows of the new positions
        y, _ = scaled_dot_product_attention(q, k, v, mask)
        return a.proj(y.transpose((0, 2, 1, 3)).reshape(B, T, C))


def forward(model: Any, ids: Any, cache: KVCache) -> Tensor:
    """A GPT's logits for `ids` (B, T), the positions len(cache) .. len(cache) + T - 1."""
    ids = np.asarray(ids)
    B, T = ids.shape
    start = len(cache)
    if start + T > model.config.block_size:
        raise ValueError(f"KVCache: positions up to {start + T} exceed block_size {model.config.block_size}")
    if len(cache.layers) != len(model.blocks):
        raise ValueError(f"KVCache: {len(cache.layers)} layer caches for {len(model.blocks)} blocks")
    x = model.tok(ids)
    if isinstance(model.pos, Embedding):  # learned rows, offset by the cache
        x = x + model.pos(np.arange(start, start + T))
    elif model.pos is not None:  # the sinusoidal table's rows start .. start + T - 1
        x = x + Tensor(model.pos.table[start:start + T].astype(x.dtype))
    x = model.drop(x)  # (config.positions == "rope": no table; CachedAttention rotates q and k instead)
    for block, layer in zip(model.blocks, cache.layers):
        attn = block.attn
        block.attn = CachedAttention(attn, layer)  # for this call only: the block's own forward runs
        try:
            x = block(x)
        finally:
            block.attn = attn
    return model.head(model.ln_f(x))
