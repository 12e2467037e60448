"""FSRS scheduling with a fixed clock: intervals grow with Good, reset with Again; the daily new limit; misses."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from lynx.activities import card_stats
from lynx.activities import scheduling as cardmod
from lynx.content import deck
from lynx.core.clock import iso, parse
from lynx.learner import cardstates
from lynx.learner.cardstates import CardStates
from lynx.learner.workspace import Workspace

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def interval(entry, at: datetime) -> timedelta:
    return parse(entry.due) - at


def test_intervals_grow_with_good_and_reset_with_again():
    data = CardStates()
    at = T0
    # New card: Good twice walks the two learning steps (minutes), then it graduates to days.
    e = cardmod.review(data, "c-15-01", 3, at)
    assert interval(e, at) <= timedelta(minutes=10)
    at += timedelta(minutes=10)
    e = cardmod.review(data, "c-15-01", 3, at)
    assert e.fsrs["state"] == cardmod.REVIEW
    gaps = [interval(e, at)]
    for _ in range(3):  # each review exactly when due, always Good
        at = parse(e.due)
        e = cardmod.review(data, "c-15-01", 3, at)
        gaps.append(interval(e, at))
    assert gaps[0] >= timedelta(days=1)
    assert all(b > a for a, b in zip(gaps, gaps[1:])), gaps
    # Again on a card in review: back to relearning, due within minutes, and one lapse counted.
    at = parse(e.due)
    e = cardmod.review(data, "c-15-01", 1, at)
    assert e.fsrs["state"] == cardmod.RELEARNING
    assert interval(e, at) <= timedelta(minutes=10)
    assert e.lapses == 1
    # Relearned with Good: the new interval is shorter than before the lapse.
    at += timedelta(minutes=10)
    e = cardmod.review(data, "c-15-01", 3, at)
    assert e.fsrs["state"] == cardmod.REVIEW
    assert interval(e, at) < gaps[-1]
    assert [r.rating for r in data.log] == [3, 3, 3, 3, 3, 1, 3]


def test_easy_schedules_further_than_hard():
    far = {}
    for rating in (2, 4):
        data = CardStates()
        cardmod.review(data, "c", 3, T0)
        e = cardmod.review(data, "c", 3, T0 + timedelta(minutes=10))
        at = parse(e.due)
        far[rating] = interval(cardmod.review(data, "c", rating, at), at)
    assert far[4] > far[2]


def _cards(n: int) -> list[deck.Card]:
    b = {"en": "x", "es": "x"}
    return [deck.Card(id=f"c-15-{i:02d}", phase="15", tags=(), term=b, front=b, back=b, deck="d") for i in range(1, n + 1)]


def test_queue_due_first_then_new_up_to_the_daily_limit():
    cards = _cards(8)
    data = CardStates()
    due, fresh = cardmod.queue(cards, data, {}, T0, new_limit=3)
    assert due == [] and [c.id for c in fresh] == ["c-15-01", "c-15-02", "c-15-03"]
    for c in fresh[:2]:  # two introduced today: one new card left today
        cardmod.review(data, c.id, 1, T0)
    due, fresh = cardmod.queue(cards, data, {}, T0 + timedelta(hours=1), new_limit=3)
    assert [c.id for c in due] == ["c-15-01", "c-15-02"]
    assert [c.id for c in fresh] == ["c-15-03"]
    # Next day the limit starts again.
    _, fresh = cardmod.queue(cards, data, {}, T0 + timedelta(days=1), new_limit=3)
    assert len(fresh) == 3


def test_a_miss_makes_a_card_due_the_next_utc_day_until_reviewed():
    cards = _cards(2)
    data = CardStates()
    cardmod.review(data, "c-15-01", 3, T0)
    e = cardmod.review(data, "c-15-01", 4, T0 + timedelta(minutes=10))
    assert interval(e, T0) > timedelta(days=3)
    miss = T0 + timedelta(hours=2)
    misses = {"c-15-01": [miss], "c-15-02": [miss]}
    same_day, _ = cardmod.queue(cards, data, misses, miss + timedelta(minutes=5), new_limit=0)
    assert same_day == []  # not today: tomorrow
    tomorrow = datetime(2026, 3, 3, 0, 0, tzinfo=timezone.utc)
    due, _ = cardmod.queue(cards, data, misses, tomorrow, new_limit=0)
    assert [c.id for c in due] == ["c-15-01", "c-15-02"]  # the unseen card too, outside the new-card limit
    cardmod.review(data, "c-15-01", 3, tomorrow)
    due, _ = cardmod.queue(cards, data, misses, tomorrow + timedelta(hours=1), new_limit=0)
    assert [c.id for c in due] == ["c-15-02"]  # reviewed after the miss: back on its FSRS schedule


def test_stats_retention_counts_recalls_of_graduated_cards():
    cards = _cards(2)
    data = CardStates()
    for cid in ("c-15-01", "c-15-02"):
        cardmod.review(data, cid, 3, T0)
        cardmod.review(data, cid, 3, T0 + timedelta(minutes=10))
    s = card_stats.stats(cards, data, {}, T0 + timedelta(minutes=11))
    assert s.retention is None and s.due_today == 0 and s.new == 0
    later = T0 + timedelta(days=30)
    cardmod.review(data, "c-15-01", 3, later)
    cardmod.review(data, "c-15-02", 1, later)
    s = card_stats.stats(cards, data, {}, later)
    assert s.retention == 0.5 and s.retention_reviews == 2
    assert s.due_today == 1 and s.learning == 1


def test_cards_summary_reads_json_and_counts_mastered(tmp_path: Path, monkeypatch):
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(Path(__file__).resolve().parents[2] / "data" / "cards", root / "data" / "cards")
    ws = Workspace(root=root, learner="ana")
    data = cardstates.load(ws.learner_dir)
    at = T0
    cardmod.review(data, "c-13-01", 4, at)  # Easy at once: long stability
    e = cardmod.review(data, "c-13-01", 4, parse(data.cards["c-13-01"].due))
    cardmod.review(data, "c-13-02", 1, at)
    cardstates.save(ws.learner_dir, data)
    monkeypatch.setenv("LYNX_NOW", iso(at + timedelta(hours=1)))
    summary = cardmod.cards_summary(ws)
    assert e.fsrs["stability"] >= cardmod.MASTERED_STABILITY_DAYS
    total = len(deck.select(deck.load(root), phase="13"))
    assert summary["13"] == {"total": total, "mastered": 1, "due": 1}
    assert set(summary) == {"13", "14", "15", "16", "17"}
