"""The class table: one row per learner, its cells, and the columns a table and a CSV show."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from lynx.activities import misses, scheduling
from lynx.core.clock import next_day
from lynx.learner.cardstates import CardState
from lynx.teacher.summary import card, zulu
from lynx.teacher.sync import Learner

COLUMNS = ["name", "phase", "breaks_done", "hints_per_break", "quiz", "calibration", "cards_due", "last_activity", "note"]
# The CSV has every column of the table and what stands behind them (the remote, the commit read...).
CSV_COLUMNS = ["name", "id", "email", "remote", "branch", "commit", "phase", "breaks_done", "breaks_with_solution",
               "breaks_tried", "hints_per_break", "quiz", "calibration", "predictions_rated", "brier", "cards_due",
               "last_activity", "committed", "note", "warning"]
VERIFY_COLUMNS = ["verified", "claims", "claims_failed", "same_as_solution"]
NUMERIC = {"phase", "breaks_done", "hints_per_break", "calibration", "cards_due", "verified"}
# Rows whose remote could not be read (kept in the table, with a note). "never pushed" is not a failure.
FAILED_NOTES = ("unreachable", "fetch failed", "no branch", "unreadable")


def rows(learners: list[Learner], at: datetime, course: Path | None = None,
         workspace_course: bool = False, ordered: bool = True) -> list[dict[str, Any]]:
    """One row per learner. ``course`` (the teacher's workspace or the bundled course) says which
    cards a missed quiz question or a wrong prediction brings back, as in the learner's `lynx cards`.
    Only a workspace's course is parsed through the cache in its ``.lynx/``; an installed course is read as is.
    ``ordered``: sorted by name (else one row per learner, in their order)."""
    qcards: dict[str, list[str]] = {}
    bcards = _no_cards
    if course is not None:
        from lynx.content.course import Course

        c = Course(course, use_cache=workspace_course)
        qcards = misses.question_cards(course, c.cache)

        known: dict[str, list[str]] = {}

        def bcards(bid: str) -> list[str]:  # each break.yaml parsed once, however many learners did it
            if bid not in known:
                try:
                    known[bid] = list(c.brk(bid).cards)
                except Exception:  # noqa: BLE001 - a learner's break id the course does not have
                    known[bid] = []
            return known[bid]
    out = []
    for lr in learners:
        s = lr.summary or {}
        has = bool(s.get("has_data"))
        committed = zulu(s.get("committed"))
        last = max((x for x in (s.get("last_activity"), committed) if x), default=None)
        note = lr.error or ("" if has or not lr.commit else "no lynx data yet")
        out.append({
            "name": lr.shown_name(),
            "id": lr.remote.id,
            "email": lr.remote.email,
            "remote": lr.remote.url or None,
            "branch": lr.branch,
            "commit": lr.commit,
            "phase": s.get("phase") if has else None,
            "breaks_done": s.get("breaks_done") if has else None,
            "breaks_with_solution": s.get("breaks_with_solution") if has else None,
            "breaks_tried": s.get("breaks_tried") if has else None,
            "hints_per_break": s.get("hints_per_break") if has else None,
            "quiz": s.get("quiz") if has else None,
            "calibration": s.get("calibration") if has else None,
            "predictions_rated": s.get("predictions_rated") if has else None,
            "brier": brier(s) if has else None,
            "cards_due": _cards_due(s, at, qcards, bcards) if has else None,
            "last_activity": last,
            "committed": committed,
            "note": note,
            "warning": lr.warning,
            "never_pushed": lr.never_pushed,
        })
    tell_apart(out)
    return sorted(out, key=sort_key) if ordered else out


def sort_key(row: dict[str, Any]) -> tuple[str, str]:
    return row["name"].casefold(), row["remote"] or ""


def tell_apart(table: list[dict[str, Any]]) -> None:
    """Learners of the same name are told apart by their remote: ``bob (class-b/bob.git)``."""
    by: dict[str, list[dict[str, Any]]] = {}
    for r in table:
        by.setdefault(r["name"], []).append(r)
    for name, same in by.items():
        if len(same) < 2:
            continue
        for r in same:
            where = "/".join(Path((r["remote"] or "").rstrip("/")).parts[-2:]) or "?"
            r["name"] = f"{name} ({where}{':' + r['branch'] if r['branch'] and len({x['remote'] for x in same}) < len(same) else ''})"


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
    cards = s.get("cards") or {}
    for cid, st in cards.items():
        if cid not in missed:  # the usual case: its FSRS due date alone
            d = _when(card(st)[0])
            due += d is not None and d < end_today
    for cid in missed:
        when, last, _, _ = card(cards.get(cid))
        fsrs = {"due": when, "last_review": last} if when else None
        d = scheduling.due_at(CardState(fsrs=fsrs, introduced="") if fsrs else None, missed.get(cid, []))
        due += d is not None and d < end_today
    return due


def _when(value: Any) -> datetime | None:
    """An ISO time from a card state (Python reads ``Z`` and offsets; none means UTC)."""
    from datetime import timezone

    try:
        dt = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt


def scored(attempt: dict[str, Any]) -> tuple[float, float] | None:
    """``(confidence 0-1, 1 if the prediction came true else 0)`` of a scored prediction, read defensively:
    a numeric ``confidence`` (0-1 or 50-100) and a verdict (``right``/``correct``, else ``expect`` against
    ``measured``, else the learner's own y/partly/n)."""
    c = attempt.get("confidence")
    if not isinstance(c, (int, float)) or isinstance(c, bool):
        return None
    p = c / 100 if c > 1 else float(c)
    if not 0 <= p <= 1:
        return None
    verdict = attempt.get("right", attempt.get("correct"))
    if isinstance(verdict, bool):
        return p, float(verdict)
    if attempt.get("expect") is not None and attempt.get("measured") is not None:
        return p, float(str(attempt["expect"]).strip().lower() == str(attempt["measured"]).strip().lower())
    hit = {"y": 1.0, "partly": 0.5, "n": 0.0}.get(attempt.get("calibration") or "")
    return (p, hit) if hit is not None else None


def brier(s: dict[str, Any]) -> float | None:
    """The Brier score of a learner's scored predictions (0 is perfect), or None when none is scored."""
    pairs = [x for b in (s.get("breaks") or {}).values() for a in b.get("attempts") or [] if (x := scored(a))]
    return round(sum((p - hit) ** 2 for p, hit in pairs) / len(pairs), 3) if pairs else None


def cell(row: dict[str, Any], col: str, lang: str | None = None) -> str:
    """A cell as text: for a person in ``lang`` (numbers written that language's way), or, without it,
    for a machine (CSV: a decimal point, timestamps in UTC with ``Z``)."""
    v = row.get(col)
    if v is None or v == {}:
        return "" if lang is None else "—" if col in ("brier",) else ""
    if col == "quiz":
        return " ".join(f"{p}:{s}" for p, s in v.items())
    if lang is None:
        return str(v)
    if col == "calibration":
        return f"{v:.0%} ({row.get('predictions_rated')})"
    if col == "breaks_done" and row.get("breaks_with_solution"):
        return f"{v} ({row['breaks_with_solution']} sol.)"
    if col in ("last_activity", "committed"):
        return v.replace("T", " ")[:16]
    if isinstance(v, float):
        from lynx.i18n import decimal_point

        return str(v).replace(".", decimal_point(lang))
    return str(v)


def csv_value(row: dict[str, Any], col: str) -> str:
    v = row.get(col)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return cell(row, col)
