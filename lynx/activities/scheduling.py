"""Flashcard scheduling: FSRS (the ``fsrs`` package, 6.x) per learner and card, and the queue built on it.

FSRS says when each card is due next; what it does not have, lynx adds here: the daily limit of new
cards, the queue of what is due today, and "missed elsewhere, due tomorrow" (``lynx.activities.misses``).

Importing this module is cheap (no fsrs, YAML, git or numpy): ``lynx status`` calls
:func:`cards_summary`, which reads the JSON directly.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Iterable

from lynx.core import clock, lock
from lynx.core.clock import day_start, next_day, parse
from lynx.core.errors import LynxError
from lynx.learner import cardstates
from lynx.learner.cardstates import CardState, CardStates, Review
from lynx.learner.workspace import Workspace

if TYPE_CHECKING:
    from lynx.content.deck import Card

NEW_PER_DAY = 10  # new cards introduced per day by the spaced review (--new changes it)
MASTERED_STABILITY_DAYS = 7.0  # FSRS stability: 90% recall still expected a week after the last review
LEARNING, REVIEW, RELEARNING = 1, 2, 3  # fsrs.State values; 0 marks "new" in the log
RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}


def new_per_day(ws: Workspace) -> int:
    """``new_cards_per_day`` under ``[workspace]`` in lynx.toml, else :data:`NEW_PER_DAY`."""
    value = ws.config.get("new_cards_per_day", NEW_PER_DAY)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise LynxError(f"{ws.root / 'lynx.toml'}: new_cards_per_day = {value!r} is not a whole number >= 0",
                        "e.g. new_cards_per_day = 10 under [workspace]")
    return value


def record(ws: Workspace, card_id: str, rating: int, at: datetime) -> CardState:
    """Review one card and save at once: read, change, write under the workspace lock, so two
    sessions side by side (or a session and `lynx done`) never lose each other's ratings."""
    with lock.held(ws.state_dir):
        states = cardstates.load(ws.learner_dir)
        entry = review(states, card_id, rating, at)
        cardstates.save(ws.learner_dir, states)
    return entry


def add_session(ws: Workspace, result: dict[str, Any]) -> None:
    """Keep the result of a --test or --match session (test misses bring cards back tomorrow)."""
    with lock.held(ws.state_dir):
        states = cardstates.load(ws.learner_dir)
        states.sessions.append(result)
        cardstates.save(ws.learner_dir, states)


_SCHEDULER = None


def scheduler():
    """The FSRS scheduler: default parameters and learning steps, no fuzz (reviews are reproducible)."""
    global _SCHEDULER
    if _SCHEDULER is None:
        from fsrs import Scheduler

        _SCHEDULER = Scheduler(enable_fuzzing=False)
    return _SCHEDULER


def review(states: CardStates, card_id: str, rating: int, at: datetime) -> CardState:
    """Apply one rating (1 Again, 2 Hard, 3 Good, 4 Easy) at ``at``; returns the card's new state."""
    from fsrs import Card as FsrsCard
    from fsrs import Rating

    if rating not in RATINGS:
        raise ValueError(f"rating must be 1-4, got {rating!r}")
    entry = states.cards.get(card_id)
    if entry:
        card = FsrsCard.from_dict({**entry.fsrs, "card_id": 0})
        before = int(card.state.value)
    else:
        card = FsrsCard(card_id=0, due=at)  # an explicit id: fsrs would sleep 1 ms to invent one
        before = 0
    card, _ = scheduler().review_card(card, Rating(rating), review_datetime=at)
    state = card.to_dict()
    state.pop("card_id", None)
    new = CardState(fsrs=state, introduced=entry.introduced if entry else clock.iso(at),
                    reps=(entry.reps if entry else 0) + 1,
                    lapses=(entry.lapses if entry else 0) + (1 if rating == 1 and before == REVIEW else 0),
                    extra=entry.extra if entry else {})
    states.cards[card_id] = new
    states.log.append(Review(card_id, rating, clock.iso(at), before))
    return new


def interval_text(entry: CardState, at: datetime) -> str:
    """How long until the card is due again, in words a learner reads at a glance."""
    secs = (parse(entry.due) - at).total_seconds()
    if secs < 3600:
        return f"{max(1, round(secs / 60))} min"
    if secs < 86400:
        return f"{round(secs / 3600)} h"
    return f"{round(secs / 86400)} d"


# -- what is due ----------------------------------------------------------------------
def due_at(entry: CardState | None, misses: list[datetime]) -> datetime | None:
    """When a card is due: its FSRS due date, pulled forward to the day after a miss it has not been reviewed since."""
    due = parse(entry.due) if entry else None
    last = entry.last_review if entry else None
    last_dt = parse(last) if last else None
    for t in misses:
        if last_dt is None or t > last_dt:
            d = next_day(t)
            due = d if due is None else min(due, d)
    return due


def is_mastered(entry: CardState | None, due: datetime | None) -> bool:
    if not entry:
        return False
    f = entry.fsrs
    pulled = due is not None and due < parse(f["due"])  # missed since: not mastered any more
    return f.get("state") == REVIEW and (f.get("stability") or 0.0) >= MASTERED_STABILITY_DAYS and not pulled


def queue(cards: list["Card"], states: CardStates, misses: dict[str, list[datetime]], at: datetime,
          new_limit: int = NEW_PER_DAY) -> tuple[list["Card"], list["Card"]]:
    """The spaced review's queue: (cards due today, oldest first; new cards up to the daily limit)."""
    end_of_day = next_day(at)
    due: list[tuple[datetime, int, "Card"]] = []
    fresh: list["Card"] = []
    for i, c in enumerate(cards):
        entry = states.cards.get(c.id)
        d = due_at(entry, misses.get(c.id, []))
        if d is not None and d < end_of_day:
            due.append((d, i, c))
        elif entry is None and d is None:
            fresh.append(c)
    today = day_start(at)
    introduced = sum(1 for e in states.cards.values() if day_start(parse(e.introduced)) == today)
    return [c for _, _, c in sorted(due, key=lambda t: (t[0], t[1]))], fresh[: max(0, new_limit - introduced)]


def stats(cards: list["Card"], states: CardStates, misses: dict[str, list[datetime]], at: datetime) -> dict[str, Any]:
    """Counts for ``lynx cards --stats``: due today and this week, new, learning, mastered, retention."""
    end_today = next_day(at)
    end_week = day_start(at) + timedelta(days=7)
    ids = {c.id for c in cards}
    out = {"cards": len(cards), "new": 0, "learning": 0, "review": 0, "mastered": 0, "due_today": 0, "due_week": 0}
    per_phase: dict[str, dict[str, int]] = {}
    for c in cards:
        entry = states.cards.get(c.id)
        d = due_at(entry, misses.get(c.id, []))
        row = per_phase.setdefault(c.phase, {"cards": 0, "new": 0, "mastered": 0, "due_today": 0})
        row["cards"] += 1
        if entry is None:
            out["new"] += 1
            row["new"] += 1
        elif entry.fsrs.get("state") == REVIEW:
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
    recalls = [r for r in states.log if r.card in ids and r.before == REVIEW]
    kept = sum(1 for r in recalls if r.rating > 1)
    out["reviews"] = sum(1 for r in states.log if r.card in ids)
    out["reviews_today"] = sum(1 for r in states.log if r.card in ids and day_start(parse(r.at)) == day_start(at))
    out["retention"] = round(kept / len(recalls), 3) if recalls else None
    out["retention_reviews"] = len(recalls)
    out["phases"] = dict(sorted(per_phase.items(), key=lambda kv: _phase_key(kv[0])))
    return out


def _phase_key(p: str) -> tuple[int, int | str]:
    return (0, int(p)) if p.isdigit() else (1, p)


def cards_summary(ws: Workspace, phases: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
    """Per phase (every phase with cards, or only ``phases``): ``{"total", "mastered", "due"}``, where due
    means due by the end of today, for `lynx status`. JSON reads only, none per deck."""
    from lynx.activities import misses as missmod
    from lynx.content import deck

    at = clock.now()
    index = deck.phase_index(ws.root, ws.course.cache)
    states = cardstates.load(ws.learner_dir)
    misses = missmod.missed(ws, states)
    end_today = next_day(at)
    out: dict[str, dict[str, int]] = {}
    for phase in index if phases is None else [p for p in phases if p in index]:
        row = out.setdefault(phase, {"total": 0, "mastered": 0, "due": 0})
        for cid in index[phase]:
            entry = states.cards.get(cid)
            due = due_at(entry, misses.get(cid, []))
            row["total"] += 1
            row["mastered"] += is_mastered(entry, due)
            row["due"] += due is not None and due < end_today
    return out


def learner_stats(ws: Workspace, cards: list["Card"]) -> dict[str, Any]:
    """`lynx cards --stats` for the learner of ``ws``, over ``cards``."""
    from lynx.activities.misses import missed

    states = cardstates.load(ws.learner_dir)
    return {"learner": ws.learner, **stats(cards, states, missed(ws, states), clock.now())}


# -- breaks that come back (lynx practice): the same FSRS, over finished breaks ---------------------------
QUICK_MINUTES = 10  # a practice fixed without hints in less than this is rated Easy


def practice_rating(fix_applied: bool, hints: int, minutes: float) -> int:
    """From what happened: the solution shown → Again, hints taken → Hard, neither → Good (Easy when quick)."""
    if fix_applied:
        return 1
    if hints:
        return 2
    return 4 if minutes < QUICK_MINUTES else 3


def rate_practice(ws: Workspace, session, total_hints: int) -> int:
    """Schedule the break of a finished session for practice, rated from what happened; returns the rating."""
    at = clock.now()
    started = clock.parse_or_none(session.started) or at
    hints = session.hints if session.kind == "practice" else _break_hints(ws, session.id)
    rating = practice_rating(session.fix_applied, hints, (at - started).total_seconds() / 60)
    with lock.held(ws.state_dir):
        states = cardstates.load(ws.learner_dir, cardstates.PRACTICE)
        review(states, session.id, rating, at)
        cardstates.save(ws.learner_dir, states, cardstates.PRACTICE)
    return rating


def _break_hints(ws: Workspace, bid: str) -> int:
    from lynx.learner import progress

    return progress.load(ws.learner_dir, ws.learner).hints(bid)


def practice_due(ws: Workspace, at: datetime | None = None) -> tuple[list[str], datetime | None]:
    """The finished breaks due for practice now (earliest first), and when the next one is due after them."""
    at = at or clock.now()
    states = cardstates.load(ws.learner_dir, cardstates.PRACTICE)
    timed = sorted((parse(s.due), bid) for bid, s in states.cards.items())
    due = [bid for when, bid in timed if when <= at]
    later = next((when for when, _ in timed if when > at), None)
    return due, later
