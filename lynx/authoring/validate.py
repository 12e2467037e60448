"""`lynx validate`: prove the course. Every manifest, break, quiz, deck and build loads; every break
breaks its check on the reference code and its fix makes the check pass again; every free question's
grading classifies its corpus; every build's validator passes the reference, fails the stub and
catches its phase's breaks; every lab exists."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

from lynx.authoring.break_proofs import Row, prove_break, reference_passes
from lynx.authoring.build_proofs import validate_builds
from lynx.authoring.grading_proofs import grading_rows
from lynx.content.course import Course
from lynx.core.errors import LynxError


def validate(root: Path, jobs: int = 2) -> list[Row]:
    course = Course(root, use_cache=False)
    rows, listed = _phase_rows(root, course)
    breaks = []
    for bid in course.break_ids():
        try:
            b = course.brk(bid)
        except LynxError as exc:
            rows.append(Row("break", bid, False, exc.line()))
            continue
        if bid not in listed:
            rows.append(Row("break", bid, False, f"not listed in phases/{b.phase}-*/phase.yaml `breaks:`"))
            continue
        breaks.append(b)
    for bid, pid in listed.items():
        if bid not in course.break_ids():
            rows.append(Row("break", bid, False, f"listed by phase {pid} but breaks/{bid}-*/ does not exist"))
    passing = reference_passes(root, breaks)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        rows += list(pool.map(lambda b: prove_break(root, b, b.id in passing), breaks))
    for kind, part in (("cards", card_rows), ("quiz", quiz_rows), ("grading", grading_rows), ("build", validate_builds),
                       ("lab", lab_rows)):
        try:
            rows += part(root, jobs)
        except LynxError as exc:  # a file that part reads is itself broken: one failed row, the rest goes on
            rows.append(Row(kind, "-", False, exc.line()))
    return rows


def _phase_rows(root: Path, course: Course) -> tuple[list[Row], dict[str, str]]:
    """A row per phase (its pages, quiz and build exist); and which phase lists each break."""
    from lynx.content.quiz import files_of
    from lynx.i18n import languages

    rows: list[Row] = []
    listed: dict[str, str] = {}
    for pid in course.phase_ids():
        try:
            ph = course.phase(pid)
        except LynxError as exc:
            rows.append(Row("phase", pid, False, exc.line()))
            continue
        problems = []
        for b in ph.breaks:
            listed[b] = pid
        for page in ph.pages:
            for lang in languages():
                if not ph.page_path(page, lang).is_file():
                    problems.append(f"page {page.id} ({lang}) missing: {ph.page_path(page, lang).relative_to(root)}")
        if ph.quiz and not files_of(root, ph.quiz):
            problems.append(f"quiz {ph.quiz} not found in data/quizzes/")
        if ph.build_dir and not (ph.build_dir / "build.yaml").is_file():
            problems.append(f"build challenge {ph.build} has no build.yaml")
        rows.append(Row("phase", pid, not problems, "; ".join(problems) or
                        f"{len(ph.breaks)} breaks, {len(ph.pages)} pages"))
    return rows, listed


def card_rows(root: Path, jobs: int) -> list[Row]:
    from lynx.content import deck

    problems = deck.check(root)
    if problems:
        return [Row("cards", "decks", False, e.line()) for e in problems]
    cards = deck.load(root)
    # A card of a phase the course does not have reaches no learner: `lynx status` lists phases, not decks.
    lost = [Row("cards", c.id, False, f"phase {c.phase!r} of card {c.id} ({c.deck}) is not a phase of the course: "
                                      f"no phases/{c.phase}-*/phase.yaml — fix its phase or add the phase")
            for c in deck.orphans(cards, set(Course(root, use_cache=False).phase_ids()))]
    return lost or [Row("cards", "decks", True, f"{len(cards)} cards; every `cards:` reference exists; "
                                                "every card's phase is a phase of the course")]


def quiz_rows(root: Path, jobs: int) -> list[Row]:
    """Each quiz file loads, and the flashcards its questions name exist."""
    from lynx.content.deck import card_ids
    from lynx.content.fields import ContentError
    from lynx.content.quiz import KINDS, load_quiz, quiz_files

    rows = []
    known = card_ids(root)
    for path in quiz_files(root):
        try:
            quiz = load_quiz(path)
        except ContentError as exc:
            rows.append(Row("quiz", path.stem, False, exc.line()))
            continue
        unknown = sorted({c for q in quiz.questions for c in q.cards} - known) if known else []
        kinds = ", ".join(f"{sum(q.kind == k for q in quiz.questions)} {k}" for k in KINDS)
        rows.append(Row("quiz", quiz.id, not unknown,
                        f"unknown card ids {unknown} (not in data/cards/)" if unknown
                        else f"{len(quiz.questions)} questions ({kinds})"))
    ids: set[str] = set()
    for row in list(rows):
        if row.ok and row.id in ids:
            rows.append(Row("quiz", row.id, False, f"two files use quiz id {row.id!r}"))
        ids.add(row.id)
    return rows


def lab_rows(root: Path, jobs: int) -> list[Row]:
    """Every lab's `python -m <module>` names a module that exists under src/."""
    rows = []
    course = Course(root, use_cache=False)
    for pid in course.phase_ids():
        try:
            ph = course.phase(pid)
        except LynxError:
            continue  # the phase row already reports it
        for lab in ph.labs:
            problem = _module_problem(root, lab.run)
            rows.append(Row("lab", f"{ph.id}/{lab.id}", problem is None, problem or " ".join(lab.run)))
    return rows


def _module_problem(root: Path, argv: Sequence[str]) -> str | None:
    if len(argv) >= 3 and argv[0] in ("python", "python3") and argv[1] == "-m":
        rel = Path("src", *argv[2].split("."))
        if not (root / rel.with_suffix(".py")).is_file() and not (root / rel / "__main__.py").is_file():
            return f"module {argv[2]} not found under src/"
    return None
