"""Does model.eval() turn dropout off?

Run:  python -m minimodel.programs.dropout_eval [--steps 200] [--seed 0]

Dropout (Srivastava et al. 2014) zeroes random activations while a model trains; evaluation
must see every activation, so `model.eval()` makes Dropout the identity. (1) A TransformerBlock
(d_model 32, 2 heads, dropout 0.2) in eval mode reads the same input twice: the program prints
how many of its feed-forward outputs were zeroed and the largest difference between the two
outputs. (2) A 1-block GPT with dropout 0.2 trains on next-byte prediction; then, in eval mode,
it scores one held-out batch three times, and once more with every dropout set to p = 0.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.data import random_windows
from minimodel.nn.config import BlockConfig
from minimodel.nn.dropout import Dropout
from minimodel.nn.gpt import GPT, GPTConfig, lm_loss
from minimodel.nn.transformer import TransformerBlock
from minimodel.programs.measure import lynx_measure
from minimodel.programs.tiny_gpt import BLOCK, corpus_ids, train
from minimodel.tensor import Tensor, no_grad

D, P = 32, 0.2


def dropouts(model) -> list[Dropout]:
    """Every Dropout layer inside `model`, found through its children."""
    found = [model] if isinstance(model, Dropout) else []
    for _, child in model.children():
        found += dropouts(child)
    return found


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    block = TransformerBlock(BlockConfig(d_model=D, n_heads=2, dropout=P), rng=np.random.default_rng(args.seed),
                             dtype=np.float64)
    block.eval()
    x = Tensor(np.random.default_rng(args.seed + 1).normal(size=(2, 8, D)))
    with no_grad():
        ffn = block.ffn(x).data
        a, b = block(x).data, block(x).data
    zeroed = int((ffn == 0).sum())
    gap = float(np.abs(a - b).max())
    print(f"(1) TransformerBlock(d_model={D}, dropout={P}) after block.eval(), the same input twice")
    print(f"    feed-forward outputs set to 0: {zeroed} of {ffn.size}")
    print(f"    max |first output - second output| = {gap:.4f}   (0 means evaluation is deterministic)")
    lynx_measure("eval_gap", gap)

    model = GPT(GPTConfig(vocab_size=256, block_size=BLOCK, d_model=D, n_layers=1, n_heads=2, dropout=P,
                          seed=args.seed))
    print(f"\n(2) training a 1-block GPT with dropout {P} on next-byte prediction")
    train(model, args.steps, seed=args.seed, every=50)
    held_out = random_windows(corpus_ids(), 64, BLOCK + 1, np.random.default_rng(args.seed + 100))
    model.eval()
    with no_grad():
        evals = [lm_loss(model, held_out).item() for _ in range(3)]
        for layer in dropouts(model):
            layer.p = 0.0
        off = lm_loss(model, held_out).item()
    print(f"    after model.eval(), the held-out loss three times: {', '.join(f'{v:.3f}' for v in evals)}")
    print(f"    with every dropout set to p = 0:                {off:.3f}")
    spread = max(evals) - min(evals)
    lynx_measure("eval_spread", spread)
    lynx_measure("eval_minus_off", float(np.mean(evals)) - off)
    return {"gap": gap, "evals": evals, "off": off}


if __name__ == "__main__":
    main()
