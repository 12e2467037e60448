"""Does LayerNorm normalise each position's features, and only those?

Run:  python -m minimodel.programs.layernorm_axis [--steps 80] [--seed 0]

(1) A (batch, features) input of shape (4, 8): the mean and std of each output row.
(2) A (batch, time, features) input of shape (2, 6, 8): the mean and std over the features
    of each position's output (should be 0 and 1 everywhere), which positions move when the
    input at position 5 changes (only position 5 should), and a one-token sequence.
(3) A one-block GPT trained for next-byte prediction; ln(256) = 5.545 is a uniform guess.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.nn.norm import LayerNorm
from minimodel.programs.tiny_gpt import tiny_gpt, train
from minimodel.tensor import Tensor, no_grad
from minimodel.programs.measure import lynx_measure


def main(argv: list[str] | None = None) -> list[float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=80)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    ln = LayerNorm(8, dtype=np.float64)

    with no_grad():
        y2 = ln(Tensor(rng.normal(2.0, 3.0, size=(4, 8)))).data
        print("(1) input (4, 8): each row's output mean and std over the 8 features")
        print("    mean", np.round(y2.mean(-1), 4), " std", np.round(y2.std(-1), 4))

        x = rng.normal(2.0, 3.0, size=(2, 6, 8))
        y3 = ln(Tensor(x)).data
        print("\n(2) input (2, 6, 8): sequence 0, mean and std over the features at each position")
        print("    mean", np.round(y3[0].mean(-1), 4))
        print("    std ", np.round(y3[0].std(-1), 4))
        x2 = x.copy()
        x2[:, 5] += rng.normal(size=(2, 8))  # not a constant shift: LayerNorm ignores those
        moved = [t for t in range(6) if not np.allclose(ln(Tensor(x2)).data[:, t], y3[:, t])]
        print(f"    changed the input at position 5; positions whose output changed: {moved}")
        lynx_measure("earliest_changed", min(moved) if moved else 5)
        one = ln(Tensor(x[:, :1])).data
        print(f"    a one-token sequence (2, 1, 8): output std over features {one[0, 0].std():.4f} (should be 1)")
        lynx_measure("one_token_std", one[0, 0].std())

    print(f"\n(3) training a 1-block GPT on next-byte prediction; ln(256) = {np.log(256):.3f}")
    losses = train(tiny_gpt(args.seed), args.steps, seed=args.seed)
    print(f"final loss {losses[-1]:.3f}")
    lynx_measure("final_loss", losses[-1])
    return losses


if __name__ == "__main__":
    main()
