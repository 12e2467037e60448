"""Phase 13 in a real terminal (pexpect): read a page through the pager, run the lab with its progress bar,
take the build challenge from stub to done, answering the questions at the prompt."""

from __future__ import annotations

import io
import shutil
import sys

import pexpect
import pytest

from kit import REPO, env, git

TIMEOUT = 120


def spawn(ws, *args: str, **extra: str) -> pexpect.spawn:
    # A pseudo-terminal has a terminal type, as an emulator sets it: without TERM (CI), less stops to warn.
    extra = {"TERM": "xterm", **extra}
    return pexpect.spawn(sys.executable, ["-m", "lynx", *args], cwd=str(ws), env=env(**extra), encoding="utf-8",
                         timeout=TIMEOUT, dimensions=(24, 100))


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


@pytest.mark.skipif(shutil.which("less") is None, reason="needs less as the pager")
def test_learn_pages_a_long_page(ws):
    child = spawn(ws, "learn", "13", "04", PAGER="less")
    seen = io.StringIO()
    child.logfile_read = seen
    child.expect("Rank collapse of a token-embedding table")
    child.expect(r"\(END\)|:|lines \d+")  # less's prompt: it waits after the first screen
    child.send("q")
    assert finish(child) == 0
    # Quitting at the first screen: the reference list at the bottom of the page was never shown.
    assert "Provilkov" not in seen.getvalue()


def test_learn_lists_and_shows_in_spanish(ws):
    child = spawn(ws, "learn", "13")
    child.expect("Rank collapse")
    assert finish(child) == 0
    child = spawn(ws, "learn", "13", "01", "--lang", "es", "--no-pager")
    child.expect("Un embedding es una búsqueda en tabla")
    child.expect("Para recordar")
    assert finish(child) == 0


def test_lab_with_a_small_setting(ws):
    child = spawn(ws, "lab", "13", "rank-collapse", "--epochs", "1")
    child.expect("training CBOW")  # the Rich progress bar, on the terminal
    child.expect(r"at init\s+123\.7")
    child.expect("after training, weight decay 0.1")
    assert finish(child) == 0


def test_build_from_stub_to_done(ws):
    child = spawn(ws, "build", "13")
    child.expect("Objective")
    child.expect("lynx/build/13")
    assert finish(child) == 0
    assert git("branch", "--show-current", cwd=ws).strip() == "lynx/build/13"

    child = spawn(ws, "build", "13", "--check")
    child.expect("✗ lookup matches fixture")
    child.expect("19 of 19 tests failed")
    assert finish(child) == 1

    shutil.copyfile(REPO / "src/minimodel/nn/embedding.py", ws / "src/minimodel/nn/embedding.py")
    child = spawn(ws, "build", "13", "--check")
    child.expect("all 19 tests pass")
    child.expect("Question 1 of 3")
    child.expect(r"Your answer \(a-c or 1-3\) > ")
    child.sendline("z")  # not an option: asked again
    child.expect("try again")
    child.sendline("a")
    child.expect("Right")
    child.expect("Question 2 of 3")
    child.expect("a few words > ")
    child.sendline("each repeat adds: they sum, np.add.at")
    child.expect("Right")
    child.expect("Question 3 of 3")
    child.expect("> ")
    child.sendline("a,b")
    child.expect("Wrong")
    child.expect("lynx done")
    assert finish(child) == 0

    child = spawn(ws, "done")
    child.expect("Back on main")
    assert finish(child) == 0
    notes = (ws / "learners/borja/phase-13/notes/build.md").read_text(encoding="utf-8")
    assert "each repeat adds: they sum, np.add.at" in notes and "(to review)" in notes
    assert git("branch", "--show-current", cwd=ws).strip() == "main"
