"""What does the sampling temperature do to the next-token distribution?

Run:  python -m minimodel.programs.temperature_sampling [--steps 150] [--seed 0]

Trains a small GPT on the bundled corpus (bytes), then takes the next-byte distribution after a
prompt at temperatures 0.5, 1 and 2 and prints, for each, the probability of the most likely byte
and the entropy in nats (ln(256) = 5.545 is a uniform guess). Temperature divides the logits
before the softmax, so a cold T = 0.5 should sharpen the distribution and a hot T = 2 flatten it.
Finally it writes one continuation at each temperature.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.data import ByteTokenizer
from minimodel.programs.measure import lynx_measure
from minimodel.programs.tiny_gpt import tiny_gpt, train
from minimodel.sample import generate, probabilities
from minimodel.tensor import no_grad

PROMPT = "The lynx walks through the "
TEMPERATURES = (0.5, 1.0, 2.0)


def entropy(p: np.ndarray) -> float:
    """-sum p ln p in nats, 0 ln 0 taken as 0."""
    nz = p[p > 0]
    return float(-(nz * np.log(nz)).sum())


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    tok = ByteTokenizer()
    model = tiny_gpt(args.seed)
    print(f"training a 1-block GPT for {args.steps} steps")
    train(model, args.steps, seed=args.seed, every=50)

    ids = tok.encode(PROMPT)
    model.eval()
    with no_grad():
        logits = model(ids[None, -model.config.block_size:]).data[0, -1].astype(np.float64)
    print(f"\nnext byte after {PROMPT!r}")
    print("  temperature   top probability   entropy (nats)")
    entropies = {}
    for t in TEMPERATURES:
        p = probabilities(logits, temperature=t)
        entropies[t] = entropy(p)
        print(f"  {t:11.1f}   {p.max():15.3f}   {entropies[t]:14.3f}")
    spread = entropies[2.0] - entropies[0.5]
    print(f"  entropy at T = 2 minus entropy at T = 0.5: {spread:+.3f} nats")
    lynx_measure("entropy_spread", spread)

    print("\ncontinuations:")
    for t in TEMPERATURES:
        out = generate(model, ids, 40, temperature=t, seed=1)
        print(f"  T = {t:.1f}  {tok.decode(out[len(ids):])!r}")
    return {"entropies": entropies, "spread": spread}


if __name__ == "__main__":
    main()
