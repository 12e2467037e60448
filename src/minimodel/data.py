"""A small bundled corpus, two tokenizers and batch makers (all seeded, all NumPy)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np

CORPUS_PATH = Path(__file__).with_name("corpus.txt")


def load_corpus() -> str:
    """The bundled English text (about 4 KB, written for this course)."""
    return CORPUS_PATH.read_text(encoding="utf-8")


class ByteTokenizer:
    """One token per UTF-8 byte: a fixed vocabulary of 256 ids, nothing to learn, no unknowns."""

    vocab_size = 256

    def encode(self, text: str) -> np.ndarray:
        return np.frombuffer(text.encode("utf-8"), dtype=np.uint8).astype(np.int64)

    def decode(self, ids: np.ndarray | list[int]) -> str:
        return bytes(int(i) for i in np.asarray(ids).reshape(-1)).decode("utf-8", errors="replace")


class WordTokenizer:
    """Lower-cased words; the `vocab_size - 1` most frequent get their own id, the rest share
    id 0, "<unk>". Ties in frequency are broken alphabetically so the vocabulary is stable."""

    UNK = "<unk>"

    def __init__(self, text: str, vocab_size: int) -> None:
        if vocab_size < 2:
            raise ValueError(f"WordTokenizer: vocab_size must be at least 2, got {vocab_size}")
        counts = Counter(self.split(text))
        ranked = sorted(counts, key=lambda w: (-counts[w], w))[: vocab_size - 1]
        self.words = [self.UNK, *ranked]
        self.vocab_size = vocab_size  # fixed, even if the text has fewer distinct words
        self.index = {w: i for i, w in enumerate(self.words)}

    @staticmethod
    def split(text: str) -> list[str]:
        return re.findall(r"[a-z]+", text.lower())

    def encode(self, text: str) -> np.ndarray:
        return np.array([self.index.get(w, 0) for w in self.split(text)], dtype=np.int64)

    def decode(self, ids: np.ndarray | list[int]) -> str:
        return " ".join(self.words[int(i)] if int(i) < len(self.words) else self.UNK for i in np.asarray(ids).reshape(-1))


def next_token_batch(
    ids: np.ndarray, batch_size: int, block_size: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Random windows of the token stream: x = ids[s : s+T], y = ids[s+1 : s+T+1].

    y is x shifted left by one, so position t of y is the token that follows x[..t].
    """
    if len(ids) < block_size + 1:
        raise ValueError(f"next_token_batch: need at least {block_size + 1} tokens, got {len(ids)}")
    starts = rng.integers(0, len(ids) - block_size, size=batch_size)
    offsets = np.arange(block_size)
    x = ids[starts[:, None] + offsets]
    y = ids[starts[:, None] + offsets + 1]
    return x, y


def random_windows(ids: np.ndarray, batch_size: int, length: int, rng: np.random.Generator) -> np.ndarray:
    """`batch_size` random slices of `length` consecutive tokens, shape (batch_size, length).

    The one-array form of next_token_batch, for `lm_loss`: a window of T + 1 tokens holds the
    inputs (its first T) and the targets (its last T).
    """
    if len(ids) < length:
        raise ValueError(f"random_windows: need at least {length} tokens, got {len(ids)}")
    starts = rng.integers(0, len(ids) - length + 1, size=batch_size)
    return ids[starts[:, None] + np.arange(length)]


def cbow_batch(
    ids: np.ndarray, batch_size: int, window: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Continuous bag of words (Mikolov et al. 2013): predict the centre token from the
    `window` tokens on each side. Returns context (B, 2*window) and target (B,)."""
    if len(ids) < 2 * window + 1:
        raise ValueError(f"cbow_batch: need at least {2 * window + 1} tokens, got {len(ids)}")
    centres = rng.integers(window, len(ids) - window, size=batch_size)
    offsets = np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])
    context = ids[centres[:, None] + offsets]
    return context, ids[centres]
