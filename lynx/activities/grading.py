"""Reading and grading one answer to a question (a quiz's, or a build challenge's conceptual question).

All-or-nothing: a single question is right with its one option, a multi question with exactly its
right options (the partial credit is reported, not given), a free question when the answer says every
concept of its key, negates none and says nothing that contradicts the key (``lynx.activities.meaning``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lynx.content.quiz import LETTERS, Question
from lynx.i18n import N_


@dataclass(frozen=True)
class Answer:
    """A parsed answer: chosen option indices (single / multi) or the text (free)."""

    raw: str
    chosen: tuple[int, ...] = ()


class InvalidAnswer(ValueError):
    """The answer cannot be read; the reason is a catalogue message, shown in the learner's language."""

    def __init__(self, msgid: str, **fields: Any) -> None:
        super().__init__(msgid.format(**fields))
        self.msgid, self.fields = msgid, fields

    def text(self, lang: str) -> str:
        from lynx.i18n import t

        return t(self.msgid, lang, **self.fields)

    @property
    def reason(self) -> dict[str, str]:
        from lynx.i18n import languages

        return {lang: self.text(lang) for lang in languages()}


def parse(q: Question, raw: str, order: list[int] | None = None) -> Answer:
    """Read a typed answer. ``order`` maps shown positions to option indices (shuffling)."""
    text = raw.strip()
    if not text:
        raise InvalidAnswer(N_("please type an answer"))
    if q.kind == "free":
        return Answer(raw=text)
    order = order if order is not None else list(range(len(q.options)))
    n = len(order)
    tokens = [tok for tok in re.split(r"[\s,;]+", text.lower()) if tok]
    picks: list[int] = []
    for tok in tokens:
        if len(tok) == 1 and tok in LETTERS[:n]:
            pos = LETTERS.index(tok)
        elif tok.isdigit() and 1 <= int(tok) <= n:
            pos = int(tok) - 1
        else:
            raise InvalidAnswer(N_("{token!r} is not an option: use a letter a-{last} or a number 1-{n}"),
                                token=tok, last=LETTERS[n - 1], n=n)
        if order[pos] not in picks:
            picks.append(order[pos])
    if q.kind == "single" and len(picks) != 1:
        raise InvalidAnswer(N_("choose exactly one option"))
    return Answer(raw=text, chosen=tuple(sorted(picks)))


@dataclass(frozen=True)
class Grade:
    correct: bool
    # multi: how many right picks and wrong picks, shown as partial credit
    right_picks: int = 0
    wrong_picks: int = 0
    # free: the concepts the answer missed, said only negated, or contradicted (in the learner's language)
    missing: tuple[str, ...] = ()
    negated: tuple[str, ...] = ()
    contradicted: tuple[str, ...] = ()


def grade(q: Question, answer: Answer, lang: str = "en") -> Grade:
    """All-or-nothing grading; multi also reports the partial credit it would have had."""
    if q.kind == "free" and q.key is not None:
        from lynx.activities.meaning import read

        # Terms of every language count: ML vocabulary is often English in Spanish answers too.
        r = read(q.key, answer.raw, lang)
        return Grade(correct=r.right, missing=r.missing, negated=r.negated, contradicted=r.contradicted)
    chosen, right = set(answer.chosen), q.correct_indices
    return Grade(correct=chosen == right, right_picks=len(chosen & right), wrong_picks=len(chosen - right))
