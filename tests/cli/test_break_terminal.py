"""The whole break loop driven in a real pseudo-terminal, as a learner types it."""

from __future__ import annotations

from pathlib import Path

import pexpect
import pytest

from kit import finish, git, spawn

NOTES = Path("learners/borja/phase-13/notes/breaks.md")


def test_learner_drives_the_loop_in_a_terminal(workspace):
    w = workspace
    p = spawn("break 13", w)
    p.expect("Break 13-00")
    p.expect("Your prediction: ")
    p.sendline("")  # an empty prediction is re-asked
    p.expect("empty prediction")
    p.expect("Your prediction: ")
    p.sendline("the loss crashes: logits have 512 classes, targets 256")
    p.expect(r"Your option \(a-d\): ")
    p.sendline("e")  # not an option: asked again
    p.expect("not an option")
    p.sendline("a")
    p.expect("How sure are you")
    p.sendline("80")
    p.expect("Applied on branch")
    assert finish(p) == 0
    assert "logits have 512 classes" in (w / NOTES).read_text()

    p = spawn("hint", w)
    p.expect(r"Hint 1/\d")
    assert finish(p) == 0

    p = spawn("run", w)
    p.expect("ValueError")
    assert finish(p) != 0  # the crash is the observation

    p = spawn("fix --show-diff --step", w)
    p.expect("hunk 1/")
    idx = p.expect(["Enter for the next hunk", pexpect.EOF])
    if idx == 0:
        p.sendline("")
        p.expect("hunk 2/")
        p.sendline("q")
    p.expect(pexpect.EOF)

    p = spawn("check", w)
    p.expect("check fails")
    assert finish(p) == 1

    p = spawn("fix --apply", w)
    p.expect("fix is applied")
    assert finish(p) == 0

    p = spawn("done", w)
    p.expect(r"Was your prediction right\? \[y/partly/n\]: ")
    p.sendline("maybe")  # not an answer: asked again
    p.expect(r"\[y/partly/n\]: ")
    p.sendline("y")
    p.expect("Back on main")
    assert finish(p) == 0
    assert git("branch", "--show-current", cwd=w).strip() == "main"
    notes = (w / NOTES).read_text()
    assert "fixed with the solution shown" in notes and "prediction right?** yes" in notes


def test_prediction_in_editor(workspace, tmp_path):
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "It will crash\\nat the loss, 512 vs 256\\n" >> "$1"\n')
    editor.chmod(0o755)
    p = spawn("break 13 --edit --expect a --confidence 90", workspace, env={"EDITOR": str(editor)})
    p.expect("Applied on branch")
    assert finish(p) == 0
    notes = (workspace / NOTES).read_text()
    assert "> It will crash" in notes and "> at the loss, 512 vs 256" in notes


def test_ctrl_c_at_the_prediction_changes_nothing(workspace):
    before = git("status", "--porcelain", cwd=workspace), git("rev-parse", "HEAD", cwd=workspace)
    p = spawn("break 13", workspace)
    p.expect("Your prediction: ")
    p.sendintr()
    p.expect(pexpect.EOF)
    p.close()
    assert p.exitstatus == 1 and "Traceback" not in p.before
    assert (git("status", "--porcelain", cwd=workspace), git("rev-parse", "HEAD", cwd=workspace)) == before
    assert git("branch", "--show-current", cwd=workspace).strip() == "main"


@pytest.mark.parametrize("lang,word", [("es", "Tu predicción")])
def test_spanish_prompt(workspace, lang, word):
    p = spawn(f"break 13 --lang {lang}", workspace)
    p.expect(word)
    p.sendline("falla en la pérdida")
    p.expect(r"\(a-d\): ")
    p.sendline("a")
    p.expect("50-100")
    p.sendline("70")
    p.expect("Aplicado en la rama")
    assert finish(p) == 0
