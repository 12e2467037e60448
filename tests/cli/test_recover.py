"""`lynx recover` after lost or corrupt state, and after a break killed while starting."""

from __future__ import annotations

import json

from kit import git, lynx


def test_corrupt_progress_is_restored_from_git_and_kept_aside(workspace):
    w = workspace
    lynx("break", "13", "--predict", "x", cwd=w)
    lynx("abort", cwd=w)
    prog = w / "learners/borja/progress.json"
    committed = prog.read_text()
    prog.write_text('{"breaks": {"13-00": ')  # truncated by a crash
    r = lynx("status", cwd=w)
    assert r.returncode == 2 and "progress.json" in r.stderr and "lynx recover" in r.stderr
    r = lynx("recover", cwd=w)
    assert r.returncode == 0 and "restored" in r.stdout
    assert prog.read_text() == committed
    assert list(prog.parent.glob("progress.json.corrupt-*"))
    assert lynx("status", cwd=w).returncode == 0


def test_lost_state_file_is_rebuilt_from_the_branch(workspace):
    w = workspace
    lynx("break", "13", "--predict", "x", cwd=w)
    lynx("hint", cwd=w)
    (w / ".lynx/state.json").unlink()
    assert lynx("hint", cwd=w).returncode == 2
    r = lynx("recover", cwd=w)
    assert r.returncode == 0 and "rebuilt" in r.stdout, r.stdout + r.stderr
    assert lynx("hint", cwd=w).returncode == 0
    assert lynx("fix", "--apply", cwd=w).returncode == 0
    assert lynx("done", "-c", "n", cwd=w).returncode == 0
    assert git("branch", "--show-current", cwd=w).strip() == "main"


def test_interrupted_start_is_undone_without_loss(workspace):
    w = workspace
    # simulate a break killed after it switched branch but before it committed the patch
    state = {"kind": "break", "id": "13-00", "phase": "13", "title": "", "branch": "lynx/break/13-00", "home": "main",
             "base": git("rev-parse", "HEAD", cwd=w).strip(), "files": ["src/minimodel/nn/lm_head.py"],
             "reference": False, "started": "2026-01-01T00:00:00+00:00", "learner": "borja", "stage": "starting"}
    (w / ".lynx").mkdir(exist_ok=True)
    (w / ".lynx/state.json").write_text(json.dumps(state))
    git("switch", "-q", "-c", "lynx/break/13-00", cwd=w)
    lm = w / "src/minimodel/nn/lm_head.py"
    lm.write_text(lm.read_text() + "# half-applied patch\n")
    (w / "mine.txt").write_text("learner's untracked file")
    r = lynx("recover", cwd=w)
    assert r.returncode == 0 and "undid" in r.stdout, r.stdout + r.stderr
    assert git("branch", "--show-current", cwd=w).strip() == "main"
    assert "half-applied" not in lm.read_text()
    assert (w / "mine.txt").read_text() == "learner's untracked file"
    assert lynx("break", "13", "--predict", "again", cwd=w).returncode == 0


def test_recover_on_a_healthy_workspace_changes_nothing(workspace):
    r = lynx("recover", cwd=workspace)
    assert r.returncode == 0 and "nothing to repair" in r.stdout
    assert git("status", "--porcelain", cwd=workspace) == ""


def test_corrupt_cards_and_quiz_attempts_are_restored(workspace):
    w = workspace
    r = lynx("quiz", "phase-13", "--json", input='{"q-13-01": "a", "q-13-02": "a"}', cwd=w)
    assert r.returncode in (0, 1), r.stderr
    quiz = w / "learners/borja/phase-13/quiz.yaml"
    assert quiz.exists()
    # lynx commits the attempt itself (lynx submit's side of the class view): the committed file is the good one
    assert not git("status", "--porcelain", "--", "learners", cwd=w).strip()
    good = quiz.read_text()
    quiz.write_text("attempts: [ {unclosed")
    cards = w / "learners/borja/cards.json"
    cards.write_text("{\x00broken")
    r = lynx("recover", cwd=w)
    assert r.returncode == 0, r.stderr
    assert quiz.read_text() == good
    assert "quiz.yaml was corrupt: restored" in r.stdout and "cards.json was corrupt" in r.stdout
    assert list(cards.parent.glob("cards.json.corrupt-*")) and not cards.exists()
    assert lynx("cards", "--stats", "--json", cwd=w).returncode == 0
