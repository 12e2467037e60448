"""Similarity in an embedding table: cosine similarity, nearest neighbours and a 2-D projection
(phase 13, theory page 05).

Run:  python -m minimodel.labs.similarity [--json] [--plot out.png]

The table is the CBOW model of the rank-collapse lab (page 04), trained without weight decay on the
bundled corpus. Every word read at least MIN_COUNT times is compared with every other by the cosine of
their rows, in the trained table and in the same table at init; a few frequent words get their nearest
neighbours; and principal component analysis (Pearson 1901) projects the rows onto the two directions
that keep the most variance, the usual 2-D picture of an embedding.

Every number on page 05 of phase 13 comes from this program with its default settings.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from minimodel.data import WordTokenizer, load_corpus
from minimodel.labs import rank_collapse as rc

MIN_COUNT = 5  # rarer words have too few contexts for their rows to mean much
PROBES = 4  # nearest neighbours are shown for this many of the most frequent words of 4+ letters
NEIGHBOURS = 3


def cosine_matrix(E: np.ndarray) -> np.ndarray:
    """cos(a, b) = a·b / (|a| |b|) for every pair of rows."""
    unit = E / np.linalg.norm(E, axis=1, keepdims=True)
    return unit @ unit.T


def nearest(cos: np.ndarray, i: int, k: int) -> list[int]:
    """The k rows most similar to row i, itself excluded."""
    order = [int(j) for j in np.argsort(-cos[i]) if j != i]
    return order[:k]


def project_2d(E: np.ndarray) -> tuple[np.ndarray, float]:
    """PCA: the centred rows on their two leading right-singular vectors, and the variance share they keep."""
    X = E - E.mean(axis=0)
    _, s, vt = np.linalg.svd(X, full_matrices=False)
    return X @ vt[:2].T, float((s[:2] ** 2).sum() / (s ** 2).sum())


def mean_top1(cos: np.ndarray) -> float:
    off = cos - 2 * np.eye(len(cos))  # never a row's own 1
    return float(off.max(axis=1).mean())


def run() -> dict:
    text = load_corpus()
    tok = WordTokenizer(text, rc.VOCAB)
    ids = tok.encode(text)
    model, _, _, _ = rc.train(ids, 0.0, rc.EPOCHS, rc.SEED)
    init_table = rc.CBOW(rc.VOCAB, rc.D_MODEL, np.random.default_rng(rc.SEED)).embed.weight.data
    counts = np.bincount(ids, minlength=rc.VOCAB)
    kept = [i for i in np.argsort(-counts, kind="stable") if counts[i] >= MIN_COUNT and i != 0]
    words = [tok.words[i] for i in kept]
    trained = np.asarray(model.embed.weight.data, dtype=np.float64)[kept]
    cos, cos0 = cosine_matrix(trained), cosine_matrix(np.asarray(init_table, dtype=np.float64)[kept])
    probes = [i for i, w in enumerate(words) if len(w) >= 4][:PROBES]
    points, share = project_2d(trained)
    return {
        "config": {"min_count": MIN_COUNT, "epochs": rc.EPOCHS, "seed": rc.SEED, "d_model": rc.D_MODEL},
        "words": len(words),
        "mean_top1_cosine": {"init": round(mean_top1(cos0), 4), "trained": round(mean_top1(cos), 4)},
        "neighbours": {words[i]: [[words[j], round(float(cos[i, j]), 3)] for j in nearest(cos, i, NEIGHBOURS)]
                       for i in probes},
        "projection": {"variance_share": round(share, 4),
                       "points": {w: [round(float(x), 4), round(float(y), 4)] for w, (x, y) in zip(words, points)}},
    }


def report(res: dict) -> str:
    lines = [f"{res['words']} words read at least {res['config']['min_count']} times",
             f"mean cosine to the nearest other word: {res['mean_top1_cosine']['init']:.3f} at init, "
             f"{res['mean_top1_cosine']['trained']:.3f} trained"]
    for word, near in res["neighbours"].items():
        lines.append(f"  {word:>8}: " + ", ".join(f"{w} {c:.3f}" for w, c in near))
    lines.append(f"2-D projection (PCA) keeps {100 * res['projection']['variance_share']:.1f}% of the variance")
    return "\n".join(lines)


def plot(res: dict, path: str) -> None:
    """The words at their 2-D coordinates (matplotlib is an optional extra)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SystemExit("--plot needs matplotlib: pip install 'lynx-course[plot]'") from None
    fig, ax = plt.subplots(figsize=(8, 6))
    for word, (x, y) in res["projection"]["points"].items():
        ax.scatter([x], [y], s=8, color="tab:blue")
        ax.annotate(word, (x, y), fontsize=7)
    share = 100 * res["projection"]["variance_share"]
    ax.set(title=f"embedding rows projected on 2 principal components ({share:.1f}% of the variance)",
           xlabel="PC 1", ylabel="PC 2")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--plot", metavar="PNG", help="write the 2-D projection to this image")
    args = parser.parse_args(argv)
    res = run()
    if args.plot:
        plot(res, args.plot)
    if args.json:
        sys.stdout.write(json.dumps(res, indent=2) + "\n")
    else:
        print(report(res))
        if args.plot:
            print(f"projection written to {args.plot}")
    return res


if __name__ == "__main__":
    main()
