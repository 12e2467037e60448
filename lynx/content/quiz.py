"""Quizzes as data: ``data/quizzes/phase-NN-slug.yaml``, read and checked (schema in docs/design.md).

The only lister of quiz files (:func:`quiz_files`) and the only quiz parser: `lynx quiz`, status,
flashcards, the mirror, validate and the class view all read quizzes through here. Every problem
in a file becomes one ``ContentError`` line naming the file, the question id and the problem.
Question parsing is shared with build challenges (:func:`parse_question`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lynx.content.fields import ContentError, Fields, load_yaml

if TYPE_CHECKING:  # parsed only when a free question is read: `lynx status` lists quiz files, never parses keys
    from lynx.content.answer_key import AnswerKey

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
    key: AnswerKey | None = None  # free only: what a right answer says (lynx.content.answer_key)
    cards: tuple[str, ...] = ()

    @property
    def correct_indices(self) -> frozenset[int]:
        return frozenset(i for i, o in enumerate(self.options) if o.correct)

    @property
    def expect(self) -> tuple[dict[str, tuple[str, ...]], ...]:
        """The required concepts' terms, per language (what "Expected to contain" shows)."""
        return tuple(c.terms for c in self.key.concepts) if self.key else ()


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
        q = parse_question(path, i, item, id_re, f"q-{phase}-NN, e.g. q-{phase}-01")
        if q.id in seen:
            raise ContentError(path, f"questions[{i}] ({q.id}).id", f"duplicate id {q.id!r}", "give every question its own id")
        seen.add(q.id)
        questions.append(q)
    return Quiz(id=qid, phase=phase, title=title, questions=tuple(questions), path=path)  # type: ignore[arg-type]


def parse_question(path: Path, i: int, item: Any, id_re: re.Pattern[str], id_hint: str | None = None) -> Question:
    """One question (also used by build challenges, whose ids follow another pattern)."""
    where = f"questions[{i}]"
    f = Fields(path, item, where)
    qid = f.str("id")
    if not id_re.match(qid):
        raise ContentError(path, f"{where}.id", f"bad question id {qid!r}", f"use {id_hint or 'an id matching ' + id_re.pattern}")
    # From here on every error names the question id, which is what an author searches for.
    f = Fields(path, item, f"{where} ({qid})")
    f.only(("id", "kind", "topic", "prompt", "options", "answer", "expect", "corpus", "explanation", "cards"))
    kind = f.str("kind")
    if kind not in KINDS:
        raise ContentError(path, f._f("kind"), f"unknown kind {kind!r}", f"use one of: {', '.join(KINDS)}")
    topic, prompt, explanation = f.bilingual("topic"), f.bilingual("prompt"), f.bilingual("explanation")
    cards = tuple(f.strs("cards", default=[]))
    for c in cards:
        if not CARD_ID_RE.match(c):
            raise ContentError(path, f._f("cards"), f"bad card id {c!r}", "use c-<phase>-<nn>, e.g. c-13-05")
    options: tuple[Option, ...] = ()
    key: AnswerKey | None = None
    if kind == "free":
        if f.has("options"):
            raise ContentError(path, f._f("options"), "a free question has no options", "remove `options:` or use kind: single")
        from lynx.content.answer_key import parse_key

        key = parse_key(path, f.where, f)
    else:
        for extra in ("answer", "expect", "corpus"):
            if f.has(extra):
                raise ContentError(path, f._f(extra), f"a {kind} question has no expected keywords",
                                   f"remove `{extra}:` or use kind: free")
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
                    options=options, key=key, cards=cards)


def _option(path: Path, where: str, item: Any) -> Option:
    f = Fields(path, item, where)
    f.only(("text", "correct"))
    return Option(text=f.bilingual("text"), correct=f.bool("correct"))  # type: ignore[arg-type]


def quiz_files(root: Path) -> list[Path]:
    """The quiz files of a course (or workspace) root, in a stable order: the one lister of `data/quizzes/`.

    One listing per folder and command: the folder's mtime changes when a file is added or removed,
    so a listing is reused until then (a glob per phase made `lynx status` quadratic on a big course).
    """
    folder = root / "data" / "quizzes"
    try:
        stamp = folder.stat().st_mtime_ns
    except (FileNotFoundError, NotADirectoryError):
        return []
    seen = _LISTINGS.get(folder)
    if seen is None or seen[0] != stamp:
        names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".yaml") and e.is_file())
        seen = (stamp, [folder / n for n in names])
        _LISTINGS[folder] = seen
    return list(seen[1])


_LISTINGS: dict[Path, tuple[int, list[Path]]] = {}  # folder -> (its mtime, its quiz files)


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


def find(root: Path, name: str) -> Quiz:
    """The quiz called ``name`` (``phase-13``, or just ``13``) under ``root``."""
    from lynx.core.errors import LynxError

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
