"""What a learner's commit says: a JSON-able summary read from lynx's own files in it — ``lynx.toml``,
``learners/<name>/progress.json``, ``cards.json``, ``phase-NN/quiz.yaml`` — with the same readers the
learner's own lynx uses, leniently (a learner's repository is untrusted: an odd file is skipped)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from lynx.activities import calibration
from lynx.activities.misses import wrong_breaks
from lynx.core.errors import LynxError
from lynx.learner import attempts
from lynx.learner.cardstates import CardStates
from lynx.learner.progress import Progress
from lynx.learner.workspace import parse_config, valid_learner
from lynx.vcs.remote import CommitReader

SUMMARY_VERSION = 2  # bump when the summary read from a learner's commit changes shape


def read_learner(reader: CommitReader, commit: str) -> dict[str, Any]:
    """A JSON-able summary of one learner's branch, from lynx's own files only."""
    out: dict[str, Any] = {"learner": None, "committed": reader.committed_at(commit), "has_data": False}
    toml_text = reader.text(commit, "lynx.toml")
    name = None
    if toml_text:
        try:
            name = parse_config(toml_text).learner
        except LynxError:
            name = None
    dirs = reader.folders(commit, "learners")
    if name not in dirs:
        name = dirs[0] if len(dirs) == 1 else name
    out["learner"] = name if valid_learner(name) else None  # a name every file system holds, as at init
    if not out["learner"] or out["learner"] not in dirs:
        return out
    base = f"learners/{out['learner']}"
    progress = _json(reader.text(commit, f"{base}/progress.json"))
    cards = _json(reader.text(commit, f"{base}/cards.json"))
    quizzes = {}
    for entry in reader.folders(commit, base):
        if entry.startswith("phase-"):
            q = reader.text(commit, f"{base}/{entry}/quiz.yaml")
            if q:
                quizzes[entry.removeprefix("phase-")] = q
    out.update(summarize(progress, cards, quizzes))
    out["has_data"] = bool(progress or cards or quizzes)
    return out


def _json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def summarize(progress: Any, cards: Any, quizzes: dict[str, str]) -> dict[str, Any]:
    """Breaks, hints, quiz bests, calibration and card due dates from one learner's files."""
    data = Progress.from_json(progress, strict=False)
    states = CardStates.from_json(cards, strict=False)
    done = solution = hints = tried = 0
    stamps: list[tuple[str, str]] = []  # (when, phase) of every activity, to tell the current phase
    for bid, entry in data.breaks.items():
        if entry.attempts:
            tried += 1
            hints += entry.hints
        if entry.done:
            done += 1
            solution += entry.best_outcome != "fixed"
        for a in entry.attempts:
            if a.ended or a.started:
                stamps.append((a.ended or a.started, bid.split("-", 1)[0]))
    quiz = {}
    quiz_wrong = []
    for phase, text in sorted(quizzes.items()):
        tries = attempts.parse(text, f"phase-{phase}/quiz.yaml", strict=False)
        quiz_wrong += attempts.wrong_answers(tries)
        top = attempts.best(tries)
        if top:
            quiz[phase] = f"{top[0]}/{top[1]}"
        stamps += [(a.started, phase) for a in tries if a.started]
    stamps += [(b.at, phase) for phase, b in data.builds.items() if b.at]
    cal = calibration.tally(calibration.rated(data))
    due = {cid: {"due": s.due, "last_review": s.last_review} for cid, s in states.cards.items()}
    phase = max(stamps, key=lambda s: _stamp(s[0]))[1] if stamps else None
    return {"phase": phase, "breaks_done": done, "breaks_with_solution": solution, "breaks_tried": tried,
            "hints": hints, "hints_per_break": round(hints / tried, 2) if tried else None, "quiz": quiz,
            "calibration": cal["score"], "predictions_rated": cal["rated"], "cards": due,
            "missed": {"quiz": quiz_wrong, "breaks": wrong_breaks(data), "tests": states.test_misses()},
            "last_activity": max((s[0] for s in stamps), key=_stamp) if stamps else None}


def _stamp(value: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt
