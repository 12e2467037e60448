"""How long does a freshly initialised LSTM remember?

Run:  python -m minimodel.programs.forget_bias [--seed 0]

An LSTM's forget-gate bias starts at +1 (Gers et al. 2000; Jozefowicz et al. 2015) so that a new
cell keeps its memory until training teaches it to forget. This program builds LSTM(8, 16) as
minimodel initialises it, prints the mean of each gate on random inputs, then writes c = 1 into
every unit, feeds 20 zero inputs and prints the share of the cell state that is left.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.nn.rnn import LSTM
from minimodel.programs.measure import lynx_measure
from minimodel.tensor import Tensor, no_grad

STEPS = 20


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    lstm = LSTM(8, 16, rng=np.random.default_rng(args.seed))
    rng = np.random.default_rng(args.seed + 1)
    x = Tensor(rng.normal(0, 1, size=(256, 8)).astype(np.float32))
    h = Tensor(np.zeros((256, 16), dtype=np.float32))
    with no_grad():
        gates = lstm.gates(x, h)
    means = {name: float(g.data.mean()) for name, g in zip("ifgo", gates)}
    print("mean gate values of a fresh LSTM(8, 16) on random inputs")
    for name, label in zip("ifgo", ["input ", "forget", "cand. ", "output"]):
        print(f"  {label} {name}: {means[name]:+.3f}")
    lynx_measure("mean_forget", means["f"])

    zeros = Tensor(np.zeros((1, STEPS, 8), dtype=np.float32))
    state = (Tensor(np.zeros((1, 16), dtype=np.float32)), Tensor(np.ones((1, 16), dtype=np.float32)))
    with no_grad():
        _, (_, c) = lstm(zeros, state)
    left = float(np.abs(c.data).mean())
    print(f"\nwrote c = 1, fed {STEPS} zero inputs: mean |c| left = {left:.2e}")
    lynx_measure("memory_left", left)
    return {"means": means, "left": left}


if __name__ == "__main__":
    main()
