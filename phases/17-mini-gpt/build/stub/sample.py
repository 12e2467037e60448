"""Turning a language model's logits into text: greedy, temperature and top-k sampling.

Build challenge of phase 17 (with nn/gpt.py): write top_k_filter and probabilities yourself.
`lynx build 17 --check` runs the validator.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minimodel.nn.kv_cache import KVCache
from minimodel.nn.kv_cache import forward as cached_forward
from minimodel.tensor import no_grad


def top_k_filter(logits: np.ndarray, k: int) -> np.ndarray:
    """Keep the k largest logits, set the rest to -inf (Fan et al. 2018).

    Cutting the long tail of unlikely tokens stops one bad draw from derailing the text.
    """
    # Return a float64 copy where every logit outside the k largest is -inf (k >= len: unchanged).
    # A k <= 0 is a ValueError.
    raise NotImplementedError("top_k_filter: keep the k largest logits")


def probabilities(logits: np.ndarray, temperature: float = 1.0, top_k: int | None = None) -> np.ndarray:
    """The next-token distribution after temperature and top-k (float64, sums to 1).

    Temperature divides the logits: T < 1 sharpens the distribution towards the argmax,
    T > 1 flattens it towards uniform; T -> 0 is greedy decoding.
    """
    # Divide by the temperature (a temperature <= 0 is a ValueError), apply top_k if given,
    # then a stable softmax in float64.
    raise NotImplementedError("probabilities: temperature, top-k, softmax")


def sample_next(logits: np.ndarray, rng: np.random.Generator, temperature: float = 1.0,
                top_k: int | None = None, greedy: bool = False) -> int:
    """One token id from a vector of logits (V,)."""
    if greedy:
        return int(np.argmax(logits))
    p = probabilities(logits, temperature, top_k)
    return int(rng.choice(len(p), p=p))


def generate(model: Any, prompt: Any, max_new_tokens: int, temperature: float = 1.0, top_k: int | None = None,
             greedy: bool = False, seed: int = 0, use_cache: bool = False) -> np.ndarray:
    """Append `max_new_tokens` tokens to `prompt` (1-D ids), one at a time.

    The model only reads the last `block_size` tokens; each step takes the logits at the
    last position, picks a token and feeds the longer sequence back in. With `use_cache` it
    feeds only the new token and reuses the keys and values of the others (minimodel.nn.kv_cache):
    the same tokens, far fewer operations.
    """
    rng = np.random.default_rng(seed)
    ids = [int(i) for i in np.asarray(prompt).reshape(-1)]
    block = model.config.block_size
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            cache: KVCache | None = None
            for _ in range(max_new_tokens):
                if use_cache:
                    logits, cache = _cached_step(model, ids, cache)
                    ids.append(sample_next(logits, rng, temperature, top_k, greedy))
                    continue
                context = np.array([ids[-block:]])
                logits = model(context).data[0, -1]
                ids.append(sample_next(logits, rng, temperature, top_k, greedy))
    finally:
        model.train(was_training)
    return np.array(ids, dtype=np.int64)


def _cached_step(model: Any, ids: list[int], cache: KVCache | None) -> tuple[np.ndarray, KVCache]:
    """The last position's logits, reading only what the cache has not seen yet.

    The first step reads the whole prompt and fills the cache (the "prefill"). Once the text is
    longer than block_size the window slides: every token moves to an earlier learned position, so
    the cached keys and values are stale and the window is read again from an empty cache.
    """
    block = model.config.block_size
    if cache is None or len(ids) > block:
        cache = KVCache.empty(model.config.n_layers)
        new = ids[-block:]
    else:
        new = ids[len(cache):]
    return cached_forward(model, np.array([new]), cache).data[0, -1], cache
