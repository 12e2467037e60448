"""The generated exercises of `lynx cards --test` and `--match`, as data: which cards, in which order,
with which distractors, and whether a typed term matches. The dialogs are ``lynx.term.cards_view``."""

from __future__ import annotations

import difflib
import random
import re
from dataclasses import dataclass

from lynx.content.deck import Card
from lynx.content.fields import normalize


@dataclass(frozen=True)
class TestQuestion:
    kind: str                      # "choice": pick the answer among 4; "typed": type the term
    card: Card
    options: tuple[Card, ...] = ()


def make_test(cards: list[Card], pool: list[Card], count: int, rng: random.Random) -> list[TestQuestion]:
    """Questions: two in three multiple choice (4 answers, distractors from the same phase first), the rest typed."""
    picked = rng.sample(cards, min(count, len(cards)))
    questions = []
    for i, c in enumerate(picked):
        others = [o for o in pool if o.id != c.id]
        if i % 3 == 2 or len(others) < 3:
            questions.append(TestQuestion("typed", c))
            continue
        same = [o for o in others if o.phase == c.phase]
        rest = [o for o in others if o.phase != c.phase]
        rng.shuffle(same)
        rng.shuffle(rest)
        options = [c] + (same + rest)[:3]
        rng.shuffle(options)
        questions.append(TestQuestion("choice", c, tuple(options)))
    return questions


def match_rounds(cards: list[Card], rounds: int, size: int, seed: int | None) -> list[tuple[list[Card], list[Card]]]:
    """The rounds of a match game: (terms in order, the same cards in the order their definitions show)."""
    rng = random.Random(seed)
    picked = rng.sample(cards, min(len(cards), rounds * size))
    layout = []
    for r in range(0, len(picked), size):
        group = picked[r:r + size]
        defs = group[:]
        rng.shuffle(defs)
        layout.append((group, defs))
    return layout


def redact(s: str, c: Card) -> str:
    """The definition without the words of the term it defines (in either language)."""
    words = set()
    for term in c.term.values():
        words.update(w for w in re.findall(r"\w[\w-]*", term) if len(w) >= 5)
    for w in sorted(words, key=len, reverse=True):
        s = re.sub(rf"\b{re.escape(w)}\w*", "____", s, flags=re.IGNORECASE)
    return s


def term_matches(answer: str, c: Card) -> bool:
    """Typed answers forgive case, accents, punctuation and small typos, in either language."""
    got = _plain(normalize(answer))
    if not got:
        return False
    for term in c.term.values():
        want = _plain(normalize(term))
        if got == want or difflib.SequenceMatcher(None, got, want).ratio() >= 0.85:
            return True
        # Or every content word of the term, in any order: "mask causal" for "The causal mask".
        words = [w for w in want.split() if len(w) >= 4]
        if words and all(any(difflib.SequenceMatcher(None, w, g).ratio() >= 0.8 for g in got.split()) for w in words):
            return True
    return False


def _plain(s: str) -> str:
    return " ".join(re.sub(r"[^\w ]", " ", s).split())


def first_sentence(s: str) -> str:
    return re.split(r"(?<=[.!?:])\s+(?=[A-ZÁÉÍÓÚÑ¿¡(])", s, maxsplit=1)[0]
