"""Flashcard scheduling: FSRS (the ``fsrs`` package, 6.x) per learner and card, and the queue built on it.

FSRS says when each card is due next, with the learner's settings (``lynx.activities.card_settings``);
what it does not have, lynx adds here: the daily limit of new cards, the queue of what is due today,
"missed elsewhere, due tomorrow" (``lynx.activities.misses``), what each rating button would do, and the
summary of a session. The counts of ``--stats`` are ``lynx.activities.card_stats``.

Importing this module is cheap (no fsrs, YAML, git or numpy): ``lynx status`` calls
:func:`cards_summary`, which reads the JSON directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Iterable

from lynx.activities import card_settings
from lynx.core import clock, lock
from lynx.core.clock import day_start, next_day, parse
from lynx.learner import cardstates
from lynx.learner.cardstates import CardState, CardStates, Review
from lynx.learner.workspace import Workspace

if TYPE_CHECKING:
    from lynx.content.deck import Card

NEW_PER_DAY = card_settings.NEW_PER_DAY  # new cards introduced per day by the spaced review (--new changes it)
MASTERED_STABILITY_DAYS = 7.0  # FSRS stability: 90% recall still expected a week after the last review
LEARNING, REVIEW, RELEARNING = 1, 2, 3  # fsrs.State values; 0 marks "new" in the log
RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}
MAX_REVIEW_MS = 60_000  # a longer answer is counted as a minute (the learner looked away), as Anki does


def new_per_day(ws: Workspace) -> int:
    """``new_cards_per_day`` under ``[workspace]`` in lynx.toml, else :data:`NEW_PER_DAY`."""
    return card_settings.settings(ws).new_per_day


def scheduler_for(ws: Workspace, states: CardStates) -> Any:
    """The learner's FSRS scheduler: lynx.toml's settings, and the parameters fitted to their log if any."""
    return card_settings.scheduler(card_settings.settings(ws), states.fitted)


def record(ws: Workspace, card_id: str, rating: int, at: datetime, ms: int | None = None) -> CardState:
    """Review one card and save at once: read, change, write under the workspace lock, so two
    sessions side by side (or a session and `lynx done`) never lose each other's ratings."""
    with lock.held(ws.state_dir):
        states = cardstates.load(ws.learner_dir)
        entry = review(states, card_id, rating, at, scheduler_for(ws, states), ms)
        cardstates.save(ws.learner_dir, states)
    return entry


def add_session(ws: Workspace, result: dict[str, Any]) -> None:
    """Keep the result of a --test or --match session (test misses bring cards back tomorrow)."""
    with lock.held(ws.state_dir):
        states = cardstates.load(ws.learner_dir)
        states.sessions.append(result)
        cardstates.save(ws.learner_dir, states)


def _fsrs_card(entry: CardState | None, at: datetime) -> Any:
    from fsrs import Card as FsrsCard

    if entry:
        return FsrsCard.from_dict({**entry.fsrs, "card_id": 0})
    return FsrsCard(card_id=0, due=at)  # an explicit id: fsrs would sleep 1 ms to invent one


def review(states: CardStates, card_id: str, rating: int, at: datetime, sched: Any = None,
           ms: int | None = None) -> CardState:
    """Apply one rating (1 Again, 2 Hard, 3 Good, 4 Easy) at ``at``, which took ``ms`` milliseconds;
    returns the card's new state. ``sched``: an FSRS scheduler (default settings when None)."""
    from fsrs import Rating

    if rating not in RATINGS:
        raise ValueError(f"rating must be 1-4, got {rating!r}")
    entry = states.cards.get(card_id)
    card = _fsrs_card(entry, at)
    before = int(card.state.value) if entry else 0
    card, _ = (sched or card_settings.scheduler()).review_card(card, Rating(rating), review_datetime=at)
    state = card.to_dict()
    state.pop("card_id", None)
    new = CardState(fsrs=state, introduced=entry.introduced if entry else clock.iso(at),
                    reps=(entry.reps if entry else 0) + 1,
                    lapses=(entry.lapses if entry else 0) + (1 if rating == 1 and before == REVIEW else 0),
                    extra=entry.extra if entry else {})
    states.cards[card_id] = new
    states.log.append(Review(card_id, rating, clock.iso(at), before, None if ms is None else min(ms, MAX_REVIEW_MS)))
    return new


def preview(entry: CardState | None, at: datetime, sched: Any = None) -> dict[int, timedelta]:
    """What each rating would do to a card answered at ``at``: ``{1: 10 minutes, 2: 1 day, ...}`` until it is due
    again (what the rating buttons show). Nothing is saved."""
    from fsrs import Rating

    sched = sched or card_settings.scheduler()
    card = _fsrs_card(entry, at)
    out = {}
    for rating in RATINGS:
        after, _ = sched.review_card(card, Rating(rating), review_datetime=at)
        out[rating] = after.due - at
    return out


@dataclass(frozen=True)
class SessionSummary:
    """How a review or learn session went: what the learner rated, how long it took, and when the next of
    these cards is due (None: none of them has been seen; ``due_now``: cards still due today)."""

    reviewed: int
    counts: dict[int, int]          # rating 1-4 -> how many
    seconds: float
    next_due: datetime | None
    due_now: int

    def to_json(self) -> dict[str, Any]:
        return {"reviewed": self.reviewed, **{RATINGS[r]: n for r, n in self.counts.items()},
                "seconds": round(self.seconds, 1), "next_due": clock.iso(self.next_due) if self.next_due else None,
                "due_now": self.due_now}


def summarize(ws: Workspace, cards: list["Card"], ratings: list[int], ms: int) -> SessionSummary:
    """The summary of a session that rated ``ratings`` over ``cards`` in ``ms`` milliseconds."""
    from lynx.activities.misses import missed

    states = cardstates.load(ws.learner_dir)
    misses = missed(ws, states)
    at = clock.now()
    end_of_day = next_day(at)
    dues = [d for c in cards if (d := due_at(states.cards.get(c.id), misses.get(c.id, []))) is not None]
    return SessionSummary(reviewed=len(ratings), counts={r: ratings.count(r) for r in RATINGS}, seconds=ms / 1000,
                          next_due=min(dues) if dues else None, due_now=sum(1 for d in dues if d < end_of_day))


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
