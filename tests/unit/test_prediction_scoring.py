"""Scored predictions: reading --expect and --confidence, scoring against the outcome, and the Brier score and
reliability bins of `lynx report`, against a hand computation."""

from __future__ import annotations

import math

import pytest

from kit import REPO
from lynx.activities import calibration
from lynx.activities.outcomes import measured, observe, proof
from lynx.activities.predictions import Expectation, parse_confidence, parse_expect, score
from lynx.content.course import Course
from lynx.core.errors import LynxError
from lynx.learner.progress import Progress

COURSE = Course(REPO, use_cache=False)


def test_expect_is_a_letter_of_an_option_or_a_number():
    options, number = COURSE.brk("13-00"), COURSE.brk("13-02")
    assert parse_expect(options, "b") == (1, None) and parse_expect(options, "3") == (2, None)
    assert parse_expect(number, "29,5") == (None, 29.5)
    for bad in ("z", "0", "9", "a,b"):
        with pytest.raises(LynxError):
            parse_expect(options, bad)
    for bad in ("many", "-3", "nan"):
        with pytest.raises(LynxError):
            parse_expect(number, bad)


def test_confidence_is_50_to_100():
    assert parse_confidence("70") == 70 and parse_confidence("85%") == 85 and parse_confidence(100) == 100
    for bad in ("49", "101", "120", "sure"):
        with pytest.raises(LynxError):
            parse_confidence(bad)


def test_scoring_an_option_and_a_number():
    o = COURSE.brk("13-00").outcome
    assert score(o, Expectation(0, None, 80)).hit and not score(o, Expectation(1, None, 80)).hit
    n = COURSE.brk("13-02").outcome
    near = score(n, Expectation(None, 30.0, 60))
    assert near.hit and near.log_error == pytest.approx(abs(math.log(30.0 / n.value)), abs=1e-4)
    far = score(n, Expectation(None, 6.24, 60))
    assert not far.hit and far.log_error > 1


def test_an_observation_reads_measures_and_tells_which_option_held():
    o = COURSE.brk("14-00").outcome
    broken = observe(0, "...\nlynx-measure erase_abs=0.992\nlynx-measure sign_flips=12\n")
    assert broken.measures == {"erase_abs": 0.992, "sign_flips": 12.0}
    assert measured(o, broken).option == 1 and proof(o, broken) is None
    fixed = observe(0, "lynx-measure erase_abs=0\nlynx-measure sign_flips=0\n")
    assert measured(o, fixed).option == 0 and "does not hold" in proof(o, fixed)
    crashed = observe(1, "Traceback ...")
    assert measured(o, crashed).option == 3


def _attempt(day: int, conf: int, hit: bool, log_error: float | None = None) -> dict:
    return {"started": f"2026-03-{day:02d}T09:00:00Z", "ended": f"2026-03-{day:02d}T10:00:00Z", "outcome": "fixed",
            "expect": "a", "confidence": conf, "measured": "a" if hit else "b", "hit": hit, "log_error": log_error}


def test_brier_and_bins_match_a_hand_computation():
    progress = Progress.from_json({"breaks": {
        "13-00": {"attempts": [_attempt(2, 90, True)]},
        "13-01": {"attempts": [_attempt(3, 90, False)]},
        "14-00": {"attempts": [_attempt(4, 60, True), _attempt(5, 100, True)]},
        "17-00": {"attempts": [_attempt(6, 75, False, log_error=1.2)]},
    }})
    sc = calibration.scored_report(progress)
    # (0.9-1)² + (0.9-0)² + (0.6-1)² + (1-1)² + (0.75-0)² = 0.01 + 0.81 + 0.16 + 0 + 0.5625 = 1.5425; / 5
    assert sc["brier"] == pytest.approx(1.5425 / 5, abs=1e-4)
    assert sc["n"] == 5 and sc["right"] == 3 and sc["log_error"] == 1.2
    bins = {b["low"]: b for b in sc["bins"]}
    assert bins[90]["n"] == 3 and bins[90]["hit_rate"] == pytest.approx(2 / 3, abs=1e-3)
    assert bins[90]["confidence"] == pytest.approx((0.9 + 0.9 + 1.0) / 3, abs=1e-3)
    assert bins[60]["n"] == 1 and bins[60]["hit_rate"] == 1.0
    assert bins[70]["n"] == 1 and bins[70]["hit_rate"] == 0.0
    assert bins[50]["n"] == 0 and bins[50]["hit_rate"] is None
    assert sc["phases"]["13"]["brier"] == pytest.approx((0.01 + 0.81) / 2, abs=1e-4)
    assert calibration.brier([]) is None


def test_every_shipped_break_has_an_outcome():
    assert all(COURSE.brk(b).outcome is not None for b in COURSE.break_ids())
