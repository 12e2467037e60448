"""Prediction calibration: the tally over progress.json, and `lynx report` after real breaks."""

from __future__ import annotations

import importlib.util
import json

from lynx.activities import calibration
from lynx.learner.progress import Progress
from kit import git, lynx


def attempt(day: int, cal: str | None, hints: int = 0, outcome: str = "fixed", pred: str = "p") -> dict:
    return {"started": f"2026-03-{day:02d}T09:00:00Z", "ended": f"2026-03-{day:02d}T10:00:00Z", "outcome": outcome,
            "hints": hints, "prediction": pred, "calibration": cal}


PROGRESS = {"learner": "ana", "builds": {}, "breaks": {
    "13-00": {"hints": 3, "attempts": [attempt(2, "n", 3, pred="a loss near ln 512")]},
    "13-01": {"hints": 0, "attempts": [attempt(3, "y")]},
    "14-00": {"hints": 1, "attempts": [attempt(3, None, outcome="aborted"), attempt(4, "partly", 1)]},
    "15-00": {"hints": 0, "attempts": [attempt(5, "n", 0)]},
}}


def test_tally_per_phase_over_time_and_surprises():
    r = calibration.report(Progress.from_json(PROGRESS))
    assert r["overall"] == {"rated": 4, "right": 1, "partly": 1, "wrong": 2, "score": 0.375}
    assert r["phases"]["13"]["score"] == 0.5 and r["phases"]["14"]["score"] == 0.5 and r["phases"]["15"]["score"] == 0.0
    assert [t["period"] for t in r["over_time"]] == ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"]
    # Most surprising first: wrong predictions, the one that needed more hints ahead.
    assert [s["break"] for s in r["surprises"]] == ["13-00", "15-00", "14-00"]
    assert r["surprises"][0]["prediction"] == "a loss near ln 512"


def test_long_courses_are_tallied_per_week():
    prog = {"breaks": {f"13-{i:02d}": {"attempts": [{"ended": f"2026-{m:02d}-10T09:00:00Z", "calibration": "y"}]}
                       for i, m in enumerate((1, 2, 3))}}
    assert [t["period"] for t in calibration.over_time(calibration.rated(Progress.from_json(prog)))] == ["2026-W02", "2026-W07", "2026-W11"]


def test_no_ratings_yet():
    r = calibration.report(Progress.from_json({"breaks": {}}))
    assert r["overall"]["rated"] == 0 and r["overall"]["score"] is None and r["surprises"] == []


def test_report_after_real_breaks_with_plot(workspace, tmp_path):
    r = lynx("report", cwd=workspace)
    assert r.returncode == 0 and "No prediction rated yet" in r.stdout
    # Break 13-00: prediction marked wrong, solution shown.
    assert lynx("break", "13", "--predict", "the loss starts near ln 256", cwd=workspace).returncode == 0
    assert lynx("fix", "--apply", cwd=workspace).returncode == 0
    assert lynx("done", "--calibration", "n", cwd=workspace).returncode == 0
    # Break 13-01: fixed by the learner, prediction right.
    assert lynx("break", "13", "--predict", "rows of repeated tokens get too little gradient", cwd=workspace).returncode == 0
    patch = next(workspace.glob("breaks/13-01-*/break.patch"))
    git("apply", "-R", str(patch), cwd=workspace)
    r = lynx("done", "--calibration", "y", cwd=workspace)
    assert r.returncode == 0, r.stderr
    r = lynx("report", "--json", cwd=workspace)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["overall"] == {"rated": 2, "right": 1, "partly": 0, "wrong": 1, "score": 0.5}
    assert data["surprises"][0]["break"] == "13-00" and data["surprises"][0]["title"]
    assert data["surprises"][0]["prediction"] == "the loss starts near ln 256"
    r = lynx("report", "--lang", "es", cwd=workspace)
    assert r.returncode == 0, r.stderr
    assert "Lo que más te sorprendió" in r.stdout and "13-00" in r.stdout
    r = lynx("report", "--plot", str(tmp_path / "cal.png"), cwd=workspace)
    if importlib.util.find_spec("matplotlib") is None:  # the optional `plot` extra is not installed
        assert r.returncode == 2 and "pip install 'lynx-course[plot]'" in r.stderr
        assert not (tmp_path / "cal.png").exists()
    else:
        assert r.returncode == 0, r.stderr
        assert (tmp_path / "cal.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
