"""What does an embedding do with a padding id of -1?

Run:  python -m minimodel.programs.padding_ids [--seed 0]

Pads two byte sequences, "the lynx" and "a cat", to the same length with the id -1 (a common
choice for "no token") and looks them up in an Embedding(256, 8). Then it backpropagates the sum
of the outputs and reports which table rows received gradient. Byte 255 occurs in neither text.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel.data import ByteTokenizer
from minimodel.nn.embedding import Embedding
from minimodel.programs.measure import lynx_measure

PAD = -1
TEXTS = ("the lynx", "a cat")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    tok = ByteTokenizer()
    rows = [list(tok.encode(t)) for t in TEXTS]
    width = max(len(r) for r in rows)
    ids = np.array([r + [PAD] * (width - len(r)) for r in rows])
    print(f"batch of ids, padded with {PAD}:")
    for r in ids:
        print("   ", " ".join(f"{int(i):4d}" for i in r))
    emb = Embedding(256, 8, rng=np.random.default_rng(args.seed), dtype=np.float64)
    try:
        out = emb(ids)
    except (IndexError, ValueError) as exc:
        print(f"the embedding refused the batch: {exc}")
        lynx_measure("refused", 1)
        return {"refused": True}
    lynx_measure("refused", 0)
    pad = ids == PAD
    same = np.allclose(out.data[pad], emb.weight.data[255])
    print(f"the {int(pad.sum())} pad positions read row 255 (byte 255): {same}")
    out.sum().backward()
    touched = [int(i) for i in np.flatnonzero(np.abs(emb.weight.grad).sum(-1))]
    print(f"rows that received gradient: {touched}")
    g = float(np.abs(emb.weight.grad[255]).sum())
    print(f"gradient reaching row 255, which no text uses: {g:.1f}")
    lynx_measure("row_255_grad", g)
    return {"refused": False, "touched": touched}


if __name__ == "__main__":
    main()
