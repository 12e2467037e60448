"""Which parameters does AdamW's weight decay shrink, and what does it do to the LayerNorm gains?

Run:  python -m minimodel.programs.layernorm_decay [--steps 500] [--seed 0]

Splits a one-block GPT's parameters with `decay_groups` and prints the two groups as nanoGPT does
(tensors and numbers in each), then trains it with `configure_optimizer` (AdamW, weight decay 0.1)
and prints the mean of every LayerNorm gain (each starts at 1). The decay should reach the matrices
only: a gain or a bias is a vector, and shrinking a gain towards 0 fights the normalisation. The
last line is what the decay alone would leave of a weight: (1 - lr * weight_decay) ** steps.
"""

from __future__ import annotations

import argparse

from minimodel.optim import decay_groups
from minimodel.programs.measure import lynx_measure
from minimodel.programs.tiny_gpt import tiny_gpt, train

LR, WEIGHT_DECAY = 3e-3, 0.1  # train()'s learning rate and configure_optimizer's default decay


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    model = tiny_gpt(args.seed)
    decay, no_decay = decay_groups(model)
    print(f"decayed parameter tensors: {len(decay)}, with {sum(p.size for p in decay):,} numbers")
    print(f"non-decayed parameter tensors: {len(no_decay)}, with {sum(p.size for p in no_decay):,} numbers")

    print(f"\ntraining a 1-block GPT for {args.steps} steps (AdamW, lr {LR:g}, weight decay {WEIGHT_DECAY:g})")
    losses = train(model, args.steps, seed=args.seed, lr=LR, every=100)
    last = losses[-100:]
    print(f"mean loss over the last {len(last)} steps: {sum(last) / len(last):.3f}")

    print("\nLayerNorm gains after training (every gain starts at 1):")
    # The gains are the `weight` of the modules called ln1, ln2 and ln_f.
    gains = {name: float(p.data.mean()) for name, p in model.named_parameters()
             if name.split(".")[-2].startswith("ln") and name.endswith(".weight")}
    for name, mean in gains.items():
        print(f"  {name:20s} mean {mean:.3f}")
    print(f"the decay alone would leave (1 - {LR:g} * {WEIGHT_DECAY:g}) ** {args.steps} = "
          f"{(1 - LR * WEIGHT_DECAY) ** args.steps:.3f} of a weight")
    lynx_measure("final_gain", gains["ln_f.weight"])
    return {**gains, "loss": sum(last) / len(last)}


if __name__ == "__main__":
    main()
