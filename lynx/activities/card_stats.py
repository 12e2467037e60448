"""`lynx cards --stats` as data: what is due today and this week (and why: learning, review, or missed
elsewhere), a 14-day forecast, retention against the target, the study streak, reviews per day for the
heatmap, and the cards mastered per phase.

Only the cards asked for count (``--phase``, ``--tag``): a card removed from the course keeps its state
in cards.json but is not shown here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from lynx.activities import card_settings
from lynx.activities.scheduling import REVIEW, due_at, is_mastered
from lynx.core import clock
from lynx.core.clock import day_start, next_day, parse_or_none
from lynx.learner import cardstates
from lynx.learner.cardstates import CardStates
from lynx.learner.workspace import Workspace

if TYPE_CHECKING:
    from lynx.content.deck import Card

FORECAST_DAYS = 14
HEATMAP_WEEKS = 26  # about six months of reviews, one column a week
RECENT_DAYS = 30    # "retention over the last 30 days"


@dataclass
class CardStats:
    learner: str
    cards: int
    new: int = 0
    learning: int = 0
    review: int = 0
    mastered: int = 0
    due_today: int = 0
    due_week: int = 0
    due_week_by: dict[str, int] = field(default_factory=lambda: {"learning": 0, "review": 0, "missed": 0})
    forecast: list[dict[str, Any]] = field(default_factory=list)   # [{"date": "2026-03-02", "due": 3}, ...]
    reviews: int = 0
    reviews_today: int = 0
    retention: float | None = None          # share of recalls of graduated cards not rated Again
    retention_reviews: int = 0
    retention_30d: float | None = None
    retention_30d_reviews: int = 0
    retention_target: float = card_settings.DESIRED_RETENTION
    streak: dict[str, int] = field(default_factory=lambda: {"current": 0, "longest": 0, "days": 0})
    heatmap: dict[str, Any] = field(default_factory=dict)          # {"from", "to", "days": {date: reviews}}
    seconds: float = 0.0                                           # time spent on the logged reviews
    fitted: bool = False                                           # personal FSRS parameters in use
    phases: dict[str, dict[str, int]] = field(default_factory=dict)
    practice_due: int = 0                                          # finished breaks due for `lynx practice`
    practice_next: str | None = None                               # when the next one comes back, if none is due

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def stats(cards: list["Card"], states: CardStates, misses: dict[str, list[datetime]], at: datetime,
          target: float = card_settings.DESIRED_RETENTION, learner: str = "") -> CardStats:
    """The counts of ``lynx cards --stats`` over ``cards`` at ``at``."""
    out = CardStats(learner=learner, cards=len(cards), retention_target=target, fitted=states.fitted is not None)
    end_today = next_day(at)
    today = day_start(at)
    end_week = today + timedelta(days=7)
    per_day = [0] * FORECAST_DAYS
    per_phase: dict[str, dict[str, int]] = {}
    for c in cards:
        entry = states.cards.get(c.id)
        d = due_at(entry, misses.get(c.id, []))
        row = per_phase.setdefault(c.phase, {"cards": 0, "new": 0, "mastered": 0, "due_today": 0})
        row["cards"] += 1
        state = entry.fsrs.get("state") if entry else None
        if entry is None:
            out.new += 1
            row["new"] += 1
        elif state == REVIEW:
            out.review += 1
        else:
            out.learning += 1
        if is_mastered(entry, d):
            out.mastered += 1
            row["mastered"] += 1
        if d is None:
            continue
        if d < end_today:
            out.due_today += 1
            row["due_today"] += 1
        if d < end_week:
            out.due_week += 1
            pulled = entry is None or d < clock.parse(entry.due)
            out.due_week_by["missed" if pulled else "review" if state == REVIEW else "learning"] += 1
        day = max(0, (day_start(d) - today).days)
        if day < FORECAST_DAYS:
            per_day[day] += 1
    out.forecast = [{"date": (today + timedelta(days=i)).date().isoformat(), "due": n} for i, n in enumerate(per_day)]
    out.phases = dict(sorted(per_phase.items(), key=lambda kv: _phase_key(kv[0])))
    _from_log(out, {c.id for c in cards}, states, at)
    return out


def _from_log(out: CardStats, ids: set[str], states: CardStates, at: datetime) -> None:
    """Reviews, retention, streak, heatmap and time spent, from the review log."""
    log = [(r, t) for r in states.log if r.card in ids and (t := parse_or_none(r.at)) is not None]
    today = day_start(at).date()
    out.reviews = len(log)
    per_day: dict[date, int] = {}
    for _, t in log:
        per_day[t.date()] = per_day.get(t.date(), 0) + 1
    out.reviews_today = per_day.get(today, 0)
    out.seconds = sum(r.ms or 0 for r, _ in log) / 1000
    # Retention: of the reviews of cards that had graduated (a real recall after a gap), how many were not "Again".
    recalls = [(r, t) for r, t in log if r.before == REVIEW]
    recent = [(r, t) for r, t in recalls if t >= at - timedelta(days=RECENT_DAYS)]
    out.retention, out.retention_reviews = _share(recalls), len(recalls)
    out.retention_30d, out.retention_30d_reviews = _share(recent), len(recent)
    out.streak = streak(set(per_day), today)
    # The heatmap's weeks start on Monday; the last column is this week.
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=HEATMAP_WEEKS - 1)
    out.heatmap = {"from": first.isoformat(), "to": today.isoformat(),
                   "days": {d.isoformat(): n for d, n in sorted(per_day.items()) if first <= d <= today}}


def _share(recalls: list) -> float | None:
    return round(sum(1 for r, _ in recalls if r.rating > 1) / len(recalls), 3) if recalls else None


def streak(days: set[date], today: date) -> dict[str, int]:
    """Days in a row with at least one review, up to today (or up to yesterday while today has none yet:
    the streak is not lost before the day is over); the longest run; the days studied."""
    current = 0
    d = today if today in days else today - timedelta(days=1)
    while d in days:
        current += 1
        d -= timedelta(days=1)
    longest = run = 0
    prev: date | None = None
    for d in sorted(days):
        run = run + 1 if prev is not None and d - prev == timedelta(days=1) else 1
        longest = max(longest, run)
        prev = d
    return {"current": current, "longest": longest, "days": len(days)}


def _phase_key(p: str) -> tuple[int, int | str]:
    return (0, int(p)) if p.isdigit() else (1, p)


def learner_stats(ws: Workspace, cards: list["Card"]) -> CardStats:
    """`lynx cards --stats` for the learner of ``ws``, over ``cards``."""
    from lynx.activities.misses import missed

    conf = card_settings.settings(ws)
    from lynx.activities.scheduling import practice_due

    states = cardstates.load(ws.learner_dir)
    out = stats(cards, states, missed(ws, states), clock.now(), conf.desired_retention, ws.learner)
    due, later = practice_due(ws)
    out.practice_due = len(due)
    out.practice_next = clock.minute(later) if later is not None and not due else None
    return out

