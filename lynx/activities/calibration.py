"""Prediction calibration: how often the learner's predictions about a break were right.

After ``lynx done`` the learner marks their prediction y (right), partly or n (wrong); the break
loop keeps it in ``progress.json`` (``breaks.<id>.attempts[].calibration``). This is the measure
of what the break loop trains: predicting what a bug does before seeing it. Pure functions over
the learner's progress, shared by ``lynx report`` and ``lynx class``.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from lynx.core.clock import parse_or_none
from lynx.learner.progress import Progress

SCORE = {"y": 1.0, "partly": 0.5, "n": 0.0}


def rated(progress: Progress) -> list[dict[str, Any]]:
    """Every finished attempt with a calibration, oldest first: id, phase, when, calibration, hints, prediction."""
    out = []
    for bid, entry in progress.breaks.items():
        for a in entry.attempts:
            if a.calibration not in SCORE:
                continue
            out.append({"break": bid, "phase": bid.split("-", 1)[0], "when": parse_or_none(a.ended or a.started),
                        "calibration": a.calibration, "hints": a.hints, "outcome": a.outcome,
                        "prediction": a.prediction or ""})
    return sorted(out, key=lambda r: (r["when"] or datetime.min.replace(tzinfo=timezone.utc), r["break"]))


def tally(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of y / partly / n and the score: right = 1, partly = ½, wrong = 0, averaged."""
    n = {k: sum(1 for r in rows if r["calibration"] == k) for k in SCORE}
    total = sum(n.values())
    score = round(sum(SCORE[k] * v for k, v in n.items()) / total, 3) if total else None
    return {"rated": total, "right": n["y"], "partly": n["partly"], "wrong": n["n"], "score": score}


def over_time(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tally per day, or per ISO week when the attempts span more than four weeks."""
    dated = [r for r in rows if r["when"]]
    if not dated:
        return []
    weekly = (dated[-1]["when"] - dated[0]["when"]).days > 28
    buckets: dict[str, list[dict[str, Any]]] = {}
    for r in dated:
        d: date = r["when"].date()
        key = f"{d.isocalendar().year}-W{d.isocalendar().week:02d}" if weekly else d.isoformat()
        buckets.setdefault(key, []).append(r)
    return [{"period": k, **tally(v)} for k, v in buckets.items()]


def surprises(rows: list[dict[str, Any]], top: int = 5) -> list[dict[str, Any]]:
    """The breaks whose predictions were most wrong (lowest score), more hints breaking ties."""
    per: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        per.setdefault(r["break"], []).append(r)
    ranked = []
    for bid, rs in per.items():
        t = tally(rs)
        if t["score"] is not None and t["score"] < 1.0:
            ranked.append({"break": bid, "phase": rs[0]["phase"], "score": t["score"], "attempts": len(rs),
                           "hints": max(r["hints"] for r in rs), "prediction": rs[-1]["prediction"]})
    ranked.sort(key=lambda x: (x["score"], -x["hints"], x["break"]))
    return ranked[:top]


BINS = ((50, 60), (60, 70), (70, 80), (80, 90), (90, 101))  # confidence bins, in %, the last one holds 100


def scored(progress: Progress) -> list[dict[str, Any]]:
    """Every finished attempt with a scored prediction (an option or a number, and a confidence), oldest first."""
    out = []
    for bid, entry in progress.breaks.items():
        for a in entry.attempts:
            if a.hit is None or a.confidence is None:
                continue
            out.append({"break": bid, "phase": bid.split("-", 1)[0], "when": parse_or_none(a.ended or a.started),
                        "confidence": a.confidence, "hit": a.hit, "expect": a.expect, "measured": a.measured,
                        "log_error": a.log_error})
    return sorted(out, key=lambda r: (r["when"] or datetime.min.replace(tzinfo=timezone.utc), r["break"]))


def brier(rows: list[dict[str, Any]]) -> float | None:
    """Mean of (confidence - outcome)²: 0 is perfect, always 50 % scores 0.25."""
    if not rows:
        return None
    return round(sum((r["confidence"] / 100 - (1.0 if r["hit"] else 0.0)) ** 2 for r in rows) / len(rows), 4)


def bins(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reliability diagram: per confidence bin, how many predictions, their mean confidence, how many were right."""
    out = []
    for low, high in BINS:
        inside = [r for r in rows if low <= r["confidence"] < high]
        n = len(inside)
        out.append({"low": low, "high": min(high, 100), "n": n,
                    "confidence": round(sum(r["confidence"] for r in inside) / n / 100, 3) if n else None,
                    "hit_rate": round(sum(r["hit"] for r in inside) / n, 3) if n else None})
    return out


def scores(rows: list[dict[str, Any]]) -> dict[str, Any]:
    numbers = [r["log_error"] for r in rows if r["log_error"] is not None]
    return {"n": len(rows), "right": sum(r["hit"] for r in rows), "brier": brier(rows), "bins": bins(rows),
            "log_error": round(sum(numbers) / len(numbers), 4) if numbers else None, "numbers": len(numbers)}


def scored_report(progress: Progress) -> dict[str, Any]:
    rows = scored(progress)
    phases: dict[str, list[dict[str, Any]]] = {}
    periods: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        phases.setdefault(r["phase"], []).append(r)
        if r["when"]:
            periods.setdefault(_period(r["when"].date()), []).append(r)
    return {**scores(rows),
            "phases": {p: scores(rs) for p, rs in sorted(phases.items(), key=lambda kv: _order(kv[0]))},
            "over_time": [{"period": k, **scores(v)} for k, v in periods.items()],
            "predictions": [{**r, "when": r["when"].isoformat() if r["when"] else None} for r in rows]}


def _period(d: date) -> str:
    return f"{d.isocalendar().year}-W{d.isocalendar().week:02d}"


def report(progress: Progress) -> dict[str, Any]:
    rows = rated(progress)
    phases: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        phases.setdefault(r["phase"], []).append(r)
    return {
        "overall": tally(rows),
        "phases": {p: tally(rs) for p, rs in sorted(phases.items(), key=lambda kv: _order(kv[0]))},
        "over_time": over_time(rows),
        "surprises": surprises(rows),
        "attempts": [{**r, "when": r["when"].isoformat() if r["when"] else None} for r in rows],
    }


def learner_scores(progress: Progress) -> dict[str, Any]:
    """The self-rated calibration and the scored predictions together (what `lynx report` shows)."""
    data = report(progress)
    sc = scored_report(progress)
    return {**data, "scored": sc, "brier": sc["brier"], "bins": sc["bins"]}


def _order(p: str) -> tuple[int, int | str]:
    return (0, int(p)) if p.isdigit() else (1, p)


def learner_report(ws, lang: str) -> dict[str, Any]:
    """`lynx report`: the learner's calibration, with the titles of the breaks that surprised them."""
    from lynx.content.fields import text
    from lynx.core.errors import LynxError
    from lynx.learner import progress as progress_file

    data = learner_scores(progress_file.load(ws.learner_dir, ws.learner))
    for s in data["surprises"]:
        try:
            s["title"] = text(ws.course.brk(s["break"]).title, lang)
        except LynxError:
            s["title"] = ""
    return {"learner": ws.learner, **data}
