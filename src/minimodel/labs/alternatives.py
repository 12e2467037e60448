"""Train the tiny GPT with the later alternatives: RMSNorm, SwiGLU, RoPE (phase 16 lab).

Run:  python -m minimodel.labs.alternatives [--norm layernorm|rmsnorm] [--ffn gelu|swiglu]
                                            [--positions learned|sinusoidal|rope] [--steps 40] [--json]

    bytes of the bundled corpus --> GPT (2 blocks, d_model 32, 2 heads, context 16, tied head)
    AdamW at 3e-3 for a few dozen steps on random windows (minimodel.programs.tiny_gpt.train)

The defaults are the GPT-2 layout of phases 16-17 (LayerNorm, the GELU FFN of width 4d, learned
positions). Each option swaps one piece (BlockConfig's norm, ffn, positions); the program prints
the parameters of each part of the model, the loss as it trains, and the mean loss of the last
10 steps. Everything is seeded: the numbers on page 16/05 come from this program.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass

import numpy as np

from minimodel.nn.gpt import GPT, GPTConfig
from minimodel.programs.tiny_gpt import BLOCK, train


@dataclass(frozen=True)
class Settings:
    norm: str = "layernorm"
    ffn: str = "gelu"
    positions: str = "learned"
    steps: int = 40
    seed: int = 0
    d_model: int = 32
    n_layers: int = 2
    n_heads: int = 2


PARTS = ("embedding", "positions", "attention", "norms", "ffn")


def part_of(name: str) -> str:
    """Which part of the GPT a parameter belongs to, from its name (blocks.0.ffn.up.weight -> ffn)."""
    if name.startswith("tok."):
        return "embedding"
    if name.startswith("pos."):
        return "positions"
    if ".attn." in name:
        return "attention"
    if ".ffn." in name:
        return "ffn"
    return "norms"  # ln1, ln2 of every block and ln_f


def parameters_by_part(model: GPT) -> dict[str, int]:
    counts = dict.fromkeys(PARTS, 0)
    for name, p in model.named_parameters():
        counts[part_of(name)] += p.data.size
    return counts


def run(s: Settings = Settings(), echo: bool = False) -> dict:
    config = GPTConfig(vocab_size=256, block_size=BLOCK, d_model=s.d_model, n_layers=s.n_layers,
                       n_heads=s.n_heads, seed=s.seed, norm=s.norm, ffn=s.ffn, positions=s.positions)
    model = GPT(config)
    losses = train(model, s.steps, seed=s.seed, echo=echo)
    return {
        "settings": asdict(s),
        "parameters": model.num_parameters(),
        "parts": parameters_by_part(model),
        "first_loss": losses[0],
        "final_loss": float(np.mean(losses[-10:])),  # the last 10 batches: one batch alone is noisy
        "losses": losses,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--norm", choices=("layernorm", "rmsnorm"), default=Settings.norm)
    parser.add_argument("--ffn", choices=("gelu", "swiglu"), default=Settings.ffn)
    parser.add_argument("--positions", choices=("learned", "sinusoidal", "rope"), default=Settings.positions)
    parser.add_argument("--steps", type=int, default=Settings.steps)
    parser.add_argument("--seed", type=int, default=Settings.seed)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error("--steps must be at least 1")
    s = Settings(norm=args.norm, ffn=args.ffn, positions=args.positions, steps=args.steps, seed=args.seed)
    if not args.json:
        print(f"GPT: norm={s.norm}, ffn={s.ffn}, positions={s.positions}; "
              f"{s.n_layers} blocks, d_model {s.d_model}, {s.n_heads} heads, context {BLOCK}")
    res = run(s, echo=not args.json)
    if args.json:
        print(json.dumps(res))
        return res
    print(f"parameters: {res['parameters']} (the tied embedding counted once)")
    for part in PARTS:
        print(f"  {part:10s} {res['parts'][part]:6d}")
    print(f"first loss {res['first_loss']:.3f}; mean loss of the last 10 of {s.steps} steps {res['final_loss']:.3f}")
    return res


if __name__ == "__main__":
    main()
