"""Quizzes: loading a quiz file, checking its schema, and grading one answer.

A quiz lives in ``data/quizzes/phase-NN-slug.yaml`` (schema in docs/design.md).
Every problem in a file becomes one ``ContentError`` line naming the file, the
question id and the problem; nothing here prints or prompts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lynx.content import LANGS, ContentError, Fields, load_yaml

KINDS = ("single", "multi", "free")
CARD_ID_RE = re.compile(r"^c-\d{2,}-\d{2,}$")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Option:
    text: dict[str, str]
    correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    topic: dict[str, str]
    prompt: dict[str, str]
    explanation: dict[str, str]
    options: tuple[Option, ...] = ()
    # free only: each keyword is a group of synonyms, per language
    expect: tuple[dict[str, tuple[str, ...]], ...] = ()
    cards: tuple[str, ...] = ()

    @property
    def correct_indices(self) -> frozenset[int]:
        return frozenset(i for i, o in enumerate(self.options) if o.correct)


@dataclass(frozen=True)
class Quiz:
    id: str
    phase: str
    title: dict[str, str]
    questions: tuple[Question, ...]
    path: Path = field(compare=False)

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)


# --- loading and the schema ---------------------------------------------------------


def load_quiz(path: Path) -> Quiz:
    """Load and check one quiz file; the first problem raises ContentError."""
    data = load_yaml(path)
    top = Fields(path, data)
    top.only(("id", "phase", "title", "questions"))
    phase = top.str("phase")
    if not re.fullmatch(r"\d{2,}", phase):
        raise ContentError(path, "phase", f"bad phase {phase!r}", 'use the phase id (two digits or more) in quotes, e.g. phase: "13"')
    qid = top.str("id")
    if qid != f"phase-{phase}":
        raise ContentError(path, "id", f"quiz id {qid!r} does not match phase {phase!r}", f"use id: phase-{phase}")
    title = top.bilingual("title")
    raw = top.list("questions", min_len=1)
    questions: list[Question] = []
    seen: set[str] = set()
    id_re = re.compile(rf"^q-{phase}-\d{{2,}}$")
    for i, item in enumerate(raw):
        q = _question(path, i, item, id_re, f"q-{phase}-NN, e.g. q-{phase}-01")
        if q.id in seen:
            raise ContentError(path, f"questions[{i}] ({q.id}).id", f"duplicate id {q.id!r}", "give every question its own id")
        seen.add(q.id)
        questions.append(q)
    return Quiz(id=qid, phase=phase, title=title, questions=tuple(questions), path=path)  # type: ignore[arg-type]


def _question(path: Path, i: int, item: Any, id_re: re.Pattern[str], id_hint: str | None = None) -> Question:
    """One question (also used by build challenges, whose ids follow another pattern)."""
    where = f"questions[{i}]"
    f = Fields(path, item, where)
    qid = f.str("id")
    if not id_re.match(qid):
        raise ContentError(path, f"{where}.id", f"bad question id {qid!r}", f"use {id_hint or 'an id matching ' + id_re.pattern}")
    # From here on every error names the question id, which is what an author searches for.
    f = Fields(path, item, f"{where} ({qid})")
    f.only(("id", "kind", "topic", "prompt", "options", "expect", "explanation", "cards"))
    kind = f.str("kind")
    if kind not in KINDS:
        raise ContentError(path, f._f("kind"), f"unknown kind {kind!r}", f"use one of: {', '.join(KINDS)}")
    topic, prompt, explanation = f.bilingual("topic"), f.bilingual("prompt"), f.bilingual("explanation")
    cards = tuple(f.strs("cards", default=[]))
    for c in cards:
        if not CARD_ID_RE.match(c):
            raise ContentError(path, f._f("cards"), f"bad card id {c!r}", "use c-<phase>-<nn>, e.g. c-13-05")
    options: tuple[Option, ...] = ()
    expect: tuple[dict[str, tuple[str, ...]], ...] = ()
    if kind == "free":
        if f.has("options"):
            raise ContentError(path, f._f("options"), "a free question has no options", "remove `options:` or use kind: single")
        expect = tuple(_keyword(path, f._f(f"expect[{k}]"), v) for k, v in enumerate(f.list("expect", min_len=1)))
    else:
        if f.has("expect"):
            raise ContentError(path, f._f("expect"), f"a {kind} question has no expected keywords", "remove `expect:` or use kind: free")
        options = tuple(_option(path, f._f(f"options[{k}]"), v) for k, v in enumerate(f.list("options", min_len=2)))
        if len(options) > len(LETTERS):
            raise ContentError(path, f._f("options"), f"{len(options)} options, at most {len(LETTERS)}")
        right = sum(o.correct for o in options)
        if kind == "single" and right != 1:
            raise ContentError(path, f._f("options"), f"a single question needs exactly one correct option, has {right}",
                               "mark exactly one option `correct: true`, or use kind: multi")
        if kind == "multi" and right < 1:
            raise ContentError(path, f._f("options"), "a multi question needs at least one correct option",
                               "mark the right options `correct: true`")
    return Question(id=qid, kind=kind, topic=topic, prompt=prompt, explanation=explanation,
                    options=options, expect=expect, cards=cards)


def _option(path: Path, where: str, item: Any) -> Option:
    f = Fields(path, item, where)
    f.only(("text", "correct"))
    return Option(text=f.bilingual("text"), correct=f.bool("correct"))  # type: ignore[arg-type]


def _keyword(path: Path, where: str, item: Any) -> dict[str, tuple[str, ...]]:
    f = Fields(path, item, where)
    f.only(LANGS)
    out = {}
    for lang in LANGS:
        if not f.has(lang):
            raise ContentError(path, where, f"missing the `{lang}` synonyms", f"add `{lang}: [word, synonym]`")
        words = f.strs(lang, min_len=1)
        if not any(normalize(w) for w in words):
            raise ContentError(path, f"{where}.{lang}", "keywords are blank")
        out[lang] = tuple(words)
    return out


def quiz_files(root: Path) -> list[Path]:
    """The quiz files of a course (or workspace) root, in a stable order."""
    folder = root / "data" / "quizzes"
    return sorted(p for p in folder.glob("*.yaml") if p.is_file()) if folder.is_dir() else []


def files_of(root: Path, quiz_id: str) -> list[Path]:
    """The files that may hold quiz ``phase-NN``: `phase-NN.yaml` or `phase-NN-slug.yaml`."""
    return [p for p in quiz_files(root) if p.name == f"{quiz_id}.yaml" or p.name.startswith(f"{quiz_id}-")]


def load_all(root: Path) -> list[Quiz]:
    """Every quiz under ``root``; the first broken file raises its ContentError."""
    quizzes = [load_quiz(p) for p in quiz_files(root)]
    seen: dict[str, Path] = {}
    for q in quizzes:
        if q.id in seen:
            raise ContentError(q.path, "id", f"quiz id {q.id!r} is also used by {seen[q.id].name}", "one quiz per phase")
        seen[q.id] = q.path
    return sorted(quizzes, key=lambda q: q.id)


def check_all(root: Path) -> list[ContentError]:
    """Every broken quiz file under ``root``, one error each (for `lynx validate`)."""
    errors: list[ContentError] = []
    for p in quiz_files(root):
        try:
            load_quiz(p)
        except ContentError as exc:
            errors.append(exc)
    if not errors:
        try:
            load_all(root)
        except ContentError as exc:
            errors.append(exc)
    return errors


def validate_course(root: Path, jobs: int = 1) -> list:  # jobs: reads only, nothing to run
    """Rows for `lynx validate`: each quiz file loads, and the flashcards its questions name exist."""
    from lynx.validate import Row

    rows = []
    card_ids = _card_ids(root)
    for path in quiz_files(root):
        try:
            quiz = load_quiz(path)
        except ContentError as exc:
            rows.append(Row("quiz", path.stem, False, exc.line()))
            continue
        unknown = sorted({c for q in quiz.questions for c in q.cards} - card_ids) if card_ids else []
        kinds = ", ".join(f"{sum(q.kind == k for q in quiz.questions)} {k}" for k in KINDS)
        rows.append(Row("quiz", quiz.id, not unknown,
                        f"unknown card ids {unknown} (not in data/cards/)" if unknown
                        else f"{len(quiz.questions)} questions ({kinds})"))
    ids: dict[str, str] = {}
    for row in rows:
        if row.ok and row.id in ids:
            rows.append(Row("quiz", row.id, False, f"two files use quiz id {row.id!r}"))
        ids[row.id] = row.id
    return rows


def _card_ids(root: Path) -> set[str]:
    """Every card id in data/cards/*.yaml, read loosely (the decks are checked by their own module)."""
    ids: set[str] = set()
    for path in sorted((root / "data" / "cards").glob("*.yaml")):
        try:
            data = load_yaml(path)
        except ContentError:
            continue
        for card in (data.get("cards") if isinstance(data, dict) else None) or []:
            if isinstance(card, dict) and isinstance(card.get("id"), str):
                ids.add(card["id"])
    return ids


def find(root: Path, name: str) -> Quiz:
    """The quiz called ``name`` (``phase-13``, or just ``13``) under ``root``."""
    from lynx.errors import LynxError

    # Accept `13`, `phase-13` and the file's stem `phase-13-embeddings`.
    m = re.fullmatch(r"(?:phase-)?(\d{2,})(?:-[a-z0-9-]+)?", name)
    qid = f"phase-{m.group(1)}" if m else name
    if not m:
        raise LynxError(f"bad quiz name {name!r}", "use a quiz id like phase-13 (see `lynx quizzes`)")
    # Files are named phase-NN-slug.yaml; load only the matching one so a broken
    # quiz of another phase does not stop this one.
    for p in files_of(root, qid):
        quiz = load_quiz(p)
        if quiz.id == qid:
            return quiz
    known = ", ".join(sorted({re.sub(r"^(phase-\d{2,}?)(-[a-z].*)?$", r"\1", p.stem) for p in quiz_files(root)})) or "none"
    raise LynxError(f"no quiz {qid!r} in {root / 'data' / 'quizzes'} (quizzes: {known})", "run `lynx quizzes` to list them")


# --- grading ------------------------------------------------------------------------


def normalize(s: str) -> str:
    """Case- and accent-insensitive form: 'Colapsó' and 'colapso' compare equal."""
    decomposed = unicodedata.normalize("NFKD", s.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


@dataclass(frozen=True)
class Answer:
    """A parsed answer: chosen option indices (single / multi) or the text (free)."""

    raw: str
    chosen: tuple[int, ...] = ()


class InvalidAnswer(ValueError):
    """The answer cannot be read; ``reason`` is a short bilingual explanation."""

    def __init__(self, reason: dict[str, str]) -> None:
        super().__init__(reason["en"])
        self.reason = reason


def parse(q: Question, raw: str, order: list[int] | None = None) -> Answer:
    """Read a typed answer. ``order`` maps shown positions to option indices (shuffling)."""
    text = raw.strip()
    if not text:
        raise InvalidAnswer({"en": "please type an answer", "es": "escribe una respuesta"})
    if q.kind == "free":
        return Answer(raw=text)
    order = order if order is not None else list(range(len(q.options)))
    n = len(order)
    tokens = [t for t in re.split(r"[\s,;]+", text.lower()) if t]
    picks: list[int] = []
    for t in tokens:
        if len(t) == 1 and t in LETTERS[:n]:
            pos = LETTERS.index(t)
        elif t.isdigit() and 1 <= int(t) <= n:
            pos = int(t) - 1
        else:
            last = LETTERS[n - 1]
            raise InvalidAnswer({"en": f"{t!r} is not an option: use a letter a-{last} or a number 1-{n}",
                                 "es": f"{t!r} no es una opción: usa una letra a-{last} o un número 1-{n}"})
        if order[pos] not in picks:
            picks.append(order[pos])
    if q.kind == "single" and len(picks) != 1:
        raise InvalidAnswer({"en": "choose exactly one option", "es": "elige exactamente una opción"})
    return Answer(raw=text, chosen=tuple(sorted(picks)))


@dataclass(frozen=True)
class Grade:
    correct: bool
    # multi: how many right picks and wrong picks, shown as partial credit
    right_picks: int = 0
    wrong_picks: int = 0
    # free: the keyword groups the answer missed (in the learner's language)
    missing: tuple[str, ...] = ()


def grade(q: Question, answer: Answer, lang: str = "en") -> Grade:
    """All-or-nothing grading; multi also reports the partial credit it would have had."""
    if q.kind == "free":
        said = normalize(answer.raw)
        # Synonyms of every language count: ML vocabulary is often English in Spanish answers too.
        missing = tuple(group[lang][0] for group in q.expect
                        if not any(normalize(w) in said for ws in group.values() for w in ws if normalize(w)))
        return Grade(correct=not missing, missing=missing)
    chosen, right = set(answer.chosen), q.correct_indices
    return Grade(correct=chosen == right, right_picks=len(chosen & right), wrong_picks=len(chosen - right))
