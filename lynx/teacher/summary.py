"""What a learner's commit says: a JSON-able summary read from lynx's own files in it — ``lynx.toml``,
``learners/<name>/progress.json``, ``cards.json``, ``phase-NN/quiz.yaml`` — with the same readers the
learner's own lynx uses, leniently (a learner's repository is untrusted: an odd file is skipped, a long
text is cut, nothing in it is ever interpreted).

The summary is cached by commit (``SUMMARY_VERSION`` in the cache), so it holds everything the class
table, the item analysis, one learner's detail, the HTML report and ``--verify`` need.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

from lynx.activities import calibration
from lynx.activities.misses import wrong_breaks
from lynx.core.errors import LynxError
from lynx.learner import attempts
from lynx.learner.cardstates import CardStates
from lynx.learner.progress import DONE, Progress
from lynx.learner.workspace import parse_config
from lynx.vcs.objects import ObjectReader

SUMMARY_VERSION = 5  # bump when the summary read from a learner's commit changes shape
TEXT_LIMIT = 400     # characters of a prediction or an answer kept (a learner's text is shown, never trusted)
NAME_LIMIT = 80


def read_learner(reader: ObjectReader, commit: str) -> dict[str, Any]:
    """A JSON-able summary of one learner's branch, from lynx's own files only."""
    out: dict[str, Any] = {"learner": None, "committed": reader.committed_at(commit), "has_data": False,
                           "src_tree": reader.tree_id(commit, "src")}
    toml_text = reader.text(commit, "lynx.toml")
    name = None
    remote = None
    if toml_text:
        try:
            cfg = parse_config(toml_text)
            name = cfg.learner
            remote = cfg.get("remote")
        except LynxError:
            name = None
    dirs = reader.folders(commit, "learners")
    if name not in dirs:
        name = dirs[0] if len(dirs) == 1 else name
    out["learner"] = name[:NAME_LIMIT] if isinstance(name, str) else None
    out["remote_name"] = remote if isinstance(remote, str) else None
    if not isinstance(name, str) or name not in dirs:
        return out
    folder = reader.lookup(commit, f"learners/{name}")
    entries = reader.entries(folder.oid) if folder is not None and folder.is_tree else []
    files = {e.name: e for e in entries if e.is_file and e.name in ("progress.json", "cards.json")}
    phases = [e for e in entries if e.is_tree and e.name.startswith("phase-")]
    # Two round trips to git for everything: the two files and the phase folders, then the quiz files.
    got = reader.read_many([e.oid for e in files.values()] + [e.oid for e in phases])
    texts = {name: _blob_text(g) for name, g in zip(files, got)}
    quiz_files = []
    for e, tree in zip(phases, got[len(files):]):
        q = next((x for x in reader.entries(e.oid, tree) if x.name == "quiz.yaml" and x.is_file), None)
        if q is not None:
            quiz_files.append((e.name.removeprefix("phase-"), q.oid))
    quizzes = {phase: t for (phase, _), g in zip(quiz_files, reader.read_many([oid for _, oid in quiz_files]))
               if (t := _blob_text(g))}
    progress, cards = _json(texts.get("progress.json")), _json(texts.get("cards.json"))
    out.update(summarize(progress, cards, quizzes))
    out["has_data"] = bool(progress or cards or quizzes)
    return out


def _blob_text(got: tuple[str, bytes] | None) -> str | None:
    return got[1].decode("utf-8", "replace") if got and got[0] == "blob" else None


def _json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def cut(value: Any, limit: int = TEXT_LIMIT) -> str | None:
    """A learner's text, kept as data: a string (or None), at most ``limit`` characters."""
    if value is None:
        return None
    s = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def summarize(progress: Any, cards: Any, quizzes: dict[str, str]) -> dict[str, Any]:
    """Breaks, hints, quiz attempts and answers, calibration and cards from one learner's files."""
    data = Progress.from_json(progress, strict=False)
    states = CardStates.from_json(cards, strict=False)
    done = solution = hints = tried = 0
    stamps: list[tuple[str, str]] = []  # (when, phase) of every activity, to tell the current phase
    breaks: dict[str, Any] = {}
    for bid, entry in data.breaks.items():
        if entry.attempts:
            tried += 1
            hints += entry.hints
        if entry.done:
            done += 1
            solution += entry.best_outcome != "fixed"
        tries = []
        for a in entry.attempts:
            if a.ended or a.started:
                stamps.append((a.ended or a.started, bid.split("-", 1)[0]))
            one = {"started": a.started, "ended": a.ended, "outcome": a.outcome, "hints": a.hints,
                   "prediction": cut(a.prediction), "calibration": a.calibration, "branch": cut(a.branch, 120),
                   "commit": cut(a.extra.get("commit"), 64), "diff_shown": a.diff_shown,
                   "confidence": _number(a.confidence), "expect": cut(a.expect),
                   "measured": cut(None if a.measured is None else str(a.measured)),
                   "right": a.hit if isinstance(a.hit, bool) else None}  # lynx scored it (an option, or within 25 %)
            tries.append({k: v for k, v in one.items() if v is not None})  # the cache holds a thousand of these
        breaks[bid[:40]] = {"done": entry.done, "outcome": entry.best_outcome, "hints": entry.hints, "attempts": tries}
    builds = {}
    for phase, b in data.builds.items():
        last = next((s for s in reversed(b.sessions) if s.outcome == "passed"), None)
        builds[phase[:20]] = {"passed": b.passed, "at": b.at, "checks": b.checks,
                              "branch": cut(last.branch, 120) if last else None,
                              "commit": cut(last.extra.get("commit"), 64) if last else None}
    stamps += [(b.at, phase) for phase, b in data.builds.items() if b.at]
    quiz, quiz_wrong, answers, quiz_attempts = {}, [], {}, []
    for phase, text in sorted(quizzes.items()):
        tries = attempts.parse(text, f"phase-{phase}/quiz.yaml", strict=False)
        quiz_wrong += attempts.wrong_answers(tries)
        top = attempts.best(tries)
        if top:
            quiz[phase] = f"{top[0]}/{top[1]}"
        for a in tries:
            if a.started:
                stamps.append((a.started, phase))
            quiz_attempts.append({"quiz": cut(a.quiz, 40), "phase": phase, "started": a.started, "score": a.score,
                                  "total": a.total, "finished": a.finished, "review": a.review})
            for r in a.answers:  # the first answer to each question: what the class knew on first sight
                if r.given is not None and r.id not in answers:
                    chosen = [c for c in r.chosen if isinstance(c, int)] if r.chosen is not None else None
                    answers[r.id[:40]] = {"correct": r.correct, "chosen": chosen, "given": cut(r.given, 120)}
    cal = calibration.tally(calibration.rated(data))
    card_info = {cid[:40]: [zulu(s.due), zulu(s.last_review), s.lapses, s.reps] for cid, s in states.cards.items()}
    stamps += [(r.at, "") for r in states.log if r.at]
    dated = [(z, p) for raw, p in stamps if (z := zulu(raw))]  # one format: they sort as text
    phased = [s for s in dated if s[1]]
    phase = max(phased)[1] if phased else None
    return {"phase": phase, "breaks_done": done, "breaks_with_solution": solution, "breaks_tried": tried,
            "hints": hints, "hints_per_break": round(hints / tried, 2) if tried else None, "quiz": quiz,
            "calibration": cal["score"], "predictions_rated": cal["rated"], "cards": card_info,
            "missed": {"quiz": quiz_wrong, "breaks": wrong_breaks(data), "tests": states.test_misses()},
            "breaks": breaks, "builds": builds, "answers": answers, "quiz_attempts": quiz_attempts,
            "weeks": weeks(s[0] for s in dated),
            "last_activity": max(dated)[0] if dated else None}


def weeks(stamps) -> dict[str, int]:
    """Events per ISO week (``2026-W38``): breaks started and ended, quizzes, card reviews."""
    out: dict[str, int] = {}
    by_day: dict[str, str] = {}
    for s in stamps:
        day = s[:10] if s.endswith(("Z", "+00:00")) else s  # an offset can move the day
        if day not in by_day:
            iso = _stamp(s).isocalendar()
            by_day[day] = f"{iso.year}-W{iso.week:02d}"
        key = by_day[day]
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


_MIN = datetime.min.replace(tzinfo=timezone.utc)


def _stamp(value: Any) -> datetime:
    if not isinstance(value, str):
        return _MIN
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return _MIN
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


_UTC_TEXT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$")


def zulu(value: Any) -> str | None:
    """A timestamp as lynx's class view writes every one: UTC, seconds, ``Z``."""
    if isinstance(value, str) and _UTC_TEXT.match(value):
        return value[:19] + "Z"  # already UTC (what lynx writes): no parsing
    dt = _stamp(value)
    return None if dt == _MIN else dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def card(value: Any) -> tuple[str | None, str | None, int, int]:
    """A card in a summary: ``(due, last review, lapses, reviews)`` (kept as a list: a class has many)."""
    if isinstance(value, list) and len(value) == 4:
        due, last, lapses, reps = value
        return (due if isinstance(due, str) else None, last if isinstance(last, str) else None,
                lapses if isinstance(lapses, int) else 0, reps if isinstance(reps, int) else 0)
    return None, None, 0, 0


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


LIGHT = ("learner", "committed", "has_data", "src_tree", "remote_name", "phase", "breaks_done", "breaks_with_solution",
         "breaks_tried", "hints", "hints_per_break", "quiz", "calibration", "predictions_rated", "last_activity")


def light(full: dict[str, Any], due: list[int], due_key: str) -> dict[str, Any]:
    """What the class table needs of a summary (kept for every learner in the cache's one file); the rest
    stays in a file of its own per commit, read only for the item analysis, the detail, the report."""
    out = {k: full.get(k) for k in LIGHT}
    out.update({"brier": brier(full), "due": due, "due_key": due_key})
    return out


def done_claims(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """What the progress file calls done: every break with a fixed/solution attempt (its latest such
    attempt: the code `done` recorded) and every build passed."""
    out = []
    for bid, b in sorted((summary.get("breaks") or {}).items()):
        last = next((a for a in reversed(b.get("attempts") or []) if a.get("outcome") in DONE), None)
        if last is not None:
            out.append({"kind": "break", "id": bid, "outcome": last["outcome"], "branch": last.get("branch"),
                        "commit": last.get("commit")})
    for phase, b in sorted((summary.get("builds") or {}).items()):
        if b.get("passed"):
            out.append({"kind": "build", "id": phase, "outcome": "passed", "branch": b.get("branch"),
                        "commit": b.get("commit")})
    return out
