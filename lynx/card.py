"""Each learner's flashcard states and the queue built from them.

Scheduling is FSRS (the ``fsrs`` package, 6.x): one FSRS card state per learner and card,
kept in ``learners/<name>/cards.json`` with a short review log. FSRS says when each card
is due next; what it does not have, lynx adds here: the daily limit of new cards, the
queue of what is due today, and "missed elsewhere, due tomorrow": a quiz question
answered wrongly, a break whose prediction the learner marked wrong (``calibration: n``)
or a card missed in ``lynx cards --test`` makes the matching cards due on the next UTC day.
Those misses are derived from the files the quiz and the break loop write, never copied.

Every datetime is UTC. ``LYNX_NOW`` (ISO 8601) fixes the clock, for tests and demos.

Importing this module is cheap (no fsrs, YAML, git or numpy): ``lynx status`` calls
:func:`cards_summary`, which reads the JSON directly.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from lynx.errors import LynxError
from lynx.store import read_json, write_json
from lynx.workspace import Workspace

if TYPE_CHECKING:
    from lynx.deck import Card

NEW_PER_DAY = 10  # new cards introduced per day by the spaced review (--new changes it)
MASTERED_STABILITY_DAYS = 7.0  # FSRS stability: 90% recall still expected a week after the last review
LEARNING, REVIEW, RELEARNING = 1, 2, 3  # fsrs.State values; 0 marks "new" in the log
RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}


# -- time ---------------------------------------------------------------------------
def now() -> datetime:
    """The current UTC time, or ``LYNX_NOW`` when set."""
    fixed = os.environ.get("LYNX_NOW")
    if fixed:
        try:
            return parse_time(fixed)
        except ValueError:
            raise LynxError(f"LYNX_NOW={fixed!r} is not an ISO 8601 datetime", "e.g. LYNX_NOW=2026-11-24T09:00:00Z") from None
    return datetime.now(timezone.utc)


def parse_time(value: str) -> datetime:
    dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat()


def day_start(dt: datetime) -> datetime:
    return dt.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def next_day(dt: datetime) -> datetime:
    """Midnight UTC after ``dt``: when a card missed at ``dt`` becomes due."""
    return day_start(dt) + timedelta(days=1)


def new_per_day(ws: Workspace) -> int:
    """``new_cards_per_day`` under ``[workspace]`` in lynx.toml, else :data:`NEW_PER_DAY`."""
    from lynx.workspace import read_config

    value = read_config(ws.root).get("new_cards_per_day", NEW_PER_DAY)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise LynxError(f"{ws.root / 'lynx.toml'}: new_cards_per_day = {value!r} is not a whole number >= 0",
                        "e.g. new_cards_per_day = 10 under [workspace]")
    return value


# -- the state file -----------------------------------------------------------------
def states_path(ws: Workspace) -> Path:
    return ws.learner_dir / "cards.json"


def load_states(ws: Workspace) -> dict[str, Any]:
    """``{"cards": {id: {"fsrs": {...}, "introduced": ISO, "reps": n, "lapses": n}}, "log": [...], "sessions": [...]}``."""
    path = states_path(ws)
    data = read_json(path, default=None)
    if data is None:
        return {"version": 1, "cards": {}, "log": [], "sessions": []}
    if not isinstance(data, dict) or not isinstance(data.get("cards", {}), dict):
        raise LynxError(f"{path} has an unexpected shape", "run `lynx recover` to restore it from git history")
    data.setdefault("version", 1)
    data.setdefault("cards", {})
    data.setdefault("log", [])
    data.setdefault("sessions", [])
    for cid, e in data["cards"].items():
        f = e.get("fsrs") if isinstance(e, dict) else None
        if not (isinstance(f, dict) and isinstance(f.get("due"), str) and isinstance(e.get("introduced"), str)):
            raise LynxError(f"{path}: card {cid} has an unexpected shape", "run `lynx recover` to restore it from git history")
    return data


def save_states(ws: Workspace, data: dict[str, Any]) -> None:
    write_json(states_path(ws), data)


def record(ws: Workspace, card_id: str, rating: int, at: datetime) -> dict[str, Any]:
    """Review one card and save at once: read, change, write under the workspace lock, so two
    sessions side by side (or a session and `lynx done`) never lose each other's ratings."""
    from lynx import lock

    with lock.held(ws.state_dir):
        data = load_states(ws)
        entry = review(data, card_id, rating, at)
        save_states(ws, data)
    return entry


def add_session(ws: Workspace, result: dict[str, Any]) -> None:
    """Keep the result of a --test or --match session (test misses bring cards back tomorrow)."""
    from lynx import lock

    with lock.held(ws.state_dir):
        data = load_states(ws)
        data["sessions"].append(result)
        save_states(ws, data)


# -- scheduling (fsrs imported only here) ---------------------------------------------
_SCHEDULER = None


def scheduler():
    """The FSRS scheduler: default parameters and learning steps, no fuzz (reviews are reproducible)."""
    global _SCHEDULER
    if _SCHEDULER is None:
        from fsrs import Scheduler

        _SCHEDULER = Scheduler(enable_fuzzing=False)
    return _SCHEDULER


def review(data: dict[str, Any], card_id: str, rating: int, at: datetime) -> dict[str, Any]:
    """Apply one rating (1 Again, 2 Hard, 3 Good, 4 Easy) at ``at``; returns the card's new entry."""
    from fsrs import Card as FsrsCard
    from fsrs import Rating

    if rating not in RATINGS:
        raise ValueError(f"rating must be 1-4, got {rating!r}")
    entry = data["cards"].get(card_id)
    if entry:
        card = FsrsCard.from_dict({**entry["fsrs"], "card_id": 0})
        before = int(card.state.value)
    else:
        card = FsrsCard(card_id=0, due=at)  # an explicit id: fsrs would sleep 1 ms to invent one
        before = 0
    card, _ = scheduler().review_card(card, Rating(rating), review_datetime=at)
    state = card.to_dict()
    state.pop("card_id", None)
    new = {
        "fsrs": state,
        "introduced": entry["introduced"] if entry else iso(at),
        "reps": (entry or {}).get("reps", 0) + 1,
        "lapses": (entry or {}).get("lapses", 0) + (1 if rating == 1 and before == REVIEW else 0),
    }
    data["cards"][card_id] = new
    data["log"].append({"card": card_id, "rating": rating, "at": iso(at), "before": before})
    return new


def interval_text(entry: dict[str, Any], at: datetime) -> str:
    """How long until the card is due again, in words a learner reads at a glance."""
    secs = (parse_time(entry["fsrs"]["due"]) - at).total_seconds()
    if secs < 3600:
        return f"{max(1, round(secs / 60))} min"
    if secs < 86400:
        return f"{round(secs / 3600)} h"
    return f"{round(secs / 86400)} d"


# -- misses elsewhere: due tomorrow ---------------------------------------------------
# Misses are read as (what, when) pairs — quiz question ids, break ids, card ids — and only
# then turned into cards, so `lynx class` can keep the pairs it read from a learner's commit.
def missed(ws: Workspace, data: dict[str, Any] | None = None) -> dict[str, list[datetime]]:
    """When each card was missed outside the spaced review: quizzes, breaks, --test."""
    from lynx.cache import cached

    cache = ws.course.cache
    quiz_wrong = [pair for path in sorted(ws.learner_dir.glob("phase-*/quiz.yaml"))
                  for pair in cached(own_cache(cache, "quiz-misses"), path, _wrong_answers_in)]
    progress = read_json(ws.learner_dir / "progress.json", default=None)
    # Only the quizzes the learner missed a question of: a big course has hundreds.
    qcards = question_cards(ws.root, cache, {qid for qid, _ in quiz_wrong}) if quiz_wrong else {}
    return combine(quiz_wrong, wrong_breaks(progress), card_test_misses(data), qcards,
                   lambda bid: list(ws.course.brk(bid).cards))


def combine(quiz_wrong: list[list], break_wrong: list[list], test_missed: list[list],
            qcards: dict[str, list[str]], bcards) -> dict[str, list[datetime]]:
    """``{card id: [when missed, ...]}`` from the three kinds of misses; ``bcards(break id)`` gives a break's cards."""
    events: dict[str, list[datetime]] = {}

    def add(cards: Iterable[str], when: Any) -> None:
        at = _time_or_none(when)
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


def _time_or_none(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_time(value)
    except ValueError:
        return None


def question_cards(root: Path, cache: Path | None, questions: Iterable[str] | None = None) -> dict[str, list[str]]:
    """``{question id: [card ids]}`` over every quiz of the course in ``root``, or only over the quizzes
    that hold ``questions`` (ids are ``q-<phase>-NN``, quiz files ``phase-<phase>[-slug].yaml``)."""
    from lynx.cache import cached

    if questions is None:
        files = sorted((root / "data" / "quizzes").glob("*.yaml"))
    else:
        from lynx.quiz import files_of

        phases = sorted({q.split("-")[1] for q in questions if q.count("-") >= 2})
        files = [p for ph in phases for p in files_of(root, f"phase-{ph}")]
    out: dict[str, list[str]] = {}
    for path in files:
        out.update(cached(own_cache(cache, "quiz-cards"), path, _cards_of_questions))
    return out


def own_cache(cache: Path | None, what: str) -> Path | None:
    """A folder of the parse cache for one kind of parse. ``lynx.cache`` keys an entry by its source file
    alone, so two different parses of one file (here the cards of a quiz's questions, in `lynx status`
    the number of its questions) must live in different folders or they read each other's results."""
    return cache / what if cache is not None else None


def _cards_of_questions(path: Path) -> dict[str, list[str]]:
    from lynx.content import load_yaml

    data = load_yaml(path)
    out = {}
    for q in (data.get("questions") if isinstance(data, dict) else None) or []:
        if isinstance(q, dict) and isinstance(q.get("id"), str) and isinstance(q.get("cards"), list):
            out[q["id"]] = [c for c in q["cards"] if isinstance(c, str)]
    return out


def _wrong_answers_in(path: Path) -> list[list]:
    from lynx.content import load_yaml

    return wrong_answers(load_yaml(path))


def wrong_answers(quiz_file: Any) -> list[list]:
    """``[[question id, when], ...]`` for every wrong answer in a learner's parsed quiz.yaml."""
    attempts = quiz_file.get("attempts") if isinstance(quiz_file, dict) else quiz_file
    out = []
    for a in attempts if isinstance(attempts, list) else []:
        if not isinstance(a, dict):
            continue
        when = a.get("ended") or a.get("started") or a.get("at")
        if isinstance(when, datetime):  # YAML may hand back datetimes for unquoted timestamps
            when = iso(when if when.tzinfo else when.replace(tzinfo=timezone.utc))
        for ans in a.get("answers") or []:
            # A question left unanswered (given: null) is not a miss: the learner stopped before it.
            if (isinstance(ans, dict) and ans.get("correct") is False and isinstance(ans.get("id"), str)
                    and not ("given" in ans and ans["given"] is None)):
                out.append([ans["id"], when if isinstance(when, str) else None])
    return out


def wrong_breaks(progress: Any) -> list[list]:
    """``[[break id, when], ...]`` for every attempt whose prediction the learner marked wrong."""
    if not isinstance(progress, dict) or not isinstance(progress.get("breaks"), dict):
        return []
    out = []
    for bid, entry in progress["breaks"].items():
        for a in (entry or {}).get("attempts", []) if isinstance(entry, dict) else []:
            if isinstance(a, dict) and a.get("calibration") == "n":
                out.append([bid, a.get("ended") or a.get("started")])
    return out


def card_test_misses(states: Any) -> list[list]:
    """``[[card id, when], ...]`` for the cards missed in ``lynx cards --test``."""
    out = []
    for s in (states or {}).get("sessions", []) if isinstance(states, dict) else []:
        if isinstance(s, dict) and s.get("mode") == "test":
            out += [[cid, s.get("at")] for cid in s.get("missed") or []]
    return out


# -- what is due ----------------------------------------------------------------------
def due_at(entry: dict[str, Any] | None, misses: list[datetime]) -> datetime | None:
    """When a card is due: its FSRS due date, pulled forward to the day after a miss it has not been reviewed since."""
    due = parse_time(entry["fsrs"]["due"]) if entry else None
    last = entry["fsrs"].get("last_review") if entry else None
    last_dt = parse_time(last) if last else None
    for t in misses:
        if last_dt is None or t > last_dt:
            d = next_day(t)
            due = d if due is None else min(due, d)
    return due


def is_mastered(entry: dict[str, Any] | None, due: datetime | None) -> bool:
    if not entry:
        return False
    f = entry["fsrs"]
    pulled = due is not None and due < parse_time(f["due"])  # missed since: not mastered any more
    return f.get("state") == REVIEW and (f.get("stability") or 0.0) >= MASTERED_STABILITY_DAYS and not pulled


def queue(cards: list["Card"], data: dict[str, Any], misses: dict[str, list[datetime]], at: datetime,
          new_limit: int = NEW_PER_DAY) -> tuple[list["Card"], list["Card"]]:
    """The spaced review's queue: (cards due today, oldest first; new cards up to the daily limit)."""
    end_of_day = next_day(at)
    due: list[tuple[datetime, int, "Card"]] = []
    fresh: list["Card"] = []
    for i, c in enumerate(cards):
        entry = data["cards"].get(c.id)
        d = due_at(entry, misses.get(c.id, []))
        if d is not None and d < end_of_day:
            due.append((d, i, c))
        elif entry is None and d is None:
            fresh.append(c)
    today = day_start(at)
    introduced = sum(1 for e in data["cards"].values() if day_start(parse_time(e["introduced"])) == today)
    return [c for _, _, c in sorted(due, key=lambda t: (t[0], t[1]))], fresh[: max(0, new_limit - introduced)]


def stats(cards: list["Card"], data: dict[str, Any], misses: dict[str, list[datetime]], at: datetime) -> dict[str, Any]:
    """Counts for ``lynx cards --stats``: due today and this week, new, learning, mastered, retention."""
    end_today = next_day(at)
    end_week = day_start(at) + timedelta(days=7)
    ids = {c.id for c in cards}
    out = {"cards": len(cards), "new": 0, "learning": 0, "review": 0, "mastered": 0, "due_today": 0, "due_week": 0}
    per_phase: dict[str, dict[str, int]] = {}
    for c in cards:
        entry = data["cards"].get(c.id)
        d = due_at(entry, misses.get(c.id, []))
        row = per_phase.setdefault(c.phase, {"cards": 0, "new": 0, "mastered": 0, "due_today": 0})
        row["cards"] += 1
        if entry is None:
            out["new"] += 1
            row["new"] += 1
        elif entry["fsrs"].get("state") == REVIEW:
            out["review"] += 1
        else:
            out["learning"] += 1
        if is_mastered(entry, d):
            out["mastered"] += 1
            row["mastered"] += 1
        if d is not None and d < end_today:
            out["due_today"] += 1
            row["due_today"] += 1
        if d is not None and d < end_week:
            out["due_week"] += 1
    # Retention: of the reviews of cards that had graduated (a real recall after a gap), how many were not "Again".
    recalls = [r for r in data.get("log", []) if r.get("card") in ids and r.get("before") == REVIEW]
    kept = sum(1 for r in recalls if r.get("rating", 1) > 1)
    out["reviews"] = sum(1 for r in data.get("log", []) if r.get("card") in ids)
    out["reviews_today"] = sum(1 for r in data.get("log", []) if r.get("card") in ids
                               and day_start(parse_time(r["at"])) == day_start(at))
    out["retention"] = round(kept / len(recalls), 3) if recalls else None
    out["retention_reviews"] = len(recalls)
    out["phases"] = dict(sorted(per_phase.items(), key=lambda kv: _phase_key(kv[0])))
    return out


def _phase_key(p: str) -> tuple[int, int | str]:
    return (0, int(p)) if p.isdigit() else (1, p)


# -- for `lynx status` ------------------------------------------------------------------
def cards_summary(ws: Workspace, phases: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
    """Per phase (every phase with cards, or only ``phases``): ``{"total", "mastered", "due"}``, where due
    means due by the end of today. JSON reads only, none per deck."""
    from lynx import deck

    at = now()
    index = deck.phase_index(ws.root, ws.course.cache)
    data = load_states(ws)
    misses = missed(ws, data)
    end_today = next_day(at)
    out: dict[str, dict[str, int]] = {}
    for phase in index if phases is None else [p for p in phases if p in index]:
        row = out.setdefault(phase, {"total": 0, "mastered": 0, "due": 0})
        for cid in index[phase]:
            entry = data["cards"].get(cid)
            due = due_at(entry, misses.get(cid, []))
            row["total"] += 1
            row["mastered"] += is_mastered(entry, due)
            row["due"] += due is not None and due < end_today
    return out
