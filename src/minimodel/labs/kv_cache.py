"""What a KV cache saves: the work of generating text with and without one (phase 17, theory page 06).

Run:  python -m minimodel.labs.kv_cache [--new 31] [--json]

The model is the mini-GPT of `lynx lab 17 train` (minimodel.accounting.MINI_GPT), untrained: what is
counted depends on the shapes, not on the weights. It continues "The lynx" greedily, once reading the
whole context at every step and once with a KV cache (minimodel.nn.kv_cache), which reads only the new
token. A forward hook on every layer counts, from the shapes each one really received:

    attention scores  one per (query, key) pair, per head, per block: T_q x T_k x heads x blocks
    multiply-adds     every one of the matrix products: the linear layers, q k^T and the weighted sum of
                      the values, the tied head (2 FLOPs each)

Without the cache, step t reads a context of c tokens and computes c² scores per head to keep only the
last row; with it, the step computes c. Nothing is timed: the counts are the same on every machine.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from minimodel import hooks
from minimodel.accounting import MINI_GPT
from minimodel.bpe import BPETokenizer
from minimodel.data import load_corpus
from minimodel.nn.attention import MultiHeadAttention
from minimodel.nn.gpt import GPT
from minimodel.nn.kv_cache import CachedAttention, KVCache
from minimodel.nn.kv_cache import forward as cached_forward
from minimodel.nn.linear import Linear
from minimodel.nn.lm_head import LMHead
from minimodel.sample import generate
from minimodel.tensor import no_grad

PROMPT = "The lynx"
SHOWN = (1, 2, 4, 8, 16)  # the steps the table prints, with the last one


@dataclass
class Cost:
    """What one forward pass of the model computed."""

    context: int = 0  # positions the attention could read (keys), cached ones included
    scores: int = 0  # attention scores
    multiply_adds: int = 0


@dataclass
class Meter:
    """A forward hook that adds up each layer's work; one Cost per forward of the whole model (it ends at the head)."""

    steps: list[Cost] = field(default_factory=list)
    current: Cost = field(default_factory=Cost)

    def __call__(self, module: Any, inputs: tuple, output: Any) -> None:
        c = self.current
        if isinstance(module, Linear):
            x = inputs[0]
            c.multiply_adds += x.size // x.shape[-1] * module.in_features * module.out_features
        elif isinstance(module, (MultiHeadAttention, CachedAttention)):
            B, T, C = inputs[0].shape
            cached = isinstance(module, CachedAttention)
            keys = len(module.cache) if cached else T  # the cache already holds this call's keys
            heads = module.attn.n_heads if cached else module.n_heads
            c.context = keys
            c.scores += B * heads * T * keys
            c.multiply_adds += 2 * B * T * keys * C  # q k^T and weights @ v: heads x d_head = C each
        elif isinstance(module, LMHead):  # the last layer of a forward pass: the step is complete
            h = inputs[0]
            c.multiply_adds += h.size * module.vocab_size_out  # rows x d x V
            self.steps.append(self.current)
            self.current = Cost()


def measure(model: GPT, prompt: np.ndarray, new_tokens: int, use_cache: bool) -> tuple[np.ndarray, list[Cost]]:
    """The generated ids and the cost of each step (greedy, so both runs may pick the same tokens)."""
    meter = Meter()
    with hooks.register_forward_hook(meter):
        ids = generate(model, prompt, new_tokens, greedy=True, use_cache=use_cache)
    return ids, meter.steps


def largest_logit_gap(model: GPT, ids: np.ndarray) -> float:
    """max |logits| difference between one pass over `ids` and the same ids fed one at a time with a cache."""
    model.eval()
    with no_grad():
        full = model(np.asarray(ids)[None]).data[0]
        cache = KVCache.empty(model.config.n_layers)
        cached = np.stack([cached_forward(model, np.array([[i]]), cache).data[0, -1] for i in ids])
    model.train()
    return float(np.abs(full - cached).max())


def run(new_tokens: int | None = None) -> dict:
    tok = BPETokenizer.train(load_corpus(), MINI_GPT.vocab_size)
    prompt = tok.encode(PROMPT)
    n = MINI_GPT.block_size - len(prompt) + 1 if new_tokens is None else new_tokens  # default: fill the window
    model = GPT(MINI_GPT)
    plain_ids, plain = measure(model, prompt, n, use_cache=False)
    cached_ids, cached = measure(model, prompt, n, use_cache=True)
    return {
        "prompt": PROMPT, "prompt_tokens": int(len(prompt)), "new_tokens": n, "block_size": MINI_GPT.block_size,
        "same_tokens": bool(np.array_equal(plain_ids, cached_ids)),
        "largest_logit_gap": largest_logit_gap(model, plain_ids[:MINI_GPT.block_size]),
        "steps": [{"step": t + 1, "no_cache": asdict(a), "cache": asdict(b)} for t, (a, b) in enumerate(zip(plain, cached))],
        "total": {"no_cache": {"scores": sum(c.scores for c in plain), "multiply_adds": sum(c.multiply_adds for c in plain)},
                  "cache": {"scores": sum(c.scores for c in cached), "multiply_adds": sum(c.multiply_adds for c in cached)}},
    }


def report(res: dict) -> str:
    lines = [
        f"mini-GPT of lab 17 (untrained), {res['prompt']!r} = {res['prompt_tokens']} tokens, "
        f"{res['new_tokens']} new tokens, greedy",
        "",
        f"{'':>4}  {'':>7}  {'attention scores':>19}  {'multiply-adds':>24}",
        f"{'step':>4}  {'context':>7}  {'no cache':>8} {'cache':>10}  {'no cache':>13} {'cache':>10}",
    ]
    last = len(res["steps"])
    for row in res["steps"]:
        if row["step"] in SHOWN or row["step"] == last:
            a, b = row["no_cache"], row["cache"]
            lines.append(f"{row['step']:>4}  {a['context']:>7}  {a['scores']:>8} {b['scores']:>10}  "
                         f"{a['multiply_adds']:>13} {b['multiply_adds']:>10}")
    a, b = res["total"]["no_cache"], res["total"]["cache"]
    lines += [
        f"{'all':>4}  {'':>7}  {a['scores']:>8} {b['scores']:>10}  {a['multiply_adds']:>13} {b['multiply_adds']:>10}",
        "(step 1 reads the prompt either way: the prefill that fills the cache)",
        "",
        f"the cache computes {a['scores'] / b['scores']:.1f}x fewer scores and "
        f"{a['multiply_adds'] / b['multiply_adds']:.1f}x fewer multiply-adds",
        f"same tokens with and without the cache: {res['same_tokens']}",
        f"largest logit difference: {res['largest_logit_gap']:.1e} (float32 rounding)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new", type=int, default=None, help="tokens to generate (default: until the context is full)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    if args.new is not None and args.new < 1:
        parser.error("--new must be at least 1")
    res = run(args.new)
    sys.stdout.write(json.dumps(res, indent=2) + "\n" if args.json else report(res) + "\n")
    return res


if __name__ == "__main__":
    main()
