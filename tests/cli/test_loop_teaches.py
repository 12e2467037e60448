"""The loop that teaches, in a real terminal: `done` confronts the prediction with what happened and reveals
the cause and why, `explain` shows it again (and keeps the surprise of a break not done), `reset` puts the
bug back after committing the attempt, and a break left with `abort` can be resumed."""

from __future__ import annotations

import re

import pexpect
import yaml

from kit import REPO, finish, git, lynx, spawn

NOTES = "learners/borja/phase-13/notes/breaks.md"


def words(text: str, n: int = 8) -> str:
    """The first ``n`` words of a content text as the terminal shows them (inline code without backticks)."""
    return " ".join(re.sub(r"`([^`]*)`", r"\1", text).split()[:n])


def flat(text: str) -> str:
    """Screen text with line wrapping and hanging indents undone."""
    return " ".join(re.sub(r"\x1b\[[0-9;]*m", "", text).split())


def brk(bid: str) -> dict:
    path, = REPO.glob(f"breaks/{bid}-*/break.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_done_shows_the_prediction_beside_what_happened_then_cause_why_and_the_next_step(workspace):
    p = spawn("break 13", workspace)
    p.expect("Your prediction: ")
    p.sendline("it will crash where the loss is computed")
    p.expect(r"Your option \(a-d\): ")
    p.sendline("a")
    p.expect("How sure are you")
    p.sendline("70")
    p.expect("Applied on branch")
    assert finish(p) == 0
    assert lynx("fix", "--apply", cwd=workspace).returncode == 0
    p = spawn("done", workspace)
    p.expect(r"Was your prediction right\? \[y/partly/n\]: ")
    shown = flat(p.before)
    p.sendline("partly")
    p.expect("Back on main")
    assert finish(p) == 0
    assert "Next: start the next break of phase 13: lynx break 13" in flat(p.before)
    b = brk("13-00")
    assert "it will crash where the loss is computed" in shown
    assert "You expected: (a)" in shown and "70 %" in shown and "your expectation was right" in shown
    for field in ("symptom", "cause", "why"):
        assert words(b[field]["en"]) in shown, field
    notes = flat((workspace / NOTES).read_text(encoding="utf-8"))
    for field in ("symptom", "cause", "why"):
        assert words(b[field]["en"]) in re.sub(r"[`*]", "", notes), field
    assert "Expected (a), measured (a)" in notes and "right" in notes
    assert "**Was my prediction right?** partly" in notes


def test_explain_shows_a_finished_break_and_refuses_one_not_finished(workspace):
    w = workspace
    assert lynx("break", "13", "--predict", "a shape error", cwd=w).returncode == 0
    assert lynx("fix", "--apply", cwd=w).returncode == 0
    assert lynx("done", "-c", "y", cwd=w).returncode == 0
    b = brk("13-00")
    p = spawn("explain 13-00", w)
    assert finish(p) == 0
    shown = flat(p.before)
    assert "a shape error" in shown and words(b["cause"]["en"]) in shown and words(b["why"]["en"]) in shown
    r = lynx("explain", "13-01", cwd=w)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert words(brk("13-01")["cause"]["en"], 5) not in r.stdout + r.stderr
    # without an id: the last break finished
    assert "13-00" in lynx("explain", cwd=w).stdout


def test_reset_commits_the_attempt_and_puts_the_bug_back(workspace):
    w = workspace
    assert lynx("break", "13", "02", "--predict", "x", cwd=w).returncode == 0
    target = w / "src/minimodel/nn/embedding.py"
    broken = target.read_bytes()
    target.write_text(target.read_text() + "\n# my attempt MARK-RESET\n")
    p = spawn("reset", w)
    p.expect("Reset:")
    assert finish(p) == 0
    assert target.read_bytes() == broken
    assert "MARK-RESET" in git("log", "-p", "-3", "--", "src/minimodel/nn/embedding.py", cwd=w)
    assert git("branch", "--show-current", cwd=w).strip() == "lynx/break/13-02"
    assert git("status", "--porcelain", "--", "src", cwd=w) == ""
    assert lynx("check", cwd=w).returncode == 1


def test_an_aborted_break_offers_to_resume_the_attempt(workspace):
    w = workspace
    assert lynx("break", "13", "02", "--predict", "the loss starts far too high", cwd=w).returncode == 0
    target = w / "src/minimodel/nn/embedding.py"
    target.write_text(target.read_text() + "\n# half-way MARK-RESUME\n")
    assert lynx("abort", cwd=w).returncode == 0
    assert "MARK-RESUME" not in target.read_text()
    p = spawn("break 13 02", w)
    p.expect(r"Resume it \(r\) or start afresh \(f\)\?: ")
    p.sendline("r")
    p.expect("Applied on branch lynx/break/13-02-2")
    assert finish(p) == 0
    assert "MARK-RESUME" in target.read_text()
    notes = (w / NOTES).read_text(encoding="utf-8")
    assert notes.count("the loss starts far too high") == 2 and "resumed" in notes
    assert lynx("abort", cwd=w).returncode == 0
    r = lynx("break", "13", "02", "--fresh", "--predict", "y", cwd=w)
    assert r.returncode == 0 and "MARK-RESUME" not in target.read_text()


def test_resume_of_a_break_never_started_is_refused_unchanged(workspace):
    before = git("rev-parse", "HEAD", cwd=workspace)
    r = lynx("break", "13", "01", "--resume", cwd=workspace)
    assert r.returncode == 2 and "no attempt of break 13-01" in r.stderr and len(r.stderr.splitlines()) == 1
    assert git("rev-parse", "HEAD", cwd=workspace) == before and not (workspace / ".lynx/state.json").exists()


def test_reset_and_explain_with_nothing_to_act_on(workspace):
    for args in (("reset",), ("explain",), ("explain", "99-00")):
        r = lynx(*args, cwd=workspace)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, args


def test_run_frames_the_program(workspace):
    assert lynx("break", "13", "01", "--predict", "x", cwd=workspace).returncode == 0
    r = lynx("run", cwd=workspace)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].startswith("── lynx run — break 13-01: python -m minimodel.programs.embedding_grad")
    assert "end of the program" in r.stdout and "exit status 0" in r.stdout
    assert "This run matches option (b)" in flat(r.stdout)


def test_fix_after_the_check_passes_keeps_only_hunks_that_change_behaviour(workspace):
    w = workspace
    assert lynx("break", "13", "02", "--predict", "x", cwd=w).returncode == 0
    p = spawn("fix --show-diff", w)
    p.expect("@@")
    assert finish(p) == 0
    assert lynx("fix", "--apply", cwd=w).returncode == 0
    target = w / "src/minimodel/nn/embedding.py"
    target.write_text(target.read_text().replace("import numpy as np", "import numpy as np  # my own note", 1))
    assert lynx("check", cwd=w).returncode == 0
    p = spawn("fix --show-diff", w)
    p.expect("The bug is fixed")
    p.expect("differ in nothing that changes behaviour")
    assert finish(p) == 0
    piped = lynx("fix", "--show-diff", cwd=w).stdout
    assert "my own note" in piped  # piped, the whole diff, as `git apply` takes it


def test_fix_apply_shows_what_it_changed(workspace):
    assert lynx("break", "13", "00", "--predict", "x", cwd=workspace).returncode == 0
    p = spawn("fix --apply", workspace)
    p.expect("src/minimodel/nn/lm_head.py:")
    p.expect("The fix is applied")
    assert finish(p) == 0


def test_phases_of_one_phase_version_and_lynx_alone(workspace):
    r = lynx("phases", "13", cwd=workspace)
    assert r.returncode == 0
    for item in ("13-00", "13-01", "13-02", "phase-13", "rank-collapse"):
        assert item in r.stdout
    assert re.match(r"lynx \d+\.\d+", lynx("--version").stdout)
    alone = lynx(cwd=workspace)
    assert alone.returncode == 0 and "Next:" in alone.stdout
    es = lynx("--lang", "es", "status", cwd=workspace)
    assert "Siguiente:" in es.stdout


def test_spanish_output_has_no_english_left(workspace):
    w = workspace
    assert lynx("break", "13", "--predict", "x", "--lang", "es", cwd=w).returncode == 0
    status = lynx("status", "--lang", "es", cwd=w).stdout
    assert "Ruptura activa" in status and "break activa" not in status
    abort = lynx("abort", "--lang", "es", cwd=w).stdout
    assert "Has dejado la ruptura 13-00" in abort
    p = spawn("quiz phase-13 --seed 1 --lang es", w)
    p.expect("> ")
    assert "(una sola: una respuesta)" in p.before or "(varias:" in p.before or "(libre:" in p.before
    assert "single:" not in p.before and "multi:" not in p.before
    p.sendcontrol("c")
    p.expect(pexpect.EOF)
