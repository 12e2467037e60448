"""Does each query's attention still sum to 1 under a causal mask?

Run:  python -m minimodel.programs.mask_order [--seed 0]

Feeds random queries, keys and values (T = 8, d_k = 16) to scaled_dot_product_attention with a
causal mask and prints, for every query position, the sum of its attention weights, the weight it
gives to future keys, and the size of its output (mean |output|). A weighted average of the values
needs weights that sum to 1 over the keys the query may see.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.nn.attention import causal_mask, scaled_dot_product_attention
from minimodel.programs.measure import lynx_measure
from minimodel.tensor import Tensor

T, D = 8, 16


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    q, k, v = (rng.normal(size=(64, T, D)) for _ in range(3))
    out, w = scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v), causal_mask(T))
    sums = w.data.sum(-1).mean(0)
    future = np.triu(w.data, k=1).sum(-1).mean(0)
    size = np.abs(out.data).mean(axis=(0, 2))
    print("query   sum of weights   weight on future keys   mean |output|")
    for t in range(T):
        print(f"  {t:3d}   {sums[t]:14.4f}   {future[t]:21.4f}   {size[t]:13.4f}")
    lynx_measure("first_row_sum", sums[0])
    lynx_measure("future_weight", future.max())
    return {"sums": sums, "future": future}


if __name__ == "__main__":
    main()
