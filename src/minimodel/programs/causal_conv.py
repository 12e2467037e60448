"""Does a stack of dilated causal convolutions (WaveNet-style) see the future?

Run:  python -m minimodel.programs.causal_conv [--steps 60] [--seed 0]

A model that predicts the next byte may use bytes 0..t to predict byte t+1, never byte t+1
itself. This program (1) changes one input byte at a time and reports which outputs move,
and (2) trains a small next-byte model built from Conv1d layers (kernel 2, dilations
1, 2, 4, 8) on the bundled corpus and prints its loss next to ln(256), the loss of a
uniform guess.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel import functional as F
from minimodel.data import ByteTokenizer, load_corpus, next_token_batch
from minimodel.module import Module
from minimodel.nn.conv import Conv1d
from minimodel.nn.embedding import Embedding
from minimodel.nn.linear import Linear
from minimodel.optim import AdamW
from minimodel.tensor import Tensor, no_grad
from minimodel.programs.measure import lynx_measure

D = 32
DILATIONS = (1, 2, 4, 8)


class ConvLM(Module):
    """bytes -> Embedding -> [Conv1d(k=2, dilation d) -> ReLU, with a residual] x 4 -> Linear."""

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        rng = np.random.default_rng(seed)
        self.embed = Embedding(256, D, rng=rng)
        self.convs = [Conv1d(D, D, kernel_size=2, dilation=d, causal=True, rng=rng) for d in DILATIONS]
        self.out = Linear(D, 256, rng=rng)

    def features(self, x: Tensor) -> Tensor:
        for conv in self.convs:
            x = x + conv(x).relu()
        return x

    def forward(self, ids: np.ndarray) -> Tensor:
        return self.out(self.features(self.embed(ids)))


def positions_that_move(model: ConvLM, T: int = 24, changed: int = 12, seed: int = 0) -> list[int]:
    """Change the input at position `changed`; return the output positions that change."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(1, T, D)).astype(np.float32)
    x2 = x.copy()
    x2[0, changed] += 1.0
    with no_grad():
        a = model.features(Tensor(x)).data
        b = model.features(Tensor(x2)).data
    return [t for t in range(T) if not np.allclose(a[0, t], b[0, t])]


def main(argv: list[str] | None = None) -> list[float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    model = ConvLM(args.seed)
    field = 1 + sum(c.receptive_field - 1 for c in model.convs)
    print(f"layers: {', '.join(repr(c) for c in model.convs)}")
    print(f"receptive field of the stack: {field} steps (the current one and {field - 1} before it)")
    print(f"padding (before, after) of each layer: {[c.padding() for c in model.convs]}")
    moved = positions_that_move(model)
    future = [t for t in moved if t < 12]
    print(f"\nchanged input position 12; outputs that changed: {moved}")
    print(f"outputs BEFORE position 12 that changed (must be none): {future or 'none'}")
    lynx_measure("earliest_changed", min(moved) if moved else 12)

    ids = ByteTokenizer().encode(load_corpus())
    rng = np.random.default_rng(args.seed)
    opt = AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
    losses = []
    print(f"\ntraining a next-byte model; ln(256) = {np.log(256):.3f}")
    for step in range(args.steps):
        x, y = next_token_batch(ids, 16, 32, rng)
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if step % 10 == 0 or step == args.steps - 1:
            print(f"  step {step:3d}  loss {loss.item():.3f}")
    if losses:
        lynx_measure("final_loss", losses[-1])
    return losses


if __name__ == "__main__":
    main()
