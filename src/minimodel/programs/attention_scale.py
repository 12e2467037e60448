"""How peaked is attention as the head size d_k grows?

Run:  python -m minimodel.programs.attention_scale [--seed 0]

Queries and keys are random with entries of variance 1, T = 16 keys per query. For several
head sizes d_k the program runs scaled_dot_product_attention and prints, averaged over 64
sequences and all queries: the largest attention weight of a query (1/16 = 0.0625 is perfectly
flat, 1.0 is one-hot), the entropy of the weights (ln 16 = 2.773 is flat, 0 is one-hot) and
the share of queries whose softmax is saturated (largest weight above 0.99): there the
softmax is flat in every direction and passes almost no gradient back to the scores.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.nn.attention import scaled_dot_product_attention
from minimodel.tensor import Tensor
from minimodel.programs.measure import lynx_measure

T = 16
BATCH = 64
HEAD_SIZES = (4, 16, 64, 256, 1024)


def measure(d_k: int, seed: int = 0) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    q = Tensor(rng.normal(size=(BATCH, T, d_k)))
    k = Tensor(rng.normal(size=(BATCH, T, d_k)))
    v = Tensor(rng.normal(size=(BATCH, T, 8)))
    _, w = scaled_dot_product_attention(q, k, v)
    p = w.data
    entropy = -(p * np.log(np.clip(p, 1e-300, None))).sum(-1)
    return {
        "max_weight": float(p.max(-1).mean()),
        "entropy": float(entropy.mean()),
        "saturated": float((p.max(-1) > 0.99).mean()),
    }


def main(argv: list[str] | None = None) -> dict[int, dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(f"T = {T} keys per query: flat weights give max 1/T = {1 / T:.4f}, entropy ln T = {np.log(T):.3f}")
    print(f"{'d_k':>6}  {'mean max weight':>16}  {'mean entropy':>13}  {'saturated':>10}")
    results = {}
    for d_k in HEAD_SIZES:
        r = measure(d_k, args.seed)
        results[d_k] = r
        print(f"{d_k:>6}  {r['max_weight']:>16.4f}  {r['entropy']:>13.4f}  {r['saturated']:>10.1%}")
        if d_k == 256:
            lynx_measure("saturated_256", 100 * r["saturated"])
    return results


if __name__ == "__main__":
    main()
