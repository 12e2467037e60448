"""`lynx cards --stats` as data, with a fixed clock: the forecast, why cards are due this week, the streak,
the heatmap's days, time spent; cards.json old and new load; a removed card's state is kept, not shown."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from lynx.activities import card_stats, scheduling
from lynx.content import deck
from lynx.core.clock import iso
from lynx.learner.cardstates import CardStates

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday


def _cards(n: int) -> list[deck.Card]:
    b = {"en": "x", "es": "x"}
    return [deck.Card(id=f"c-15-{i:02d}", phase="15", tags=(), term=b, front=b, back=b, deck="d") for i in range(1, n + 1)]


def test_forecast_and_why_cards_are_due_this_week():
    cards = _cards(4)
    data = CardStates()
    scheduling.review(data, "c-15-01", 1, T0)                      # learning: due in a minute
    scheduling.review(data, "c-15-02", 4, T0)                      # Easy: in review, due in days
    miss = {"c-15-03": [T0]}                                       # never seen, missed in a quiz today
    s = card_stats.stats(cards, data, miss, T0 + timedelta(minutes=5))
    assert len(s.forecast) == card_stats.FORECAST_DAYS and s.forecast[0]["date"] == "2026-03-02"
    easy_days = (datetime.fromisoformat(data.cards["c-15-02"].due).date() - T0.date()).days
    want = [0] * 14
    want[0] += 1                # the learning card, due today
    want[1] += 1                # the missed card, due tomorrow
    want[easy_days] += 1
    assert [d["due"] for d in s.forecast] == want
    assert s.due_today == 1 and s.due_week == 2 + (easy_days < 7)
    assert s.due_week_by == {"learning": 1, "review": int(easy_days < 7), "missed": 1}
    assert s.new == 2 and s.learning == 1 and s.review == 1


def test_streak_counts_days_in_a_row_up_to_today_or_yesterday():
    d = date(2026, 3, 10)
    days = {d - timedelta(days=k) for k in (1, 2, 3, 6, 7)}
    assert card_stats.streak(days, d) == {"current": 3, "longest": 3, "days": 5}      # today not yet: not lost
    assert card_stats.streak(days | {d}, d) == {"current": 4, "longest": 4, "days": 6}
    assert card_stats.streak(days, d + timedelta(days=1))["current"] == 0
    assert card_stats.streak(set(), d) == {"current": 0, "longest": 0, "days": 0}


def test_heatmap_retention_and_time_from_the_log():
    cards = _cards(2)
    data = CardStates()
    at = T0 - timedelta(days=40)
    for day in range(3):  # three days in a row, two reviews each
        for cid in ("c-15-01", "c-15-02"):
            scheduling.review(data, cid, 3 if day < 2 else 4, at + timedelta(days=day), ms=3000)
    e = data.cards["c-15-01"]
    late = datetime.fromisoformat(e.due) + timedelta(days=1)
    scheduling.review(data, "c-15-01", 1, late, ms=5000)     # a lapse of a graduated card
    s = card_stats.stats(cards, data, {}, late, target=0.85, learner="ana")
    assert s.heatmap["to"] == late.date().isoformat()
    first = date.fromisoformat(s.heatmap["from"])
    assert first.weekday() == 0 and (late.date() - first).days < card_stats.HEATMAP_WEEKS * 7
    assert sum(s.heatmap["days"].values()) == 7 and s.heatmap["days"][(at + timedelta(days=1)).date().isoformat()] == 2
    assert s.streak["longest"] == 3 and s.streak["days"] == 4
    assert s.seconds == 6 * 3 + 5
    assert s.retention_target == 0.85
    assert s.retention_reviews >= 1 and s.retention is not None and s.retention < 1
    assert json.loads(json.dumps(s.to_json()))["streak"] == s.streak


def test_a_removed_card_keeps_its_state_but_is_not_shown():
    cards = _cards(3)
    data = CardStates()
    for c in cards:
        scheduling.review(data, c.id, 3, T0)
    kept = cards[:2]  # the author removed c-15-03 from the deck
    s = card_stats.stats(kept, data, {}, T0)
    assert s.cards == 2 and s.reviews == 2 and s.learning == 2
    assert "c-15-03" in data.cards and "c-15-03" in json.dumps(data.to_json())


def test_old_cards_json_loads_and_unknown_keys_are_kept():
    old = {"version": 1, "cards": {"c-13-01": {"fsrs": {"due": iso(T0), "state": 1, "step": 0, "stability": 1.0,
                                                        "difficulty": 5.0, "last_review": iso(T0)},
                                               "introduced": iso(T0), "reps": 1, "lapses": 0, "pinned": True}},
           "log": [{"card": "c-13-01", "rating": 3, "at": iso(T0), "before": 0, "device": "phone"}],
           "sessions": [], "theme": "dark"}
    data = CardStates.from_json(old)
    assert data.log[0].ms is None and data.fitted is None
    back = data.to_json()
    assert back["theme"] == "dark" and back["cards"]["c-13-01"]["pinned"] is True
    assert back["log"][0] == old["log"][0]  # no "ms" invented for an old review
    assert "fitted" not in back
    data.fitted = __import__("lynx.learner.cardstates", fromlist=["Fitted"]).Fitted([0.1] * 21, iso(T0), 600)
    again = CardStates.from_json(json.loads(json.dumps(data.to_json())))
    assert again.fitted.parameters == [0.1] * 21 and again.fitted.reviews == 600
