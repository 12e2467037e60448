"""Breaks that come back: a finished break becomes a practice item (FSRS), `lynx practice` applies it when it is
due without its title or card, `done` rates it from what happened and schedules it further (fixed clock)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from kit import git, lynx, tree_hash

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def at(dt: datetime) -> dict:
    return {"LYNX_NOW": dt.isoformat()}


def states(ws) -> dict:
    return json.loads((ws / "learners/borja/practice.json").read_text(encoding="utf-8"))


def test_nothing_to_practise_changes_nothing(workspace):
    before = tree_hash(workspace)
    r = lynx("practice", cwd=workspace)
    assert r.returncode == 0 and "Nothing to practise yet" in r.stdout
    assert tree_hash(workspace) == before


def test_a_finished_break_comes_back_without_its_card_and_is_rated_from_what_happened(workspace):
    w = workspace
    assert lynx("break", "13", "01", "--predict", "x", cwd=w, env=at(T0)).returncode == 0
    assert lynx("check", cwd=w).returncode == 1
    assert lynx("fix", "--apply", cwd=w, env=at(T0)).returncode == 0
    assert lynx("done", "-c", "y", cwd=w, env=at(T0 + timedelta(minutes=20))).returncode == 0
    first = states(w)
    assert [r["rating"] for r in first["log"]] == [1]  # the solution was shown: Again
    due = datetime.fromisoformat(first["cards"]["13-01"]["fsrs"]["due"])
    early = lynx("practice", cwd=w, env=at(due - timedelta(minutes=1)))
    assert early.returncode == 0 and "Nothing is due for practice now" in early.stdout
    status = json.loads(lynx("status", "--json", cwd=w, env=at(due + timedelta(minutes=1))).stdout)
    assert status["practice_due"] == 1
    cards = lynx("cards", "--stats", cwd=w, env=at(due + timedelta(minutes=1)))
    assert "practice: 1 finished break is due" in cards.stdout, cards.stdout
    later = json.loads(lynx("cards", "--stats", "--json", cwd=w, env=at(due - timedelta(minutes=1))).stdout)
    assert later["practice_due"] == 0 and later["practice_next"]
    r = lynx("practice", cwd=w, env=at(due + timedelta(minutes=1)))
    assert r.returncode == 0, r.stderr
    assert "Something is wrong in src/minimodel" in r.stdout
    title = "Embedding backward that forgets repeated tokens"
    assert title not in r.stdout and "13-01" not in r.stdout.replace("lynx/practice/13-01", "")
    assert git("branch", "--show-current", cwd=w).strip() == "lynx/practice/13-01"
    shown = lynx("status", cwd=w).stdout
    assert "Active practice" in shown and title not in shown
    hint = lynx("hint", cwd=w)
    assert hint.returncode == 0 and "1/4" in hint.stdout  # a practice counts its own hints
    assert lynx("check", cwd=w).returncode == 1
    # fix it by hand: the reference embedding, as the learner would after thinking it through
    from kit import REPO

    (w / "src/minimodel/nn/embedding.py").write_bytes((REPO / "src/minimodel/nn/embedding.py").read_bytes())
    assert lynx("check", cwd=w).returncode == 0
    done = lynx("done", cwd=w, env=at(due + timedelta(minutes=6)))
    assert done.returncode == 0 and "Done: practice of break 13-01" in done.stdout
    after = states(w)
    assert [r["rating"] for r in after["log"]] == [1, 2]  # with a hint: Hard
    assert datetime.fromisoformat(after["cards"]["13-01"]["fsrs"]["due"]) > due + timedelta(minutes=6)
    assert git("branch", "--show-current", cwd=w).strip() == "main"
    notes = (w / "learners/borja/phase-13/notes/breaks.md").read_text(encoding="utf-8")
    assert "practice of break 13-01" in notes and "rated hard" in notes


def test_practice_refuses_a_dirty_file_the_break_touches(workspace):
    w = workspace
    assert lynx("break", "13", "02", "--predict", "x", cwd=w, env=at(T0)).returncode == 0
    assert lynx("fix", "--apply", cwd=w).returncode == 0
    assert lynx("done", "-c", "y", cwd=w, env=at(T0)).returncode == 0
    target = w / "src/minimodel/nn/embedding.py"
    target.write_text(target.read_text() + "\n# mine\n")
    before = tree_hash(w)
    later = at(T0 + timedelta(days=30))
    r = lynx("practice", cwd=w, env=later)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "uncommitted changes" in r.stderr
    assert "13-02" not in r.stderr and tree_hash(w) == before
