"""The class table: one row per learner, its cells, and the columns a table and a CSV show."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from lynx.activities import misses, scheduling
from lynx.core.clock import next_day
from lynx.learner.cardstates import CardState
from lynx.teacher.summary import _stamp
from lynx.teacher.sync import Learner

COLUMNS = ["name", "phase", "breaks_done", "hints_per_break", "quiz", "calibration", "cards_due", "last_activity", "note"]
NUMERIC = {"phase", "breaks_done", "hints_per_break", "calibration", "cards_due"}
FAILED_NOTES = ("unreachable", "fetch failed", "no branch")  # a row whose remote could not be read


def rows(learners: list[Learner], at: datetime, course: Path | None = None,
         workspace_course: bool = False) -> list[dict[str, Any]]:
    """One row per learner. ``course`` (the teacher's workspace or the bundled course) says which
    cards a missed quiz question or a wrong prediction brings back, as in the learner's `lynx cards`.
    Only a workspace's course is parsed through the cache in its ``.lynx/``; an installed course is read as is."""
    qcards: dict[str, list[str]] = {}
    bcards = _no_cards
    if course is not None:
        from lynx.content.course import Course

        c = Course(course, use_cache=workspace_course)
        qcards = misses.question_cards(course, c.cache)
        bcards = lambda bid: list(c.brk(bid).cards)  # noqa: E731
    out = []
    for lr in learners:
        s = lr.summary or {}
        has = bool(s.get("has_data"))
        committed = s.get("committed")
        last = max((x for x in (s.get("last_activity"), committed) if x), key=_stamp, default=None)
        out.append({
            "name": lr.shown_name(),
            "remote": lr.remote.url,
            "branch": lr.branch,
            "commit": lr.commit,
            "phase": s.get("phase") if has else None,
            "breaks_done": s.get("breaks_done") if has else None,
            "breaks_with_solution": s.get("breaks_with_solution") if has else None,
            "hints_per_break": s.get("hints_per_break") if has else None,
            "quiz": s.get("quiz") if has else None,
            "calibration": s.get("calibration") if has else None,
            "predictions_rated": s.get("predictions_rated") if has else None,
            "cards_due": _cards_due(s, at, qcards, bcards) if has else None,
            "last_activity": last,
            "note": lr.error or ("" if has or not lr.commit else "no lynx data yet"),
        })
    return sorted(out, key=lambda r: r["name"])


def failed(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows whose remote could not be read (kept in the table, with a note)."""
    return [r for r in table if r["note"].startswith(FAILED_NOTES)]


def _no_cards(bid: str) -> list[str]:
    return []


def _cards_due(s: dict[str, Any], at: datetime, qcards: dict[str, list[str]], bcards) -> int:
    """Cards due by the end of today, counted as the learner's own `lynx cards --stats` would."""
    m = s.get("missed") or {}
    missed = misses.combine(m.get("quiz", []), m.get("breaks", []), m.get("tests", []), qcards, bcards)
    end_today = next_day(at)
    due = 0
    for cid in set(s.get("cards", {})) | set(missed):
        st = s.get("cards", {}).get(cid)
        d = scheduling.due_at(CardState(fsrs=st, introduced="") if st else None, missed.get(cid, []))
        due += d is not None and d < end_today
    return due


def cell(row: dict[str, Any], col: str, lang: str | None = None) -> str:
    """A cell as text: for a person in ``lang`` (numbers written that language's way), or, without it,
    for a machine (CSV: a decimal point)."""
    v = row[col]
    if v is None or v == {}:
        return ""
    if col == "quiz":
        return " ".join(f"{p}:{s}" for p, s in v.items())
    if col == "calibration":
        return f"{v:.0%} ({row['predictions_rated']})"
    if col == "breaks_done" and row.get("breaks_with_solution"):
        return f"{v} ({row['breaks_with_solution']} sol.)"
    if col == "last_activity":
        return _stamp(v).strftime("%Y-%m-%d %H:%M")
    if isinstance(v, float) and lang is not None:
        from lynx.i18n import decimal_point

        return str(v).replace(".", decimal_point(lang))
    return str(v)


def class_table(remotes: list, cache: Path | None, jobs: int, lang: str | None) -> tuple[list[dict[str, Any]], str]:
    """`lynx class`: fetch what changed, read it, and tabulate; returns (rows, the language to show them in)."""
    from lynx.core import clock
    from lynx.i18n import resolve
    from lynx.teacher.sync import ClassCache, Setting, collect

    where = Setting.find(cache)
    shown = resolve(lang, where.lang)
    learners = collect(remotes, ClassCache(where.cache), jobs)
    return rows(learners, clock.now(), where.course, workspace_course=where.in_workspace), shown
