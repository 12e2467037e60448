"""Every state file lynx keeps, damaged in several ways: a clear one-line error naming the file and `lynx recover`,
never a traceback, never a silent reset; then `lynx recover` restores the committed version and keeps the damaged
one aside, and the learner carries on.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from kit import git, lynx
from harness import SCRATCH, tree_hash

STATE_FILES = {
    # file: (command that reads it, needs an active break)
    "learners/borja/progress.json": (["status"], False),
    "learners/borja/cards.json": (["cards", "--stats"], False),
    "learners/borja/phase-13/quiz.yaml": (["quizzes"], False),
    ".lynx/state.json": (["hint"], True),
}
DAMAGE = ["empty", "cut-30", "cut-50", "cut-90", "not-utf8"]

# Bug found here (reported): a quiz.yaml cut short (or an empty one) often still parses (no attempts, or an attempt
# with `quiz: null`), so its attempts silently vanish from `lynx quizzes`.


@pytest.fixture(scope="module")
def lived_in(_template):
    """A workspace with every state file written by the real commands and committed by lynx."""
    root = Path(tempfile.mkdtemp(prefix="lynx-state-", dir=SCRATCH)) / "course"
    shutil.copytree(_template, root, symlinks=True)
    assert lynx("cards", "-n", "3", cwd=root, input="\n3\n\n1\n\n4\n").returncode == 0
    assert lynx("quiz", "phase-13", "--json", cwd=root, input='{"q-13-01": "a", "q-13-02": "b"}').returncode == 0
    assert lynx("quiz", "phase-13", "--json", cwd=root, input='{"q-13-01": "b"}').returncode == 0
    assert lynx("break", "13", "--predict", "x", cwd=root).returncode == 0
    assert lynx("hint", cwd=root).returncode == 0
    assert lynx("abort", cwd=root).returncode == 0  # commits the learner's folder on main
    assert lynx("break", "13", "01", "--predict", "y", cwd=root).returncode == 0
    assert lynx("hint", cwd=root).returncode == 0
    assert git("status", "--porcelain", "--", "learners", cwd=root).strip() in ("", "M learners/borja/progress.json")
    yield root
    shutil.rmtree(root.parent, ignore_errors=True)


def _damage(data: bytes, how: str) -> bytes:
    if how == "empty":
        return b""
    if how == "not-utf8":
        return b"\xff\xfe" + data[:40] + b"\x80\x81"
    return data[: len(data) * int(how.split("-")[1]) // 100]


def _params():
    for rel in STATE_FILES:
        for how in DAMAGE:
            yield pytest.param(rel, how, id=f"{Path(rel).name}-{how}")


@pytest.mark.parametrize("rel,how", list(_params()))
def test_a_damaged_state_file_gives_one_clear_line(rel, how, lived_in, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(lived_in, ws, symlinks=True)
    path = ws / rel
    path.write_bytes(_damage(path.read_bytes(), how))
    before = tree_hash(ws)
    r = lynx(*STATE_FILES[rel][0], cwd=ws)
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    assert r.returncode == 2, f"{rel} {how}: exit {r.returncode}, no error (a silent reset?)\n{r.stdout[-500:]}"
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and Path(rel).name in lines[0] and "lynx recover" in lines[0], r.stderr
    assert tree_hash(ws) == before, "reading a damaged file changed the workspace"


@pytest.mark.parametrize("rel", list(STATE_FILES), ids=[Path(r).name for r in STATE_FILES])
def test_recover_restores_a_damaged_state_file_and_keeps_the_damaged_one(rel, lived_in, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(lived_in, ws, symlinks=True)
    path = ws / rel
    damaged = _damage(path.read_bytes(), "cut-50")
    path.write_bytes(damaged)
    r = lynx("recover", cwd=ws)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert any(p.read_bytes() == damaged for p in path.parent.glob(f"{path.name}.corrupt*")), \
        f"the damaged {path.name} was not kept aside: {r.stdout}"
    if not rel.startswith(".lynx"):
        committed = git("show", f"HEAD:{rel}", cwd=ws)
        assert path.read_text(encoding="utf-8") == committed, "not restored to the committed version"
    ok = lynx(*STATE_FILES[rel][0], cwd=ws)
    assert ok.returncode == 0, ok.stderr


def test_notes_with_windows_line_endings_only_grow(workspace):
    """Found by the random-use suite: a learner's CRLF notes must come back byte for byte, plus lynx's lines."""
    notes = workspace / "learners/borja/phase-13/notes/breaks.md"
    notes.parent.mkdir(parents=True, exist_ok=True)
    mine = "# My notes\r\nwritten on Windows\r\n".encode()
    notes.write_bytes(mine)
    git("add", "--", str(notes), cwd=workspace)
    git("commit", "-qm", "my notes", cwd=workspace)
    r = lynx("break", "13", "--predict", "x", cwd=workspace)
    assert r.returncode == 0, r.stderr
    assert notes.read_bytes().startswith(mine), "lynx rewrote the learner's line endings"
