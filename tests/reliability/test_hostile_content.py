"""Hostile or broken course content: patches that reach outside src/, ids that would become odd refs or paths,
programs that hang or try the shell, and a third-party course that must be confirmed before it runs code.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from kit import finish, git, lynx, spawn
from harness import phase13_course, tree_hash

BY = "breaks/13-00-tied-vocab/break.yaml"
BP = "breaks/13-00-tied-vocab/break.patch"
LM = "src/minimodel/nn/lm_head.py"


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory) -> Path:
    return phase13_course(tmp_path_factory.mktemp("hostile") / "course", fast=True)


@pytest.fixture
def course(course_dir, tmp_path) -> Path:
    """A private copy of the phase-13 course, to be made hostile by the test."""
    dst = tmp_path / "course"
    shutil.copytree(course_dir, dst)
    return dst


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _init(course: Path, tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    r = lynx("init", str(ws), "--learner", "borja", "--from", str(course), "--yes")
    assert r.returncode == 0, r.stderr
    return ws


HOSTILE_PATCHES = {
    "dotdot": ("+++ b/src/minimodel/nn/lm_head.py", "+++ b/src/../../../outside.py"),
    "absolute": ("+++ b/src/minimodel/nn/lm_head.py", "+++ /tmp/lynx-hostile.py"),
    "git-dir": ("--- a/src/minimodel/nn/lm_head.py\n+++ b/src/minimodel/nn/lm_head.py",
                "--- a/.git/config\n+++ b/.git/config"),
    "learner-notes": ("--- a/src/minimodel/nn/lm_head.py\n+++ b/src/minimodel/nn/lm_head.py",
                      "--- a/learners/borja/phase-13/notes/breaks.md\n+++ b/learners/borja/phase-13/notes/breaks.md"),
    "outside-src": ("--- a/src/minimodel/nn/lm_head.py\n+++ b/src/minimodel/nn/lm_head.py",
                    "--- a/lynx.toml\n+++ b/lynx.toml"),
    "symlink": ("diff --git a/src/minimodel/nn/lm_head.py b/src/minimodel/nn/lm_head.py\nindex",
                "diff --git a/src/minimodel/evil b/src/minimodel/evil\nnew file mode 120000\nindex"),
}


@pytest.mark.parametrize("kind", list(HOSTILE_PATCHES))
def test_a_patch_reaching_outside_src_is_refused_by_validate(kind, course):
    old, new = HOSTILE_PATCHES[kind]
    _edit(course / BP, old, new)
    r = lynx("validate", "--course", str(course), "--json", "-j", "1", timeout=600)
    assert r.returncode == 1, r.stdout[-2000:] + r.stderr
    assert "Traceback" not in r.stderr
    rows = json.loads(r.stdout)["rows"]
    bad = [row for row in rows if not row["ok"]]
    assert any("break.patch" in json.dumps(row) for row in bad), bad


@pytest.mark.parametrize("kind", list(HOSTILE_PATCHES))
def test_a_patch_reaching_outside_src_is_refused_at_load(kind, course, tmp_path):
    ws = _init(course, tmp_path)  # the course is fine at init; the patch turns hostile afterwards
    old, new = HOSTILE_PATCHES[kind]
    _edit(ws / BP, old, new)
    git("commit", "-qam", "a course update", cwd=ws)
    before = tree_hash(ws)
    r = lynx("break", "13", "00", "--predict", "x", cwd=ws)
    assert r.returncode == 2 and "break.patch" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert tree_hash(ws) == before
    assert not Path("/tmp/lynx-hostile.py").exists()


BAD_IDS = ["13_00", "13-00/x", "13-00 ", "-13-00", "13-00;rm", "13-ÄB", "../13-00", "13-00\nx"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_break_ids_must_match_the_strict_pattern(bad, course, tmp_path):
    _edit(course / BY, "id: 13-00", f"id: {json.dumps(bad)}")
    ws = _init(course, tmp_path)
    r = lynx("break", "13", "00", "--predict", "x", cwd=ws)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "break.yaml" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert git("branch", "--list", "lynx/*", cwd=ws).strip() == ""


@pytest.mark.parametrize("bad", ["Thirteen", "13/x", "..", "13 ", "_13"])
def test_phase_ids_must_match_the_strict_pattern(bad, course, tmp_path):
    _edit(course / "phases/13-embeddings/phase.yaml", 'id: "13"', f"id: {json.dumps(bad)}")
    ws = _init(course, tmp_path)
    r = lynx("break", "13", "--predict", "x", cwd=ws)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert git("branch", "--list", "lynx/*", cwd=ws).strip() == ""


@pytest.mark.parametrize("bad", ["Phase-13", "phase_13", "../phase-13", "phase-13/x"])
def test_quiz_ids_must_match_the_strict_pattern(bad, course, tmp_path):
    quiz = next((course / "data/quizzes").glob("phase-13-*.yaml"))
    _edit(quiz, "id: phase-13", f"id: {json.dumps(bad)}")
    ws = _init(course, tmp_path)
    before = tree_hash(ws)
    r = lynx("quiz", "phase-13", "--json", cwd=ws, input="{}")
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert tree_hash(ws) == before


def test_yaml_is_loaded_safely(course, tmp_path):
    marker = tmp_path / "pwned"
    _edit(course / BY, "id: 13-00", f"id: !!python/object/apply:os.system ['touch {marker}']")
    ws = _init(course, tmp_path)
    r = lynx("break", "13", "00", "--predict", "x", cwd=ws)
    assert r.returncode == 2 and "break.yaml" in r.stderr and "Traceback" not in r.stderr, r.stderr
    r = lynx("validate", "--course", str(course), "-j", "1", timeout=600)
    assert r.returncode in (1, 2) and "Traceback" not in r.stderr, r.stderr  # a failed row, or one line naming it
    assert "break.yaml" in r.stdout + r.stderr
    assert not marker.exists()


def _with_observe(course: Path, argv: list[str], timeout: int | None = None) -> None:
    y = course / BY
    text = re.sub(r"^observe: .*$", f"observe: {json.dumps(argv)}", y.read_text(encoding="utf-8"), flags=re.M)
    if timeout is not None:
        text = re.sub(r"^timeout: .*$", f"timeout: {timeout}", text, flags=re.M)
    y.write_text(text, encoding="utf-8")


def test_observe_runs_without_a_shell_inside_the_workspace(course, tmp_path):
    marker = tmp_path / "shell-ran"
    _with_observe(course, ["python", "-c", "import os, sys; print('cwd=' + os.getcwd()); print(sys.argv[1:])",
                           f"$(touch {marker})", f"; touch {marker}"])
    ws = _init(course, tmp_path)
    assert lynx("break", "13", "00", "--predict", "x", cwd=ws).returncode == 0
    r = lynx("run", cwd=ws / "src")  # from a sub-folder: the program still runs at the workspace root
    assert r.returncode == 0, r.stderr
    assert f"cwd={ws}" in r.stdout
    assert "$(touch" in r.stdout and not marker.exists()


def _running(pid: int) -> bool:
    """Alive and not a zombie (a killed orphan may wait for a PID 1 that does not reap, as in containers)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def test_a_hanging_observation_is_killed_with_its_children_and_reported(course, tmp_path):
    pidfile = tmp_path / "child.pid"
    prog = ("import subprocess, sys, time; "
            "c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']); "
            f"open({str(pidfile)!r}, 'w').write(str(c.pid)); time.sleep(600)")
    _with_observe(course, ["python", "-c", prog], timeout=2)
    ws = _init(course, tmp_path)
    assert lynx("break", "13", "00", "--predict", "x", cwd=ws).returncode == 0
    r = lynx("run", cwd=ws, timeout=120)
    assert r.returncode == 1, r.stderr
    assert "ran longer than 2 s" in r.stderr and "Traceback" not in r.stderr
    assert not _running(int(pidfile.read_text())), "the grandchild survived: the process group was not killed"


def test_a_hanging_check_is_killed_and_reported(course, tmp_path):
    (course / "breaks/13-00-tied-vocab/check_test.py").write_text(
        "import time\n\ndef test_hangs():\n    time.sleep(600)\n", encoding="utf-8")
    _with_observe(course, ["python", "-c", "pass"], timeout=3)
    ws = _init(course, tmp_path)
    assert lynx("break", "13", "00", "--predict", "x", cwd=ws).returncode == 0
    r = lynx("check", cwd=ws, timeout=120)
    assert r.returncode == 1 and "ran longer than 3 s" in r.stderr and "Traceback" not in r.stderr, r.stderr
    r = lynx("done", "-c", "y", cwd=ws, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert git("branch", "--show-current", cwd=ws).strip() == "lynx/break/13-00"


def test_a_third_party_course_is_shown_and_confirmed_first(course, tmp_path):
    ws = tmp_path / "ws"
    p = spawn(f"init {ws} --learner borja --from {course}", cwd=tmp_path)
    p.expect(str(course))  # the learner is shown where the code comes from
    p.expect(r"\?")
    p.sendline("n")
    assert finish(p) == 1
    assert not ws.exists() or not any(ws.iterdir())


def test_a_third_party_course_is_refused_without_a_terminal_or_yes(course, tmp_path):
    ws = tmp_path / "ws"
    r = lynx("init", str(ws), "--learner", "borja", "--from", str(course), input="y\n")
    assert r.returncode == 2 and "--yes" in r.stderr and not ws.exists()
    r = lynx("init", str(ws), "--learner", "borja", "--from", str(course), "--yes")
    assert r.returncode == 0, r.stderr
