"""`lynx class NAME`: one learner in detail — per break their predictions and outcomes, hints, the check
when verified; their quiz attempts; their cards; their activity per week. Everything a learner wrote is
returned as data, to be shown literally."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from lynx.content.fields import text
from lynx.teacher.summary import card, zulu


def detail(full: dict[str, Any] | None, row: dict[str, Any], course: Path | None, lang: str) -> dict[str, Any]:
    """One learner from their whole summary (``full``) and their row of the class table."""
    s = full or {}
    titles = _titles(course, lang)
    verified = {(v["kind"], v["id"]): v for v in row.get("verify") or []}
    breaks = []
    for bid, b in sorted((s.get("breaks") or {}).items()):
        v = verified.get(("break", bid))
        breaks.append({"id": bid, "title": titles.get(bid), "done": b.get("done"), "outcome": b.get("outcome"),
                       "hints": b.get("hints"), "verified": v["status"] if v else None,
                       "same_as_solution": v.get("same_as_solution") if v else None,
                       "attempts": [{"started": zulu(a.get("started")), "ended": zulu(a.get("ended")),
                                     "prediction": a.get("prediction"), "calibration": a.get("calibration"),
                                     "confidence": a.get("confidence"), "expect": a.get("expect"),
                                     "measured": a.get("measured"), "outcome": a.get("outcome"),
                                     "hints": a.get("hints"), "diff_shown": a.get("diff_shown")}
                                    for a in b.get("attempts") or []]})
    builds = [{"phase": p, "passed": b.get("passed"), "at": zulu(b.get("at")), "checks": b.get("checks"),
               "verified": (verified.get(("build", p)) or {}).get("status")}
              for p, b in sorted((s.get("builds") or {}).items())]
    quizzes = [{**q, "started": zulu(q.get("started"))} for q in s.get("quiz_attempts") or []]
    cards = {cid: card(c) for cid, c in (s.get("cards") or {}).items()}
    lapsed = sorted(((cid, c[2]) for cid, c in cards.items() if c[2]), key=lambda x: -x[1])
    return {"name": row["name"], "id": row.get("id"), "email": row.get("email"), "remote": row.get("remote"),
            "branch": row.get("branch"), "commit": row.get("commit"), "phase": row.get("phase"),
            "note": row.get("note"), "warning": row.get("warning"), "last_activity": row.get("last_activity"),
            "breaks": breaks, "builds": builds, "quizzes": quizzes,
            "cards": {"known": len(cards), "due": row.get("cards_due"), "reviews": sum(c[3] for c in cards.values()),
                      "lapses": sum(n for _, n in lapsed), "most_lapsed": [{"id": c, "lapses": n} for c, n in lapsed[:5]]},
            "weeks": s.get("weeks") or {}, "verify": row.get("verify")}


@lru_cache(maxsize=8)
def _titles(course: Path | None, lang: str) -> dict[str, str]:
    if course is None:
        return {}
    from lynx.content.course import Course

    try:
        c = Course(course, use_cache=False)
        return {bid: text(c.brk(bid).title, lang) for bid in c.break_ids()}
    except Exception:  # noqa: BLE001 - titles are a nicety
        return {}
