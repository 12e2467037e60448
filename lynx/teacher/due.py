"""Cards due, counted as the learner's own `lynx cards --stats` would, from what a summary holds.

A card is due at its FSRS date, pulled forward to the day after a miss (a wrong quiz answer, a wrong
prediction, a missed test) it has not been reviewed since; which cards a question or a break brings back
is the course's business. The due times of a learner's cards are worked out once, when their commit is
read, and kept (sorted, in seconds) beside a key of the course files they depend on: a class of a
thousand then costs one binary search per learner, and a changed course recounts them.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lynx.activities import misses, scheduling
from lynx.learner.cardstates import CardState


@dataclass
class CourseCards:
    """Which cards each question and each break bring back, in the teacher's course (read on first use)."""

    course: Path | None
    workspace_course: bool = False
    key: str = ""
    _questions: dict[str, list[str]] | None = field(default=None, repr=False)
    _breaks: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _course: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.key = course_key(self.course)

    @property
    def questions(self) -> dict[str, list[str]]:
        if self._questions is None:
            self._questions = {}
            if self.course is not None:
                self._questions = misses.question_cards(self.course, self._load().cache)
        return self._questions

    def break_cards(self, bid: str) -> list[str]:
        if bid not in self._breaks:
            try:
                self._breaks[bid] = list(self._load().brk(bid).cards) if self.course is not None else []
            except Exception:  # noqa: BLE001 - a learner's break id the course does not have
                self._breaks[bid] = []
        return self._breaks[bid]

    def warm(self) -> None:
        """Read everything now (before worker processes are forked, so each has it)."""
        self.questions  # noqa: B018
        if self.course is not None:
            for bid in self._load().break_ids():
                self.break_cards(bid)

    def _load(self):
        if self._course is None:
            from lynx.content.course import Course

            self._course = Course(self.course, use_cache=self.workspace_course)
        return self._course


def course_key(course: Path | None) -> str:
    """A key of the course files that say which cards come back (their names, sizes and times)."""
    if course is None:
        return "none"
    h = hashlib.sha1(str(course).encode())
    for pattern in ("data/quizzes/*.yaml", "breaks/*/break.yaml"):
        for p in sorted(course.glob(pattern)):
            try:
                st = p.stat()
            except OSError:
                continue
            h.update(f"{p.relative_to(course)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def due_times(full: dict[str, Any], cc: CourseCards) -> list[int]:
    """The due time of every card of a learner (seconds since the epoch, sorted)."""
    from lynx.teacher.summary import card

    m = full.get("missed") or {}
    missed = misses.combine(m.get("quiz", []), m.get("breaks", []), m.get("tests", []), cc.questions, cc.break_cards)
    cards = full.get("cards") or {}
    out = []
    for cid, st in cards.items():
        if cid not in missed:  # the usual case: its FSRS due date alone
            d = _when(card(st)[0])
            if d is not None:
                out.append(int(d.timestamp()))
    for cid in missed:
        when, last, _, _ = card(cards.get(cid))
        fsrs = {"due": when, "last_review": last} if when else None
        d = scheduling.due_at(CardState(fsrs=fsrs, introduced="") if fsrs else None, missed.get(cid, []))
        if d is not None:
            out.append(int(d.timestamp()))
    return sorted(out)


def count_due(due: list[int], before: datetime) -> int:
    """How many of ``due`` fall before ``before``."""
    return bisect.bisect_left(due, before.timestamp())


def _when(value: Any) -> datetime | None:
    """An ISO time from a card state (Python reads ``Z`` and offsets; none means UTC)."""
    try:
        dt = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt
