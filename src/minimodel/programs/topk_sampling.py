"""Which tokens can top-k sampling pick?

Run:  python -m minimodel.programs.topk_sampling [--steps 150] [--seed 0]

Trains a small GPT on the bundled corpus (bytes), then looks at the next-byte distribution
after a prompt: the 5 most likely bytes, the bytes that top-k (k = 5) keeps, and the
probability mass of the kept set under the model. Finally it writes three continuations with
top-k = 5, temperature 0.8, and one greedy continuation for comparison.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.data import ByteTokenizer
from minimodel.programs.tiny_gpt import tiny_gpt, train
from minimodel.sample import generate, top_k_filter
from minimodel.tensor import no_grad
from minimodel.programs.measure import lynx_measure

PROMPT = "The lynx walks through the "
K = 5


def show(byte: int) -> str:
    return repr(bytes([byte]).decode("latin-1"))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    tok = ByteTokenizer()
    model = tiny_gpt(args.seed)
    print(f"training a 1-block GPT for {args.steps} steps")
    losses = train(model, args.steps, seed=args.seed, every=50)

    ids = tok.encode(PROMPT)
    model.eval()
    with no_grad():
        logits = model(ids[None, -model.config.block_size:]).data[0, -1].astype(np.float64)
    p = np.exp(logits - logits.max())
    p /= p.sum()
    best = [int(i) for i in np.argsort(p)[::-1][:K]]
    kept = [int(i) for i in np.flatnonzero(np.isfinite(top_k_filter(logits, K)))]
    kept.sort(key=lambda i: -p[i])
    print(f"\nnext byte after {PROMPT!r}")
    print("  5 most likely :", ", ".join(f"{show(i)} {p[i]:.3f}" for i in best))
    print("  top-k keeps   :", ", ".join(f"{show(i)} {p[i]:.2g}" for i in kept))
    print(f"  probability mass of the kept set: {p[kept].sum():.4f}")
    lynx_measure("kept_mass", p[kept].sum())

    print(f"\ncontinuations with top_k={K}, temperature=0.8:")
    for seed in range(3):
        out = generate(model, ids, 40, temperature=0.8, top_k=K, seed=seed)
        print(f"  {tok.decode(out[len(ids):])!r}")
    out = generate(model, ids, 40, greedy=True)
    print(f"greedy:\n  {tok.decode(out[len(ids):])!r}")
    return {"losses": losses, "kept": kept, "mass": float(p[kept].sum())}


if __name__ == "__main__":
    main()
