"""Does clipping an exploding RNN gradient keep its direction?

Run:  python -m minimodel.programs.grad_clip [--seed 0]

An Elman RNN(4, 32) whose recurrent weights start too large (gain 3, the exploding regime of
Pascanu et al. 2013) reads 20 random steps, and a Linear(32, 2) reads its last state to tell
the sign of the first input. After one backward pass the program prints each parameter's
gradient norm, calls clip_grad_norm(params, max_norm=1.0) and prints the norms again with the
factor each one was multiplied by, the length of the whole clipped gradient and its cosine
with the raw gradient (1.0000 when clipping only shortened it).
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel import functional as F
from minimodel.module import Module
from minimodel.nn.linear import Linear
from minimodel.nn.rnn import RNN
from minimodel.programs.measure import lynx_measure
from minimodel.schedule import clip_grad_norm, grad_norm
from minimodel.tensor import Tensor

STEPS, HIDDEN, GAIN, MAX_NORM = 20, 32, 3.0, 1.0


class SignReader(Module):
    """RNN over the sequence, then a Linear on the last hidden state: two classes."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        rng = np.random.default_rng(seed)
        self.rnn = RNN(4, HIDDEN, rng=rng, dtype=np.float64)
        # Too large on purpose: W_hh ~ N(0, gain^2 / H) makes the gradient grow step after step.
        self.rnn.w_hh.weight.data[...] = rng.normal(0, GAIN / np.sqrt(HIDDEN), size=(HIDDEN, HIDDEN))
        self.out = Linear(HIDDEN, 2, rng=rng, dtype=np.float64)

    def forward(self, x: Tensor) -> Tensor:
        _, h = self.rnn(x)
        return self.out(h)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    model = SignReader(args.seed)
    x = np.random.default_rng(args.seed + 1).normal(size=(32, STEPS, 4))
    loss = F.cross_entropy(model(Tensor(x)), (x[:, 0, 0] > 0).astype(np.int64))
    loss.backward()

    named = list(model.named_parameters())
    raw = {name: p.grad.copy() for name, p in named}
    before = grad_norm(p for _, p in named)
    returned = clip_grad_norm([p for _, p in named], MAX_NORM)
    print(f"one backward pass of an RNN(4, {HIDDEN}) + Linear({HIDDEN}, 2) over {STEPS} steps, "
          f"then clip_grad_norm(max_norm={MAX_NORM})")
    print("  parameter          raw norm   clipped norm   factor")
    for name, p in named:
        a, b = float(np.linalg.norm(raw[name])), float(np.linalg.norm(p.grad))
        print(f"  {name:16s} {a:10.4f} {b:14.4f} {b / a:8.4f}")
    g0 = np.concatenate([raw[name].ravel() for name, _ in named])
    g1 = np.concatenate([p.grad.ravel() for _, p in named])
    after = float(np.linalg.norm(g1))
    cosine = float(g0 @ g1 / (np.linalg.norm(g0) * after))
    print(f"\nglobal norm: raw {before:.4f} (clip_grad_norm returned {returned:.4f}), clipped {after:.4f}")
    print(f"cosine(clipped gradient, raw gradient) = {cosine:.4f}")
    lynx_measure("clipped_norm", after)
    lynx_measure("cosine", cosine)
    return {"before": before, "after": after, "cosine": cosine}


if __name__ == "__main__":
    main()
