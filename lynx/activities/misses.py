"""Cards missed elsewhere come back tomorrow: a quiz question answered wrongly, a break whose prediction
the learner marked wrong (``calibration: n``), or a card missed in ``lynx cards --test`` makes the
matching cards due on the next UTC day.

Misses are derived from the files the quiz and the break loop write, never copied; they are read as
(what, when) pairs (quiz question ids, break ids, card ids) and only then turned into cards, so the
class view can keep the pairs it read from a learner's commit.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from lynx.content.cache import cached, own_cache
from lynx.core.clock import parse_or_none
from lynx.core.errors import LynxError
from lynx.core.files import read_json
from lynx.learner import attempts, progress
from lynx.learner.cardstates import CardStates
from lynx.learner.progress import Progress
from lynx.learner.workspace import Workspace


def missed(ws: Workspace, states: CardStates) -> dict[str, list[datetime]]:
    """When each card was missed outside the spaced review: quizzes, breaks, --test."""
    cache = ws.course.cache
    quiz_wrong = [pair for path in sorted(ws.learner_dir.glob("phase-*/quiz.yaml"))
                  for pair in cached(own_cache(cache, "quiz-misses"), path, attempts.wrong_in_file)]
    # Read leniently: a progress file of an odd shape is `lynx recover`'s business, not a reason to stop a review.
    data = Progress.from_json(read_json(progress.path(ws.learner_dir), default=None), ws.learner, strict=False)
    # Only the quizzes the learner missed a question of: a big course has hundreds.
    qcards = question_cards(ws.root, cache, {qid for qid, _ in quiz_wrong}) if quiz_wrong else {}
    return combine(quiz_wrong, wrong_breaks(data), states.test_misses(), qcards,
                   lambda bid: list(ws.course.brk(bid).cards))


def combine(quiz_wrong: list[list], break_wrong: list[list], test_missed: list[list],
            qcards: dict[str, list[str]], bcards: Callable[[str], list[str]]) -> dict[str, list[datetime]]:
    """``{card id: [when missed, ...]}`` from the three kinds of misses; ``bcards(break id)`` gives a break's cards."""
    events: dict[str, list[datetime]] = {}

    def add(cards: Iterable[str], when: object) -> None:
        at = parse_or_none(when)
        if at is not None:
            for c in cards:
                events.setdefault(c, []).append(at)

    for qid, when in quiz_wrong:
        add(qcards.get(qid, []), when)
    for bid, when in break_wrong:
        try:
            add(bcards(bid), when)
        except LynxError:  # a break removed from the course: its misses no longer point anywhere
            pass
    for cid, when in test_missed:
        add([cid], when)
    return events


def wrong_breaks(data: Progress) -> list[list]:
    """``[[break id, when], ...]`` for every attempt whose prediction the learner marked wrong."""
    return [[bid, a.ended or a.started] for bid, r in data.breaks.items() for a in r.attempts if a.calibration == "n"]


def question_cards(root: Path, cache: Path | None, questions: Iterable[str] | None = None) -> dict[str, list[str]]:
    """``{question id: [card ids]}`` over every quiz of the course in ``root``, or only over the quizzes
    that hold ``questions`` (ids are ``q-<phase>-NN``, quiz files ``phase-<phase>[-slug].yaml``)."""
    from lynx.content.quiz import files_of, quiz_files

    if questions is None:
        files = quiz_files(root)
    else:
        phases = sorted({q.split("-")[1] for q in questions if q.count("-") >= 2})
        files = [p for ph in phases for p in files_of(root, f"phase-{ph}")]
    out: dict[str, list[str]] = {}
    for path in files:
        out.update(cached(own_cache(cache, "quiz-cards"), path, _cards_of_questions))
    return out


def _cards_of_questions(path: Path) -> dict[str, list[str]]:
    from lynx.content.fields import load_yaml

    data = load_yaml(path)
    out = {}
    for q in (data.get("questions") if isinstance(data, dict) else None) or []:
        if isinstance(q, dict) and isinstance(q.get("id"), str) and isinstance(q.get("cards"), list):
            out[q["id"]] = [c for c in q["cards"] if isinstance(c, str)]
    return out
