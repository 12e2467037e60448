"""Every learner-facing content string, rendered at 80 columns in every language as lynx shows it: no raw
backtick, no word cut by the terminal (every line fits), no word or underscore lost (`__init__` stays)."""

from __future__ import annotations

import re

import pytest

from kit import REPO
from lynx.content.course import Course
from lynx.content.deck import load as load_cards
from lynx.content.quiz import load_all
from lynx.i18n import languages
from lynx.term.text import plain, wrap

COURSE = Course(REPO, use_cache=False)


def texts() -> list[tuple[str, dict[str, str]]]:
    """(where, {lang: text}) for every bilingual text a learner reads in the terminal."""
    out: list[tuple[str, dict[str, str]]] = []
    for pid in COURSE.phase_ids():
        ph = COURSE.phase(pid)
        out += [(f"phase {pid} title", ph.title), (f"phase {pid} summary", ph.summary)]
        out += [(f"page {pid}/{p.id} title", p.title) for p in ph.pages]
        out += [(f"lab {pid}/{lab.id} title", lab.title) for lab in ph.labs]
        if ph.build_dir:
            from lynx.content.challenge import parse_build

            b = parse_build(ph.build_dir / "build.yaml", ph.id)
            out += [(f"build {pid} {k}", getattr(b, k)) for k in ("title", "objective", "background")]
            out += [(f"build {pid} {k}[{i}]", v) for k in ("constraints", "steps", "pitfalls")
                    for i, v in enumerate(getattr(b, k))]
            for q in b.questions:
                out += [(f"{q.id} prompt", q.prompt), (f"{q.id} explanation", q.explanation)]
                out += [(f"{q.id} option {i}", o.text) for i, o in enumerate(q.options)]
    for bid in COURSE.break_ids():
        b = COURSE.brk(bid)
        for key in ("title", "summary", "prompt", "symptom", "cause", "why"):
            out.append((f"break {bid} {key}", getattr(b, key)))
        out += [(f"break {bid} hint {i}", h) for i, h in enumerate(b.hints)]
        if b.outcome and b.outcome.options:
            out += [(f"break {bid} outcome {i}", o.text) for i, o in enumerate(b.outcome.options)]
    for quiz in load_all(REPO):
        for q in quiz.questions:
            out += [(f"{q.id} prompt", q.prompt), (f"{q.id} explanation", q.explanation), (f"{q.id} topic", q.topic)]
            out += [(f"{q.id} option {i}", o.text) for i, o in enumerate(q.options)]
    for card in load_cards(REPO):
        out += [(f"{card.id} {k}", getattr(card, k)) for k in ("term", "front", "back")]
    return out


CASES = [(where, lang, value[lang]) for where, value in texts() for lang in languages()]


def test_the_corpus_of_texts_is_the_whole_course():
    assert len(CASES) > 1000


@pytest.mark.parametrize("where,lang,source", CASES, ids=[f"{w} [{lang}]" for w, lang, _ in CASES])
def test_rendered_at_80_columns(where, lang, source, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    for indent, first in (("", None), ("     ", "  a) "), ("          ", "Hint 1/4  ")):
        lines = wrap(source, indent, first=first)
        assert all(len(line) <= 80 for line in lines), (where, [ln for ln in lines if len(ln) > 80])
        shown = " ".join(lines)
        assert "`" not in shown or "`" in plain(source), (where, "a raw backtick")
        assert shown.count("_") == plain(source).count("_"), (where, "an underscore lost")
        got = shown.split()
        if first:
            got = got[len(first.split()):]
        assert got == plain(source).split(), (where, "a word cut or lost")
