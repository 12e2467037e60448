"""The generated exercises of `lynx cards --test` and `--match`, as data: which cards, in which order,
with which distractors, what the blanks of a definition hide, and whether a typed term matches (rapidfuzz,
imported when an answer is checked). The dialogs are ``lynx.term.card_games_view``."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Iterable

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


BLANK = "____"


def redact(s: str, c: Card) -> str:
    """The definition without the words of the term it defines (in either language)."""
    return blanked(s, c)[0]


def blanked(s: str, c: Card) -> tuple[str, list[str]]:
    """The definition with the words of its term (5 letters or more, in any language) blanked out, and what
    each blank hides: ``("____ requires ...", ["Tying"])``. Words next to each other make one blank."""
    words = set()
    for term in c.term.values():
        words.update(w for w in re.findall(r"\w[\w-]*", term) if len(w) >= 5)
    if not words:
        return s, []
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    run = rf"\b(?:{alternation})\w*(?:[\s-]+(?:{alternation})\w*)*"
    hidden: list[str] = []

    def blank(m: re.Match) -> str:
        hidden.append(m.group(0))
        return BLANK

    return re.sub(run, blank, s, flags=re.IGNORECASE), hidden


def term_matches(answer: str, c: Card, hidden: Iterable[str] = (), others: Iterable[Card] = ()) -> bool:
    """Is ``answer`` the term of ``c``? Forgives case, accents, punctuation and small typos, in any language;
    word order too when every content word is there ("mask causal" for "The causal mask").

    ``hidden``: what the blanks of the definition the learner read hide; typing that is right too ("tying"
    where "____ requires ..." hides "Tying"). ``others``: the other cards of the test; an answer closer to
    one of their terms than to this card's is wrong, however close it is to this one.
    """
    from rapidfuzz import fuzz

    got = _plain(normalize(answer))
    if not got:
        return False
    terms = [_plain(normalize(t)) for t in c.term.values()]
    spans = [_plain(normalize(h)) for h in hidden]
    best = max((fuzz.ratio(got, want) for want in terms + spans if _close(got, want)), default=None)
    if best is None:
        if not any(_every_word(got, want) for want in terms):
            return False
        best = 0.0
    if best == 100:
        return True
    rivals = (_plain(normalize(t)) for o in others if o.id != c.id for t in o.term.values())
    return not any(fuzz.ratio(got, r) > best and _close(got, r) for r in rivals)


def _close(got: str, want: str) -> bool:
    """The same text up to a typo or two: one edit in a word of 4-8 letters, 85% alike when longer."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import OSA

    if got == want:
        return True
    if len(want) < 4:
        return False
    if len(want) <= 8:
        return OSA.distance(got, want) <= 1
    return fuzz.ratio(got, want) >= 85


def _every_word(got: str, want: str) -> bool:
    """Every content word (4 letters or more) of the term is in the answer, up to a typo, in any order."""
    from rapidfuzz import fuzz

    words = [w for w in want.split() if len(w) >= 4]
    return bool(words) and all(any(fuzz.ratio(w, g) >= 80 for g in got.split()) for w in words)


def _plain(s: str) -> str:
    return " ".join(re.sub(r"[^\w ]", " ", s).split())


def shorten(s: str, width: int = 160) -> str:
    """At most ``width`` characters, cut between words (never inside one), "…" marking the cut."""
    import textwrap

    return textwrap.shorten(s, width, placeholder=" …", break_long_words=False)


def first_sentence(s: str) -> str:
    return re.split(r"(?<=[.!?:])\s+(?=[A-ZÁÉÍÓÚÑ¿¡(])", s, maxsplit=1)[0]
