"""Can a position of a causal self-attention model see the token that comes after it?

Run:  python -m minimodel.programs.causal_leak [--steps 80] [--seed 0]

(1) Prints the causal mask for T = 5 (1 = may attend). (2) Changes the token at position 8
of a 16-token input and lists the positions whose outputs change: with a causal model, only
positions 8..15. (3) Trains a one-block GPT to predict the next byte of the bundled corpus
and prints the loss next to ln(256) = 5.545, the loss of a uniform guess.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.nn.attention import causal_mask
from minimodel.programs.tiny_gpt import changed_positions, tiny_gpt, train
from minimodel.programs.measure import lynx_measure


def main(argv: list[str] | None = None) -> list[float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=80)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    print("causal_mask(5)  (row = query position, column = key position)")
    for row in causal_mask(5).astype(int):
        print("   ", " ".join(str(v) for v in row))
    model = tiny_gpt(args.seed)
    moved = changed_positions(model, at=8, seed=args.seed)
    print(f"\nchanged the token at position 8; outputs that changed: {moved}")
    early = [t for t in moved if t < 8]
    print(f"outputs before position 8 that changed (must be none): {early or 'none'}")
    lynx_measure("earliest_changed", min(moved) if moved else 8)
    print(f"\ntraining a 1-block GPT on next-byte prediction; ln(256) = {np.log(256):.3f}")
    losses = train(model, args.steps, seed=args.seed)
    print(f"final loss {losses[-1]:.3f}")
    lynx_measure("final_loss", losses[-1])
    return losses


if __name__ == "__main__":
    main()
