"""A tiny next-token language model whose output layer reuses the input embedding.

    bytes of text -> Embedding -> h = e + tanh(Linear(e)) -> LMHead (h @ E^T) -> cross_entropy

Run:  python -m minimodel.programs.tied_lm [--steps 30] [--seed 0]

What to look at: the shapes of the tied matrix and of the logits, the first loss next to
ln(number of classes) (the loss of a uniform guess), and whether the loss goes down.
"""

from __future__ import annotations

import argparse

import numpy as np

from minimodel import functional as F
from minimodel.data import ByteTokenizer, load_corpus, next_token_batch
from minimodel.module import Module
from minimodel.nn import Embedding, Linear, LMHead
from minimodel.optim import AdamW
from minimodel.tensor import Tensor, no_grad
from minimodel.programs.measure import lynx_measure

# The table has 512 rows: the 256 byte tokens plus room for 256 merges that a BPE tokenizer
# would add later. The byte tokenizer only ever produces ids 0..255, so rows 256..511 are
# never read as inputs; as outputs they are classes the model learns to give low scores.
MODEL_VOCAB = 512
D_MODEL = 32
BATCH = 8
BLOCK = 16
LR = 1e-2


class TiedLM(Module):
    def __init__(self, vocab_size: int = MODEL_VOCAB, d_model: int = D_MODEL, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        rng = rng if rng is not None else np.random.default_rng(0)
        self.embed = Embedding(vocab_size, d_model, rng=rng)
        self.mix = Linear(d_model, d_model, rng=rng)
        # Weight tying (Press & Wolf 2017): the head scores tokens with the embedding table.
        self.head = LMHead(self.embed)

    def forward(self, ids: np.ndarray) -> Tensor:
        e = self.embed(ids)  # (B, T, d)
        h = e + self.mix(e).tanh()  # a residual mixing layer, (B, T, d)
        return self.head(h)  # (B, T, V)


def loss_of(model: TiedLM, x: np.ndarray, y: np.ndarray) -> Tensor:
    logits = model(x)
    # The loss trusts what the head says it produces.
    return F.cross_entropy(logits, y, num_classes=model.head.vocab_size_out)


def batches(seed: int = 0):
    """An endless stream of (x, y) next-token batches from the bundled corpus."""
    tok = ByteTokenizer()
    ids = tok.encode(load_corpus())
    rng = np.random.default_rng(seed)
    while True:
        yield next_token_batch(ids, BATCH, BLOCK, rng)


def initial_loss(seed: int = 0) -> float:
    """The loss of an untrained model on the first batch (ln V if the init is sane)."""
    model = TiedLM(rng=np.random.default_rng(seed))
    x, y = next(batches(seed))
    with no_grad():
        return loss_of(model, x, y).item()


def main(argv: list[str] | None = None) -> list[float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    tok = ByteTokenizer()
    model = TiedLM(rng=np.random.default_rng(args.seed))
    print(f"tokenizer vocab size         : {tok.vocab_size}")
    print(f"embedding.weight.shape       : {model.embed.weight.shape}")
    print(f"head.vocab_size_out          : {model.head.vocab_size_out}")
    print(f"head tied to embedding table : {model.head.embedding.weight is model.embed.weight}")
    print(f"parameters (tied counted once): {model.num_parameters()}")
    print(f"embedding weight std         : {model.embed.weight.data.std():.4f}")

    data = batches(args.seed)
    x, y = next(data)
    with no_grad():
        logits = model(x)
    print(f"batch x, y                   : {x.shape}, {y.shape}")
    print(f"logits.shape                 : {logits.shape}")
    print(f"logit std at init            : {logits.data.std():.4f}")
    baseline = float(np.log(model.head.vocab_size_out))
    print(f"ln(num_classes)              : {baseline:.4f}   (loss of a uniform guess)")

    opt = AdamW(model.parameters(), lr=LR, weight_decay=0.0)
    losses: list[float] = []
    for step in range(args.steps):
        loss = loss_of(model, x, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        print(f"step {step:3d}  loss {loss.item():8.4f}")
        x, y = next(data)
    if losses:
        print(f"first loss {losses[0]:.4f}  last loss {losses[-1]:.4f}  ln(V) {baseline:.4f}")
        lynx_measure("first_loss", losses[0])
        lynx_measure("last_loss", losses[-1])
    return losses


if __name__ == "__main__":
    main()
