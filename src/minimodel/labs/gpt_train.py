"""Train the phase 17 mini-GPT on the bundled corpus, on the CPU, and let it write (phase 17 lab).

Run:  python -m minimodel.labs.gpt_train [--steps 600] [--seed 0] [--json] [--plot loss.png]
                                         [--corpus synthetic [--corpus-words 200000]]

    text --BPE (384 tokens)--> ids --> GPT (2 blocks, d_model 64, 4 heads, context 32, tied head)
    AdamW (betas 0.9/0.95, weight decay 0.1 on every matrix, the tied embedding included; none on
    LayerNorm gains and biases), warm-up + cosine learning rate, gradient clipping at norm 1.0.

`--corpus synthetic` trains on text of minimodel.synthetic instead (a Zipf vocabulary and a small
grammar with known statistics, --corpus-words words drawn with --seed): big enough that the model
cannot memorise it; its prompt is "The" and the language's most frequent noun.

The corpus is split 90/10 into training and held-out text. The program prints the first loss
next to ln V (the loss of a uniform guess), the training and held-out loss as it goes (and the
perplexity, exp of the loss), and then continues a prompt greedily and with temperature + top-k
sampling. Everything is seeded: the same settings give the same numbers, and the numbers quoted
on the phase 17 pages come from the defaults (and, for its section of page 05, `--corpus synthetic`).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass

import numpy as np

from minimodel.bpe import BPETokenizer
from minimodel.data import load_corpus, random_windows
from minimodel.nn.gpt import GPT, GPTConfig, lm_loss
from minimodel.optim import configure_optimizer
from minimodel.sample import generate
from minimodel.schedule import clip_grad_norm, warmup_cosine
from minimodel import synthetic
from minimodel.tensor import no_grad


@dataclass(frozen=True)
class Settings:
    steps: int = 600
    seed: int = 0
    vocab_size: int = 384  # 256 bytes + 128 merges learned from the corpus
    block_size: int = 32
    d_model: int = 64
    n_layers: int = 2
    n_heads: int = 4
    batch_size: int = 16
    lr: float = 3e-3
    min_lr: float = 3e-4
    warmup: int = 30
    weight_decay: float = 0.1
    clip: float = 1.0
    eval_every: int = 50
    prompt: str = "The lynx"
    sample_tokens: int = 40
    temperature: float = 0.8
    top_k: int = 10


@dataclass(frozen=True)
class Corpus:
    """Which text to train on: the bundled corpus (the default), or `words` words of the synthetic language."""

    kind: str = "bundled"
    words: int = 200_000

    def text(self, seed: int) -> str:
        return load_corpus() if self.kind == "bundled" else synthetic.generate(self.words, seed)

    def prompt(self, s: Settings) -> str:
        """The synthetic language has no lynx: its prompt is "The" and its most frequent noun."""
        return s.prompt if self.kind == "bundled" else f"The {synthetic.LEXICON.noun[0]}"


def split(ids: np.ndarray, held_out: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    cut = int(len(ids) * (1.0 - held_out))
    return ids[:cut], ids[cut:]


def perplexity(loss: float) -> float:
    """exp of a mean cross-entropy in nats: the number of equally likely tokens that would be as surprising."""
    return float(np.exp(loss))


def evaluate(model: GPT, ids: np.ndarray, block: int) -> float:
    """Mean next-token loss over consecutive, non-overlapping windows of `ids` (deterministic)."""
    n = (len(ids) - 1) // block
    windows = np.stack([ids[i * block : i * block + block + 1] for i in range(n)])
    model.eval()
    with no_grad():
        loss = lm_loss(model, windows).item()
    model.train()
    return loss


class Bar:
    """A Rich progress bar on a terminal; nothing otherwise (pipes, --json, tests)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.progress = total, enabled, None

    def __enter__(self) -> "Bar":
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self.progress = Progress(TextColumn("training mini-GPT"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("loss {task.fields[loss]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                                     console=Console(stderr=True), transient=True)
            self.progress.__enter__()
            self.task = self.progress.add_task("train", total=self.total, loss="-")
        return self

    def log(self, message: str) -> None:
        """A line above the bar (printing straight to stdout would tear the bar apart)."""
        if self.progress is not None:
            self.progress.console.print(message, highlight=False)
        else:
            print(message, flush=True)

    def advance(self, loss: float) -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, loss=f"{loss:.3f}")

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.__exit__(*exc)


def run(s: Settings = Settings(), progress: bool = False, echo: bool = False, corpus: Corpus = Corpus()) -> dict:
    text = corpus.text(s.seed)
    tok = BPETokenizer.train(text, s.vocab_size)
    ids = tok.encode(text)
    train_ids, val_ids = split(ids)
    config = GPTConfig(vocab_size=tok.vocab_size, block_size=s.block_size, d_model=s.d_model,
                       n_layers=s.n_layers, n_heads=s.n_heads, seed=s.seed)
    model = GPT(config)
    opt = configure_optimizer(model, lr=s.lr, weight_decay=s.weight_decay)
    rng = np.random.default_rng(s.seed)
    losses: list[float] = []
    evals: list[dict] = [{"step": 0, "train": None, "held_out": evaluate(model, val_ids, s.block_size)}]
    with Bar(s.steps, progress) as bar:
        for step in range(s.steps):
            opt.lr = warmup_cosine(step, s.steps, s.lr, s.warmup, s.min_lr)
            loss = lm_loss(model, random_windows(train_ids, s.batch_size, s.block_size + 1, rng))
            opt.zero_grad()
            loss.backward()
            clip_grad_norm(model.parameters(), s.clip)
            opt.step()
            losses.append(loss.item())
            bar.advance(losses[-1])
            if (step + 1) % s.eval_every == 0 or step + 1 == s.steps:
                row = {"step": step + 1, "train": float(np.mean(losses[-s.eval_every:])),
                       "held_out": evaluate(model, val_ids, s.block_size)}
                evals.append(row)
                if echo:
                    bar.log(f"step {row['step']:4d}  train loss {row['train']:.3f}  held-out loss {row['held_out']:.3f}"
                            f"  held-out perplexity {perplexity(row['held_out']):.1f}")
    prompt = tok.encode(corpus.prompt(s))
    greedy = generate(model, prompt, s.sample_tokens, greedy=True)
    sampled = generate(model, prompt, s.sample_tokens, temperature=s.temperature, top_k=s.top_k, seed=s.seed)
    res = {
        "settings": asdict(s),
        "tokens": {"corpus_bytes": len(text.encode("utf-8")), "corpus_tokens": int(len(ids)),
                   "train_tokens": int(len(train_ids)), "held_out_tokens": int(len(val_ids))},
        "parameters": model.num_parameters(),
        "ln_vocab": float(np.log(tok.vocab_size)),
        "initial_loss": losses[0] if losses else None,
        "final_train_loss": evals[-1]["train"] if evals else None,
        "final_held_out_loss": evals[-1]["held_out"] if evals else None,
        "best_held_out": min((e for e in evals if e["step"]), key=lambda e: e["held_out"], default=None),
        "perplexity": {"initial": perplexity(losses[0]) if losses else None,
                       "final_train": perplexity(evals[-1]["train"]) if evals else None,
                       "final_held_out": perplexity(evals[-1]["held_out"]) if evals else None,
                       "best_held_out": perplexity(min(e["held_out"] for e in evals if e["step"]))},
        "evals": evals,
        "losses": losses,
        "greedy": tok.decode(greedy),
        "sampled": tok.decode(sampled),
    }
    if corpus.kind != "bundled":  # the bundled run's output stays exactly as the pages quote it
        # The held-out loss per word, comparable with the language's entropy rate (bits per word):
        # evaluate() predicts val_ids[1 : n * block + 1]; their total surprise over the words they spell.
        targets = val_ids[1 : (len(val_ids) - 1) // s.block_size * s.block_size + 1]
        words = len(tok.decode(targets).split())
        res["corpus"] = {**asdict(corpus), "words_drawn": len(text.split()), "language": asdict(synthetic.statistics()),
                         "held_out_words": words,
                         "held_out_bits_per_word": evals[-1]["held_out"] * len(targets) / words / float(np.log(2))}
    return res


def plot(res: dict, path: str) -> None:
    """The training loss per step and the held-out loss at each evaluation (matplotlib is optional)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SystemExit("--plot needs matplotlib: pip install 'lynx-course[plot]'") from None
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(range(1, len(res["losses"]) + 1), res["losses"], lw=0.8, alpha=0.6, label="training batch loss")
    ax.plot([e["step"] for e in res["evals"]], [e["held_out"] for e in res["evals"]], marker="o", label="held-out loss")
    ax.axhline(res["ln_vocab"], ls="--", c="gray", label=f"ln V = {res['ln_vocab']:.2f}")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy (nats)")
    ax.set_title("mini-GPT on the " + ("synthetic language" if "corpus" in res else "bundled corpus"))
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def report(res: dict) -> str:
    t, s, p = res["tokens"], res["settings"], res["perplexity"]
    lines = [] if "corpus" not in res else [
        f"synthetic language: {res['corpus']['words_drawn']} words, {res['corpus']['language']['vocab_size']} word forms, "
        f"Zipf s = {res['corpus']['language']['zipf_s']}, unigram entropy "
        f"{res['corpus']['language']['unigram_entropy_bits']:.3f} bits, entropy rate "
        f"{res['corpus']['language']['entropy_rate_bits']:.3f} bits per word",
        f"held-out loss per word: {res['corpus']['held_out_bits_per_word']:.3f} bits "
        f"(a perfect model: {res['corpus']['language']['entropy_rate_bits']:.3f})"]
    lines += [
        f"corpus: {t['corpus_bytes']} bytes -> {t['corpus_tokens']} BPE tokens "
        f"({t['train_tokens']} for training, {t['held_out_tokens']} held out)",
        f"model: {res['parameters']} parameters (the tied embedding counted once)",
        f"first loss {res['initial_loss']:.3f}   ln V = {res['ln_vocab']:.3f}",
        f"after {s['steps']} steps: training loss {res['final_train_loss']:.3f}, held-out loss {res['final_held_out_loss']:.3f}",
        f"lowest held-out loss {res['best_held_out']['held_out']:.3f} at step {res['best_held_out']['step']}"
        + (" (after that the model memorises the training text: overfitting)"
           if res["best_held_out"]["step"] < s["steps"] else ""),
        f"perplexity = exp(loss): first {p['initial']:.1f} (of V = {s['vocab_size']} tokens), "
        f"training {p['final_train']:.2f}, held-out {p['final_held_out']:.1f}, lowest held-out {p['best_held_out']:.1f}",
        "",
        f"greedy:                {res['greedy']!r}",
        f"T={s['temperature']}, top-k={s['top_k']}:    {res['sampled']!r}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=Settings.steps)
    parser.add_argument("--seed", type=int, default=Settings.seed)
    parser.add_argument("--weight-decay", type=float, default=Settings.weight_decay,
                        help="AdamW's decoupled weight decay on the matrices (0 turns it off)")
    parser.add_argument("--corpus", choices=("bundled", "synthetic"), default=Corpus.kind,
                        help="the bundled corpus (default) or text of the synthetic Zipf language (minimodel.synthetic)")
    parser.add_argument("--corpus-words", type=int, default=Corpus.words, metavar="N",
                        help=f"words of synthetic text with --corpus synthetic (default {Corpus.words})")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--plot", metavar="PNG", help="write the loss curve to this image")
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error("--steps must be at least 1")
    if not 0 <= args.weight_decay < 10:
        parser.error("--weight-decay must be in [0, 10)")
    if not 1_000 <= args.corpus_words <= 5_000_000:
        parser.error("--corpus-words must be in [1000, 5000000]")
    settings = Settings(steps=args.steps, seed=args.seed, weight_decay=args.weight_decay)
    res = run(settings, progress=not args.json and sys.stderr.isatty(), echo=not args.json,
              corpus=Corpus(args.corpus, args.corpus_words))
    if args.plot:
        plot(res, args.plot)
    if args.json:
        sys.stdout.write(json.dumps({k: v for k, v in res.items() if k != "losses"}, indent=2) + "\n")
    else:
        print()
        print(report(res))
        if args.plot:
            print(f"loss curve written to {args.plot}")
    return res


if __name__ == "__main__":
    main()
