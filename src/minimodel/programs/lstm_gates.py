"""What do the LSTM gates hold, and can the cell forget?

Run:  python -m minimodel.programs.lstm_gates [--seed 0]

The forget gate f multiplies the old cell state: c_t = f * c_{t-1} + i * g. It is meant to be
a fraction in (0, 1): near 1 keeps the memory, near 0 erases it. This program prints the range
of every gate on random inputs, then writes one value into the cell and feeds zeros, twice:
once with the forget gate pushed towards "keep" (bias +4) and once towards "erase" (bias -4),
and prints the cell state step by step.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.nn.rnn import LSTM
from minimodel.tensor import Tensor, no_grad
from minimodel.programs.measure import lynx_measure

HIDDEN = 4
STEPS = 12


def gate_ranges(lstm: LSTM, rng: np.random.Generator) -> dict[str, tuple[float, float]]:
    """(min, max) of each gate over a batch of random inputs and hidden states."""
    x = Tensor(rng.normal(0, 3, size=(256, lstm.input_size)).astype(np.float32))
    h = Tensor(rng.uniform(-1, 1, size=(256, lstm.hidden_size)).astype(np.float32))
    with no_grad():
        gates = lstm.gates(x, h)
    return {name: (float(g.data.min()), float(g.data.max())) for name, g in zip("ifgo", gates)}


def memory_trace(forget_bias: float, seed: int) -> list[float]:
    """Cell state of unit 0 after writing c_0 = 1 and then feeding zero inputs."""
    lstm = LSTM(3, HIDDEN, rng=np.random.default_rng(seed))
    H = HIDDEN
    # Make the gates depend on the biases only, so the trace is easy to read.
    lstm.w_hh.weight.data[...] = 0.0
    lstm.w_ih.bias.data[...] = 0.0
    lstm.w_ih.bias.data[H : 2 * H] = forget_bias  # forget gate
    lstm.w_ih.bias.data[0:H] = -20.0  # input gate shut: nothing new is written
    x = Tensor(np.zeros((1, 3), dtype=np.float32))
    h = Tensor(np.zeros((1, H), dtype=np.float32))
    c = Tensor(np.ones((1, H), dtype=np.float32))
    trace = [1.0]
    with no_grad():
        for _ in range(STEPS):
            h, c = lstm.cell(x, h, c)
            trace.append(float(c.data[0, 0]))
    return trace


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    lstm = LSTM(8, 16, rng=np.random.default_rng(args.seed))
    ranges = gate_ranges(lstm, np.random.default_rng(args.seed + 1))
    print("gate ranges on random inputs (should be: i, f, o in (0, 1); g in (-1, 1))")
    for name, label in zip("ifgo", ["input ", "forget", "cand. ", "output"]):
        lo, hi = ranges[name]
        print(f"  {label} {name}: min {lo:+.3f}  max {hi:+.3f}")
    keep = memory_trace(+4.0, args.seed)
    erase = memory_trace(-4.0, args.seed)
    print("\ncell state after writing c = 1 and feeding zeros")
    print("  step   keep (forget bias +4)   erase (forget bias -4)")
    for t, (a, b) in enumerate(zip(keep, erase)):
        print(f"  {t:4d}   {a:+20.4f}   {b:+21.4f}")
    # The whole layer over a sequence, through its forward (what a model calls; `lynx run --compare` watches it).
    seq = Tensor(np.random.default_rng(args.seed + 2).normal(0, 1, size=(4, STEPS, 8)).astype(np.float32))
    with no_grad():
        hs, _ = lstm(seq)
    print(f"\nthe LSTM over {STEPS} random steps: mean |h| = {float(np.abs(hs.data).mean()):.4f}")
    flips = sum(1 for a, b in zip(erase, erase[1:]) if a * b < 0)
    print(f"\n'erase' after {STEPS} steps: |c| = {abs(erase[-1]):.4f}, sign flips: {flips}")
    lynx_measure("erase_abs", abs(erase[-1]))
    lynx_measure("sign_flips", flips)
    return {"ranges": ranges, "keep": keep, "erase": erase}


if __name__ == "__main__":
    main()
