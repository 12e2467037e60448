"""The break loop through the real CLI, in real workspaces: branches, notes, progress, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from kit import git, lynx

NOTES = Path("learners/borja/phase-13/notes/breaks.md")
LM_HEAD = "src/minimodel/nn/lm_head.py"


def no_traceback(r) -> None:
    assert "Traceback" not in r.stderr, r.stderr


def test_full_loop_with_fix_apply(workspace):
    w = workspace
    home_src = git("rev-parse", "HEAD:src", cwd=w)
    (w / "scratch.txt").write_text("my own scratch")
    r = lynx("break", "13", "--predict", "crash at cross-entropy: 512 vs 256", cwd=w)
    assert r.returncode == 0, r.stderr
    assert git("branch", "--show-current", cwd=w).strip() == "lynx/break/13-00"
    assert "crash at cross-entropy" in (w / NOTES).read_text()
    # the break commit touches only the patched files, and the prediction was committed on main first
    changed = git("show", "--name-only", "--format=", "HEAD", cwd=w).split()
    assert set(changed) <= {LM_HEAD, "src/minimodel/programs/tied_lm.py"}
    assert "crash at cross-entropy" in git("show", f"main:{NOTES}", cwd=w)

    h1, h2 = lynx("hint", cwd=w), lynx("hint", cwd=w)
    assert h1.returncode == h2.returncode == 0 and h1.stdout != h2.stdout and "1/" in h1.stdout and "2/" in h2.stdout
    run = lynx("run", cwd=w)
    assert run.returncode != 0 and "512" in run.stdout + run.stderr and "256" in run.stdout + run.stderr

    diff = lynx("fix", "--show-diff", cwd=w)
    assert diff.returncode == 0 and diff.stdout.startswith("diff --git a/")
    (w.parent / "fix.diff").write_text(diff.stdout)
    git("apply", "--check", str(w.parent / "fix.diff"), cwd=w)

    assert lynx("check", cwd=w).returncode == 1
    assert lynx("done", cwd=w).returncode == 1  # not fixed yet
    assert lynx("fix", "--apply", cwd=w).returncode == 0
    assert lynx("check", cwd=w).returncode == 0
    r = lynx("done", "--calibration", "partly", cwd=w)
    assert r.returncode == 0, r.stderr
    assert git("branch", "--show-current", cwd=w).strip() == "main"
    assert git("rev-parse", "HEAD:src", cwd=w) == home_src
    assert git("status", "--porcelain", "--", "src", "learners", cwd=w) == ""
    notes = (w / NOTES).read_text()
    assert "crash at cross-entropy" in notes and "fixed with the solution shown" in notes and "partly" in notes
    prog = json.loads((w / "learners/borja/progress.json").read_text())
    attempt = prog["breaks"]["13-00"]["attempts"][-1]
    assert attempt["outcome"] == "solution" and attempt["hints"] == 2 and attempt["calibration"] == "partly"
    assert (w / "scratch.txt").read_text() == "my own scratch"
    # the next `lynx break 13` picks the next unfinished break
    r = lynx("break", "13", "--no-predict", cwd=w)
    assert r.returncode == 0 and git("branch", "--show-current", cwd=w).strip() == "lynx/break/13-01"


def test_learner_fixes_it_by_hand_and_done_keeps_the_fix_on_the_branch(workspace):
    w = workspace
    assert lynx("break", "13-00", "--predict", "shape error", cwd=w).returncode == 0
    diff = lynx("fix", "--show-diff", cwd=w).stdout
    (w.parent / "mine.diff").write_text(diff)
    git("apply", str(w.parent / "mine.diff"), cwd=w)  # the learner edits the files (here: by the diff)
    assert lynx("check", cwd=w).returncode == 0
    r = lynx("done", "-c", "y", cwd=w)
    assert r.returncode == 0, r.stderr
    prog = json.loads((w / "learners/borja/progress.json").read_text())
    assert prog["breaks"]["13-00"]["attempts"][-1]["outcome"] == "fixed"
    # the learner's own fix is committed on the break branch, not lost
    assert "your work on break 13-00" in git("log", "--format=%s", "lynx/break/13-00", cwd=w)


def test_break_refuses_dirty_patched_file_and_changes_nothing(workspace):
    w = workspace
    f = w / LM_HEAD
    f.write_text(f.read_text() + "# my edit\n")
    before = (git("status", "--porcelain", cwd=w), git("rev-parse", "HEAD", cwd=w), f.read_text())
    r = lynx("break", "13", "--predict", "x", cwd=w)
    assert r.returncode == 2
    assert "lm_head.py" in r.stderr and ("commit" in r.stderr and "stash" in r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1
    no_traceback(r)
    assert (git("status", "--porcelain", cwd=w), git("rev-parse", "HEAD", cwd=w), f.read_text()) == before
    assert not (w / NOTES).exists()


def test_unrelated_staged_and_untracked_work_survives_break_and_abort(workspace):
    w = workspace
    (w / "mine.md").write_text("staged work")
    git("add", "mine.md", cwd=w)
    (w / "untracked.txt").write_text("untracked work")
    trainer = w / "src/minimodel/optim.py"
    trainer.write_text(trainer.read_text() + "# unrelated edit\n")
    assert lynx("break", "13", "--predict", "x", cwd=w).returncode == 0
    assert "mine.md" not in git("show", "--name-only", "--format=", "HEAD", cwd=w)
    assert "mine.md" not in git("show", "--name-only", "--format=", "HEAD~1", cwd=w)
    # the learner starts fixing, then gives up the break: the attempt is saved on the break branch
    lm = w / LM_HEAD
    lm.write_text(lm.read_text() + "# half a fix\n")
    r = lynx("abort", cwd=w)
    assert r.returncode == 0, r.stderr
    assert git("branch", "--show-current", cwd=w).strip() == "main"
    assert (w / "mine.md").read_text() == "staged work"
    assert "A  mine.md" in git("status", "--porcelain", cwd=w)
    assert (w / "untracked.txt").read_text() == "untracked work"
    assert trainer.read_text().endswith("# unrelated edit\n")
    assert "# half a fix" in git("show", f"lynx/break/13-00:{LM_HEAD}", cwd=w)
    assert "# half a fix" not in lm.read_text()
    prog = json.loads((w / "learners/borja/progress.json").read_text())
    assert prog["breaks"]["13-00"]["attempts"][-1]["outcome"] == "aborted"


def test_hints_cascade_then_points_to_the_fix(workspace):
    w = workspace
    lynx("break", "13", "--predict", "x", cwd=w)
    seen = []
    for _ in range(10):
        r = lynx("hint", cwd=w)
        assert r.returncode == 0
        if "fix --show-diff" in r.stdout and "/" not in r.stdout.split()[1]:
            break
        seen.append(r.stdout)
    assert len(seen) >= 3 and len(set(seen)) == len(seen)
    assert "lynx fix --show-diff" in seen[-1]  # the last hint says so too
    r = lynx("hint", "--all", cwd=w)
    assert r.returncode == 0 and r.stdout.count("Hint ") == len(seen)
    es = lynx("hint", "--all", "--lang", "es", cwd=w)
    assert "Pista 1/" in es.stdout


def test_active_break_survives_branch_switch_and_guards_the_wrong_branch(workspace):
    w = workspace
    lynx("break", "13", "--predict", "x", cwd=w)
    git("switch", "main", cwd=w)
    assert lynx("hint", cwd=w).returncode == 0
    st = json.loads(lynx("status", "--json", cwd=w).stdout)
    assert st["active"]["id"] == "13-00" and st["active"]["hints_taken"] == 1
    r = lynx("fix", "--apply", cwd=w)
    assert r.returncode == 2 and "git switch lynx/break/13-00" in r.stderr
    git("switch", "lynx/break/13-00", cwd=w)
    assert lynx("fix", "--apply", cwd=w).returncode == 0


def test_diverged_code_is_refused_unless_reference(workspace):
    w = workspace
    lm = w / LM_HEAD
    lm.write_text(lm.read_text().replace("class LMHead", "class LMHead  # my rewrite\n\n\nclass _Old", 1)
                  .replace("def __init__(self, embedding: Embedding) -> None:", "def __init__(self, emb: Embedding) -> None:"))
    git("commit", "-qam", "my own take on the LM head", cwd=w)
    r = lynx("break", "13-00", "--predict", "x", cwd=w)
    assert r.returncode == 2 and "--reference" in r.stderr
    no_traceback(r)
    assert git("branch", "--show-current", cwd=w).strip() == "main"
    r = lynx("break", "13-00", "--predict", "x", "--reference", cwd=w)
    assert r.returncode == 0, r.stderr
    assert lynx("check", cwd=w).returncode == 1
    assert lynx("abort", cwd=w).returncode == 0
    assert "my rewrite" in lm.read_text()  # the learner's own version is back


def test_bad_input_gives_one_line_and_exit_2(workspace, tmp_path):
    w = workspace
    cases = [
        (("break", "99", "--predict", "x"), w, "unknown phase"),
        (("break", "13", "77", "--predict", "x"), w, "no break"),
        (("hint",), w, "no break is active"),
        (("run",), w, "no break is active"),
        (("fix", "--show-diff"), w, "no break is active"),
        (("done",), w, "nothing is active"),
        (("status",), tmp_path, "not inside a lynx workspace"),
        (("break", "13"), w, "no terminal"),
        (("hint", "--lang", "fr"), w, "unknown language"),
    ]
    for args, cwd, words in cases:
        r = lynx(*args, cwd=cwd)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert words in r.stderr, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
        no_traceback(r)
    assert git("status", "--porcelain", cwd=w) == ""


def test_corrupt_state_and_detached_head(workspace):
    w = workspace
    lynx("break", "13", "--predict", "x", cwd=w)
    (w / ".lynx/state.json").write_text("{not json")
    r = lynx("hint", cwd=w)
    assert r.returncode == 2 and "state.json" in r.stderr and "lynx recover" in r.stderr
    no_traceback(r)
    (w / ".lynx/state.json").unlink()
    git("switch", "-q", "main", cwd=w)
    git("switch", "-q", "--detach", "HEAD", cwd=w)
    r = lynx("break", "13-01", "--predict", "x", cwd=w)
    assert r.returncode == 2 and "detached" in r.stderr
    no_traceback(r)


def test_phases_and_status_json(workspace):
    w = workspace
    data = json.loads(lynx("phases", "--json", cwd=w).stdout)
    ids = [p["id"] for p in data["phases"]]
    assert ids[0] == "13" and data["phases"][0]["breaks"] >= 3
    st = json.loads(lynx("status", "--json", cwd=w).stdout)
    assert st["active"] is None and "lynx break 13" in st["next"]
    table = lynx("phases", cwd=w)
    assert table.returncode == 0 and "13" in table.stdout
