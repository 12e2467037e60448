"""Is the residual stream of a pre-norm transformer left untouched?

Run:  python -m minimodel.programs.residual_stream [--steps 80] [--seed 0]

In a pre-norm block, x -> x + attn(ln1(x)) -> x + ffn(ln2(x)), the stream x itself is never
normalised. (1) With the sub-layers' output projections set to zero, a block must be the
identity: the program prints the largest |block(x) - x|. (2) It passes a small input
(std 0.05, the scale of freshly initialised embeddings) through 4 blocks and prints the
stream's std after each block, and how much of the gradient reaches the input.
(3) It trains a 4-block GPT for next-byte prediction; ln(256) = 5.545 is a uniform guess.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.nn.config import BlockConfig
from minimodel.nn.transformer import TransformerBlock
from minimodel.programs.tiny_gpt import tiny_gpt, train
from minimodel.tensor import Tensor, no_grad
from minimodel.programs.measure import lynx_measure

D = 32
CONFIG = BlockConfig(d_model=D, n_heads=2)


def silence(block: TransformerBlock) -> None:
    """Zero the last layer of both sub-layers, so each sub-layer outputs exactly 0."""
    for layer in (block.attn.proj, block.ffn.down):
        layer.weight.data[...] = 0.0
        layer.bias.data[...] = 0.0


def main(argv: list[str] | None = None) -> list[float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=80)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)

    block = TransformerBlock(CONFIG, rng=np.random.default_rng(args.seed), dtype=np.float64)
    silence(block)
    x = rng.normal(0.0, 0.05, size=(2, 8, D))
    with no_grad():
        gap = np.abs(block(Tensor(x)).data - x).max()
    print(f"(1) sub-layers silenced: max |block(x) - x| = {gap:.3g}   (0 means the block is the identity)")
    lynx_measure("silenced_gap", gap)

    blocks = [TransformerBlock(CONFIG, rng=np.random.default_rng(args.seed + i), dtype=np.float64) for i in range(4)]
    h = Tensor(x, requires_grad=True)
    out = h
    print(f"\n(2) stream std: input {x.std():.4f}", end="")
    for i, b in enumerate(blocks):
        out = b(out)
        print(f" | after block {i + 1} {out.data.std():.4f}", end="")
    print()
    upstream = np.random.default_rng(1).normal(size=out.shape)
    (out * Tensor(upstream)).sum().backward()
    print(f"    gradient std at the input: {h.grad.std():.4f}   (upstream gradient std {upstream.std():.4f})")

    print(f"\n(3) training a 4-block GPT on next-byte prediction; ln(256) = {np.log(256):.3f}")
    losses = train(tiny_gpt(args.seed, n_layers=4), args.steps, seed=args.seed)
    print(f"final loss {losses[-1]:.3f}")
    lynx_measure("final_loss", losses[-1])
    return losses


if __name__ == "__main__":
    main()
