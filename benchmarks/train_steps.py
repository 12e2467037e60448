"""Training steps of the course's two models, in minimodel and in PyTorch, on the same shapes.

Each `*_step(framework)` returns ``(step, batch_tokens)``: ``step()`` does one full training step
(forward, loss, zero_grad, backward, optimizer step) on the next batch. Batches are drawn before
timing from a fixed seed, the same arrays for both frameworks.

- cbow: phase 13's CBOW model (minimodel.labs.rank_collapse): 512 x 128 embedding, 4 context
  words, mean, Linear(128, 512), cross-entropy, AdamW; batch 32.
- gpt: the step of `lynx lab 17 train` (minimodel.labs.gpt_train, its default Settings): the
  corpus in the lab's BPE vocabulary of 384 tokens, windows of the training split, GPT with
  block 32, d_model 64, 2 pre-norm blocks of 4 heads and a tied head; AdamW (betas 0.9/0.95,
  weight decay 0.1 on the matrices), the lab's warm-up + cosine learning rate, and gradient
  clipping at norm 1.0; batch 16. The PyTorch model mirrors it layer by layer: qkv in one
  Linear, explicit causal softmax attention (the same algorithm, not a fused kernel),
  tanh-GELU, LayerNorm, tied head, `torch.nn.utils.clip_grad_norm_`.

PyTorch is optional (never a dependency of lynx): `pip install torch==2.13.0`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import numpy as np

REPO = Path(__file__).resolve().parents[1]
try:  # a minimodel already on the path (PYTHONPATH=some/src) is the one measured; else this checkout's
    import minimodel  # noqa: F401
except ImportError:
    sys.path.insert(0, str(REPO / "src"))

N_BATCHES = 64  # batches drawn up front and cycled: data preparation is not timed


def have_torch() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def gpt_available() -> bool:
    try:
        from minimodel.nn.gpt import GPT, GPTConfig, lm_loss  # noqa: F401
        from minimodel.optim import configure_optimizer  # noqa: F401
    except ImportError:
        return False
    return True


def _cycle(batches: list) -> Callable[[], object]:
    state = {"i": 0}

    def nxt():
        b = batches[state["i"] % len(batches)]
        state["i"] += 1
        return b

    return nxt


# -- CBOW (phase 13) -------------------------------------------------------------------
def cbow_batches(seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    from minimodel.labs import rank_collapse as rc

    ids = rc.corpus_ids()
    rng = np.random.default_rng(seed)
    centres = rng.integers(rc.WINDOW, len(ids) - rc.WINDOW, size=(N_BATCHES, rc.BATCH))
    offsets = rc.context_offsets()
    return [(ids[c[:, None] + offsets], ids[c]) for c in centres]


def cbow_step(framework: str, seed: int = 0) -> tuple[Callable[[], None], int]:
    from minimodel.labs import rank_collapse as rc

    nxt = _cycle(cbow_batches(seed))
    tokens = rc.BATCH * 2 * rc.WINDOW
    if framework == "minimodel":
        from minimodel import functional as F
        from minimodel.optim import AdamW

        model = rc.CBOW(rc.VOCAB, rc.D_MODEL, np.random.default_rng(seed))
        opt = AdamW(model.parameters(), lr=rc.LR, weight_decay=0.0)

        def step() -> None:
            ctx, target = nxt()
            loss = F.cross_entropy(model(ctx), target)
            opt.zero_grad()
            loss.backward()
            opt.step()

        return step, tokens

    import torch
    import torch.nn.functional as TF

    torch.manual_seed(seed)
    emb = torch.nn.Embedding(rc.VOCAB, rc.D_MODEL)
    out = torch.nn.Linear(rc.D_MODEL, rc.VOCAB)
    opt = torch.optim.AdamW([*emb.parameters(), *out.parameters()], lr=rc.LR, weight_decay=0.0)
    tbatches = [(torch.from_numpy(c.astype(np.int64)), torch.from_numpy(t.astype(np.int64))) for c, t in
                cbow_batches(seed)]
    tnext = _cycle(tbatches)

    def tstep() -> None:
        ctx, target = tnext()
        loss = TF.cross_entropy(out(emb(ctx).mean(dim=1)), target)
        opt.zero_grad()
        loss.backward()
        opt.step()

    return tstep, tokens


# -- mini-GPT (phase 17) -----------------------------------------------------------------
def lab_settings():
    from minimodel.labs.gpt_train import Settings

    return Settings()


def gpt_config():
    from minimodel.nn.gpt import GPTConfig

    s = lab_settings()
    return GPTConfig(vocab_size=s.vocab_size, block_size=s.block_size, d_model=s.d_model, n_layers=s.n_layers,
                     n_heads=s.n_heads, seed=s.seed)


def gpt_batches(seed: int = 0) -> list[np.ndarray]:
    """Windows of the lab's training split, in the lab's BPE vocabulary (384 tokens)."""
    from minimodel.bpe import BPETokenizer
    from minimodel.data import load_corpus, random_windows
    from minimodel.labs.gpt_train import split

    s = lab_settings()
    text = load_corpus()
    train_ids, _ = split(BPETokenizer.train(text, s.vocab_size).encode(text))
    rng = np.random.default_rng(seed)
    return [random_windows(train_ids, s.batch_size, s.block_size + 1, rng) for _ in range(N_BATCHES)]


def _lr_at(step: int) -> float:
    from minimodel.schedule import warmup_cosine

    s = lab_settings()
    return warmup_cosine(step % s.steps, s.steps, s.lr, s.warmup, s.min_lr)


def gpt_step(framework: str, seed: int = 0) -> tuple[Callable[[], None], int]:
    cfg, s = gpt_config(), lab_settings()
    tokens = s.batch_size * cfg.block_size
    batches = gpt_batches(seed)
    count = {"step": 0}
    if framework == "minimodel":
        from minimodel.nn.gpt import GPT, lm_loss
        from minimodel.optim import configure_optimizer
        from minimodel.schedule import clip_grad_norm

        model = GPT(cfg)
        opt = configure_optimizer(model, lr=s.lr, weight_decay=s.weight_decay)
        nxt = _cycle(batches)
        params = model.parameters()

        def step() -> None:  # the loop body of minimodel.labs.gpt_train.run
            opt.lr = _lr_at(count["step"])
            count["step"] += 1
            loss = lm_loss(model, nxt())
            opt.zero_grad()
            loss.backward()
            clip_grad_norm(params, s.clip)
            opt.step()

        return step, tokens

    import torch

    torch.manual_seed(seed)
    model = _torch_gpt(cfg)
    decay = [p for p in model.parameters() if p.ndim >= 2]
    no_decay = [p for p in model.parameters() if p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": s.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=s.lr, betas=(0.9, 0.95))
    tnext = _cycle([torch.from_numpy(w.astype(np.int64)) for w in batches])
    params = list(model.parameters())

    def tstep() -> None:
        lr = _lr_at(count["step"])
        count["step"] += 1
        for group in opt.param_groups:
            group["lr"] = lr
        w = tnext()
        logits = model(w[:, :-1])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, cfg.vocab_size), w[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, s.clip)
        opt.step()

    return tstep, tokens


def _torch_gpt(cfg):
    """minimodel's GPT, layer for layer, in PyTorch."""
    import math

    import torch
    from torch import nn
    from torch.nn import functional as TF

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            d = cfg.d_model
            self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
            self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
            self.up, self.down = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
            self.register_buffer("mask", torch.tril(torch.ones(cfg.block_size, cfg.block_size, dtype=torch.bool)))

        def attn(self, x):
            B, T, C = x.shape
            H = cfg.n_heads
            q, k, v = self.qkv(x).reshape(B, T, 3, H, C // H).permute(2, 0, 3, 1, 4)
            s = (q @ k.transpose(-2, -1)) / math.sqrt(C // H)
            s = s.masked_fill(~self.mask[:T, :T], float("-inf"))
            y = s.softmax(dim=-1) @ v
            return self.proj(y.transpose(1, 2).reshape(B, T, C))

        def forward(self, x):
            x = x + self.attn(self.ln1(x))
            return x + self.down(TF.gelu(self.up(self.ln2(x)), approximate="tanh"))

    class GPT(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.tok = nn.Embedding(cfg.vocab_size, cfg.d_model)
            self.pos = nn.Embedding(cfg.block_size, cfg.d_model)
            self.blocks = nn.ModuleList(Block() for _ in range(cfg.n_layers))
            self.ln_f = nn.LayerNorm(cfg.d_model)

        def forward(self, ids):
            x = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))
            for b in self.blocks:
                x = b(x)
            return self.ln_f(x) @ self.tok.weight.T  # tied head

    return GPT()


MODELS = {"cbow": cbow_step, "gpt": gpt_step}


# -- peak memory of a training run, in a process of its own ---------------------------------
def _vm_hwm_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def peak_memory(model: str, framework: str, steps: int = 50) -> dict[str, float]:
    """Peak RSS of the whole process, and the rise of the peak during training (the high-water
    mark is reset after set-up, Linux's clear_refs 5), both in MiB."""
    step, _ = MODELS[model](framework)
    step()  # first step: optimizer state and caches exist from here on
    before = _vm_hwm_kib()
    try:
        Path("/proc/self/clear_refs").write_text("5")
        reset = True
    except OSError:
        reset = False
    base = _vm_hwm_kib()
    for _ in range(steps):
        step()
    peak = _vm_hwm_kib()
    return {"process_peak_mib": max(before, peak) / 1024,
            "training_peak_mib": (peak - base) / 1024 if reset else float("nan"),
            "base_mib": base / 1024}


if __name__ == "__main__":  # python benchmarks/train_steps.py MODEL FRAMEWORK  -> JSON peak memory
    import json

    print(json.dumps(peak_memory(sys.argv[1], sys.argv[2])))
