"""Is the GPT trained to predict the NEXT token?

Run:  python -m minimodel.programs.shift_targets [--steps 80] [--seed 0]

Trains a one-block GPT on windows of the bundled corpus (bytes) with `lm_loss`, printing the
loss next to ln(256) = 5.545 (a uniform guess), then lets it continue "The lynx" greedily.
A model of this size, after 80 steps, should have a loss somewhere below 3 and write text
that looks vaguely like English.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.data import ByteTokenizer
from minimodel.programs.tiny_gpt import tiny_gpt, train
from minimodel.sample import generate
from minimodel.programs.measure import lynx_measure

PROMPT = "The lynx"


def main(argv: list[str] | None = None) -> list[float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=80)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(f"training a 1-block GPT with lm_loss; ln(256) = {np.log(256):.3f}")
    model = tiny_gpt(args.seed)
    losses = train(model, args.steps, seed=args.seed)
    print(f"final loss {losses[-1]:.3f}")
    lynx_measure("final_loss", losses[-1])
    tok = ByteTokenizer()
    out = generate(model, tok.encode(PROMPT), 40, greedy=True)
    print(f"\ngreedy continuation of {PROMPT!r}:\n  {tok.decode(out)!r}")
    return losses


if __name__ == "__main__":
    main()
