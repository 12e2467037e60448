"""Rank collapse of a token-embedding table, measured on a CBOW model (phase 13, theory page 04).

Run:  python -m minimodel.labs.rank_collapse [--epochs 20] [--seed 0] [--json] [--plot out.png]

A continuous-bag-of-words model (Mikolov et al. 2013) reads the two words on each side of a
position and predicts the word in the middle: mean of their embedding rows -> Linear -> softmax.
The embedding table is V x d = 512 x 128, but the bundled corpus only uses a few hundred ids.
We train it twice from the same start, with and without weight decay, and measure the table:

  effective rank   exp(entropy of the normalised singular values), Roy & Vetterli (2007)
  top-5 share      the fraction of sum(s^2) held by the five largest singular values
  near-zero rows   rows whose norm fell below NEAR_ZERO (ids whose vectors faded away)

Every number on page 04 of phase 13 comes from this program with its default settings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from minimodel import functional as F
from minimodel.data import WordTokenizer, load_corpus
from minimodel.metrics import effective_rank, singular_values, small_rows, top_k_energy
from minimodel.module import Module
from minimodel.nn import Embedding, Linear
from minimodel.optim import AdamW
from minimodel.tensor import Tensor

VOCAB = 512  # rows of the table; the corpus fills only some of them
D_MODEL = 128
WINDOW = 2  # words on each side of the centre
BATCH = 32
LR = 5e-2
EPOCHS = 20
SEED = 0
WEIGHT_DECAY = 0.1  # the "with weight decay" run (decoupled, AdamW)
NEAR_ZERO = 0.05  # about a fifth of a row's norm at init, 0.02 * sqrt(128) ~= 0.23
TOP_K = 5


class CBOW(Module):
    """Average the context rows, score every word of the vocabulary with a separate output layer."""

    def __init__(self, vocab_size: int, d_model: int, rng: np.random.Generator) -> None:
        super().__init__()
        self.embed = Embedding(vocab_size, d_model, rng=rng)
        # Untied, as in word2vec: the table we measure is shaped by the input side only.
        self.out = Linear(d_model, vocab_size, rng=rng)

    def forward(self, context: np.ndarray) -> Tensor:
        h = self.embed(context).mean(axis=1)  # (B, 2*WINDOW, d) -> (B, d)
        return self.out(h)  # (B, V)


@dataclass
class Measure:
    effective_rank: float
    top5_share: float
    near_zero_rows: int
    spectrum: list[float] = field(repr=False)

    @classmethod
    def of(cls, table: np.ndarray) -> "Measure":
        return cls(effective_rank(table), top_k_energy(table, TOP_K), small_rows(table, NEAR_ZERO),
                   singular_values(table).tolist())

    def public(self) -> dict:
        return {"effective_rank": round(self.effective_rank, 4), "top5_share": round(self.top5_share, 4),
                "near_zero_rows": self.near_zero_rows}


def corpus_ids(vocab_size: int = VOCAB) -> np.ndarray:
    text = load_corpus()
    return WordTokenizer(text, vocab_size).encode(text)


def context_offsets(window: int = WINDOW) -> np.ndarray:
    return np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])


def train(ids: np.ndarray, weight_decay: float, epochs: int, seed: int,
          on_step: Callable[[], None] = lambda: None) -> tuple[CBOW, Measure, list[float], float]:
    """Train one CBOW model; returns it, the measure at init, r_eff after every epoch, the last epoch's loss.

    The same seed gives the same init and the same batch order, so two runs differ only by weight decay.
    """
    rng = np.random.default_rng(seed)
    model = CBOW(VOCAB, D_MODEL, rng)
    init = Measure.of(model.embed.weight.data)
    opt = AdamW(model.parameters(), lr=LR, weight_decay=weight_decay)
    centres = np.arange(WINDOW, len(ids) - WINDOW)
    offsets = context_offsets()
    per_epoch: list[float] = []
    loss_sum, batches = 0.0, 0
    for _ in range(epochs):
        loss_sum, batches = 0.0, 0
        order = rng.permutation(centres)
        for start in range(0, len(order), BATCH):
            c = order[start:start + BATCH]
            loss = F.cross_entropy(model(ids[c[:, None] + offsets]), ids[c])
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item()
            batches += 1
            on_step()
        per_epoch.append(effective_rank(model.embed.weight.data))
    return model, init, per_epoch, loss_sum / max(batches, 1)


def steps_per_epoch(ids: np.ndarray) -> int:
    return -(-(len(ids) - 2 * WINDOW) // BATCH)


def run(epochs: int = EPOCHS, seed: int = SEED, progress: bool = False, lang: str = "en") -> dict:
    """Both trainings and every number the lab reports, as plain data."""
    ids = corpus_ids()
    seen = np.unique(ids)
    with _progress(2 * epochs * steps_per_epoch(ids), enabled=progress, label=TEXT[lang]["bar"]) as tick:
        plain, init, plain_epochs, plain_loss = train(ids, 0.0, epochs, seed, tick)
        decayed, _, decayed_epochs, decayed_loss = train(ids, WEIGHT_DECAY, epochs, seed, tick)
    trained = Measure.of(plain.embed.weight.data)
    trained_wd = Measure.of(decayed.embed.weight.data)
    return {
        "config": {"vocab_size": VOCAB, "d_model": D_MODEL, "window": WINDOW, "batch": BATCH, "lr": LR,
                   "epochs": epochs, "seed": seed, "weight_decay": WEIGHT_DECAY, "near_zero": NEAR_ZERO},
        "corpus": {"tokens": int(len(ids)), "ids_used": int(len(seen)), "ids_never_seen": int(VOCAB - len(seen))},
        "init": init.public(),
        "trained": {**trained.public(), "loss": round(plain_loss, 4),
                    "effective_rank_per_epoch": [round(r, 4) for r in plain_epochs]},
        "trained_wd": {**trained_wd.public(), "loss": round(decayed_loss, 4),
                       "effective_rank_per_epoch": [round(r, 4) for r in decayed_epochs]},
        "spectra": {"init": init.spectrum, "trained": trained.spectrum, "trained_wd": trained_wd.spectrum},
    }


class _progress:
    """A Rich progress bar when Rich is installed and asked for; otherwise nothing."""

    def __init__(self, total: int, enabled: bool, label: str = "") -> None:
        self.total, self.enabled, self.bar, self.label = total, enabled, None, label

    def __enter__(self) -> Callable[[], None]:
        if self.enabled:
            try:
                from rich.console import Console
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            except ImportError:
                return lambda: None
            self.bar = Progress(TextColumn(self.label), BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(), transient=True,
                                console=Console(stderr=True))
            self.bar.start()
            task = self.bar.add_task("train", total=self.total)
            return lambda: self.bar.advance(task)
        return lambda: None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


# What the report says, in the learner's language (`--lang`, or LYNX_LANG as `lynx lab` sets it).
TEXT = {
    "en": {"head": "CBOW embedding {V} x {d}, {epochs} epochs, AdamW lr {lr}, seed {seed}",
           "corpus": "corpus: {tokens} tokens, {used} of {V} ids used, {unseen} never seen",
           "cols": ("r_eff", "top-5 share", "rows with norm < {eps}"),
           "rows": ("at init", "after training", "after training, weight decay {wd}"),
           "nominal": "nominal rank min(V, d) = {n}",
           "loss": "last-epoch mean loss: {a} (no decay), {b} (decay)",
           "bar": "training CBOW (without, then with weight decay)", "plot": "plot written to {path}"},
    "es": {"head": "embedding CBOW {V} x {d}, {epochs} épocas, AdamW lr {lr}, semilla {seed}",
           "corpus": "corpus: {tokens} tokens, {used} de {V} ids usados, {unseen} nunca vistos",
           "cols": ("r_eff", "parte top-5", "filas con norma < {eps}"),
           "rows": ("al inicio", "tras entrenar", "tras entrenar, decaimiento {wd}"),
           "nominal": "rango nominal min(V, d) = {n}",
           "loss": "pérdida media de la última época: {a} (sin decaimiento), {b} (con decaimiento)",
           "bar": "entrenando CBOW (sin y luego con decaimiento de pesos)", "plot": "gráfico escrito en {path}"},
}


def language(flag: str | None = None) -> str:
    lang = (flag or os.environ.get("LYNX_LANG") or "en").lower()
    return lang if lang in TEXT else "en"


def report(res: dict, lang: str = "en") -> str:
    t = TEXT[lang]
    dec = (lambda s: s.replace(".", ",")) if lang == "es" else (lambda s: s)
    c, k = res["config"], res["corpus"]
    names = [n.format(wd=dec(str(c["weight_decay"]))) for n in t["rows"]]
    cols = [h.format(eps=dec(str(c["near_zero"]))) for h in t["cols"]]
    lines = [
        t["head"].format(V=c["vocab_size"], d=c["d_model"], epochs=c["epochs"], lr=dec(str(c["lr"])), seed=c["seed"]),
        t["corpus"].format(tokens=k["tokens"], used=k["ids_used"], V=c["vocab_size"], unseen=k["ids_never_seen"]),
        "",
        f"{'':36} {cols[0]:>8} {cols[1]:>12} {cols[2]:>24}",
    ]
    for name, key in zip(names, ("init", "trained", "trained_wd")):
        m = res[key]
        lines.append(f"{name:36} {dec(format(m['effective_rank'], '8.1f'))}"
                     f" {dec(format(m['top5_share'], '12.1%'))} {m['near_zero_rows']:>24}")
    lines += ["", t["nominal"].format(n=min(c["vocab_size"], c["d_model"])),
              t["loss"].format(a=dec(f"{res['trained']['loss']:.3f}"), b=dec(f"{res['trained_wd']['loss']:.3f}"))]
    return "\n".join(lines)


def plot(res: dict, path: str) -> None:
    """Singular-value spectra and r_eff per epoch, side by side (matplotlib is an optional extra)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SystemExit("--plot needs matplotlib: pip install 'lynx-course[plot]'") from None
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for key, label in (("init", "init"), ("trained", "trained"), ("trained_wd", "trained + weight decay")):
        left.semilogy(res["spectra"][key], label=label)
    left.set(title="singular values of the embedding table", xlabel="index", ylabel="singular value")
    left.legend()
    epochs = range(0, res["config"]["epochs"] + 1)
    r0 = res["init"]["effective_rank"]
    right.plot(epochs, [r0, *res["trained"]["effective_rank_per_epoch"]], marker="o", label="no decay")
    right.plot(epochs, [r0, *res["trained_wd"]["effective_rank_per_epoch"]], marker="o", label="weight decay")
    right.set(title="effective rank per epoch", xlabel="epoch", ylabel="r_eff")
    right.xaxis.get_major_locator().set_params(integer=True)
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS, help=f"training epochs per run (default {EPOCHS})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED}; page 04 uses it)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--plot", metavar="PNG", help="write the spectra and r_eff per epoch to this image")
    parser.add_argument("--lang", choices=sorted(TEXT), help="language of the report (default: LYNX_LANG, else en)")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    lang = language(args.lang)
    res = run(args.epochs, args.seed, progress=not args.json and sys.stderr.isatty(), lang=lang)
    if args.plot:
        plot(res, args.plot)
    if args.json:
        public = {k: v for k, v in res.items() if k != "spectra"}
        sys.stdout.write(json.dumps(public, indent=2) + "\n")
    else:
        print(report(res, lang))
        if args.plot:
            print(TEXT[lang]["plot"].format(path=args.plot))
    return res


if __name__ == "__main__":
    main()
