"""A tiny byte-pair-encoding tokenizer (Sennrich et al. 2016; byte-level as in GPT-2).

Start from the 256 byte values; repeatedly find the most frequent pair of adjacent tokens in
the training text and give it a new id. Encoding applies the learned merges in the order
they were learned; decoding just concatenates each token's bytes.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

# Text is cut into chunks first (a word with its leading space, a run of digits, punctuation,
# whitespace) and merges never cross a chunk boundary, so "the" and "the." share tokens.
_CHUNK = re.compile(r" ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+")


def _chunks(text: str) -> list[bytes]:
    return [m.encode("utf-8") for m in _CHUNK.findall(text)]


def _merge(seq: tuple[int, ...], pair: tuple[int, int], new_id: int) -> tuple[int, ...]:
    out: list[int] = []
    i = 0
    while i < len(seq):
        if i + 1 < len(seq) and seq[i] == pair[0] and seq[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(seq[i])
            i += 1
    return tuple(out)


class BPETokenizer:
    """`merges[n]` is the pair of ids that became id 256 + n."""

    def __init__(self, merges: list[tuple[int, int]]) -> None:
        self.merges = [tuple(m) for m in merges]
        self.rank = {pair: n for n, pair in enumerate(self.merges)}
        self.pieces: list[bytes] = [bytes([b]) for b in range(256)]
        for a, b in self.merges:
            self.pieces.append(self.pieces[a] + self.pieces[b])
        self._cache: dict[bytes, tuple[int, ...]] = {}

    @property
    def vocab_size(self) -> int:
        return 256 + len(self.merges)

    @classmethod
    def train(cls, text: str, vocab_size: int) -> BPETokenizer:
        """Learn `vocab_size - 256` merges (fewer if no pair occurs twice)."""
        if vocab_size < 256:
            raise ValueError(f"BPETokenizer: vocab_size must be at least 256 (the bytes), got {vocab_size}")
        words = Counter(tuple(chunk) for chunk in _chunks(text))
        merges: list[tuple[int, int]] = []
        while 256 + len(merges) < vocab_size:
            pairs: Counter[tuple[int, int]] = Counter()
            for word, n in words.items():
                for pair in zip(word, word[1:]):
                    pairs[pair] += n
            if not pairs:
                break
            # Most frequent pair; ties go to the smallest ids, so training is deterministic.
            best = max(pairs, key=lambda p: (pairs[p], -p[0], -p[1]))
            if pairs[best] < 2:
                break
            new_id = 256 + len(merges)
            merges.append(best)
            words = Counter({_merge(w, best, new_id): n for w, n in words.items()})
        return cls(merges)

    def _encode_chunk(self, chunk: bytes) -> tuple[int, ...]:
        if chunk not in self._cache:
            seq = tuple(chunk)
            while len(seq) > 1:
                # The earliest-learned merge present in the chunk goes first, as in training.
                pair = min(zip(seq, seq[1:]), key=lambda p: self.rank.get(p, len(self.rank)))
                if pair not in self.rank:
                    break
                seq = _merge(seq, pair, 256 + self.rank[pair])
            self._cache[chunk] = seq
        return self._cache[chunk]

    def encode(self, text: str) -> np.ndarray:
        ids: list[int] = []
        for chunk in _chunks(text):
            ids.extend(self._encode_chunk(chunk))
        return np.array(ids, dtype=np.int64)

    def decode(self, ids: np.ndarray | list[int]) -> str:
        data = b"".join(self.pieces[int(i)] for i in np.asarray(ids).reshape(-1))
        return data.decode("utf-8", errors="replace")
