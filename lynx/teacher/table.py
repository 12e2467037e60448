"""The class table: one row per learner, its cells, and the columns a table and a CSV show."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from lynx.core.clock import next_day
from lynx.teacher.due import count_due
from lynx.teacher.summary import zulu
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


def rows(learners: list[Learner], at: datetime, ordered: bool = True) -> list[dict[str, Any]]:
    """One row per learner, from the light summary each holds (:func:`lynx.teacher.summary.light`); cards due
    by the end of ``at``'s day (UTC), as in the learner's own `lynx cards --stats`.
    ``ordered``: sorted by name (else one row per learner, in their order)."""
    end_today = next_day(at)
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
            "brier": s.get("brier") if has else None,
            "cards_due": count_due(s.get("due") or [], end_today) if has else None,
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
