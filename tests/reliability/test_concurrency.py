"""Two lynx commands at once in one workspace: the second waits briefly, then refuses naming the holder's pid.

To hold a real lynx command in the middle of its work (inside its lock), a `git` wrapper first on PATH blocks
on one chosen git sub-command while a gate file exists; everything else goes to the real git.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kit import ENV, git, lynx

REAL_GIT = shutil.which("git")
WRAPPER = """#!{python}
import os, sys, time
gate, verb = os.environ.get("LYNX_TEST_GATE", ""), os.environ.get("LYNX_TEST_GATE_VERB", "")
if gate and verb in sys.argv[1:] and os.path.exists(gate):
    open(gate + ".reached", "w").write(str(os.getppid()))
    while os.path.exists(gate):
        time.sleep(0.05)
os.execv({git!r}, [{git!r}, *sys.argv[1:]])
"""


@pytest.fixture
def gated(tmp_path):
    """(env for a paused lynx, gate file): the lynx run with that env stops at its first `git <verb>`."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "git").write_text(WRAPPER.format(python=sys.executable, git=REAL_GIT))
    (bindir / "git").chmod(0o755)
    gate = tmp_path / "gate"
    return {"PATH": f"{bindir}{os.pathsep}{ENV['PATH']}", "LYNX_TEST_GATE": str(gate)}, gate


def _start_paused(args: list[str], ws: Path, env: dict, gate: Path, verb: str) -> subprocess.Popen:
    gate.write_text("closed")
    p = subprocess.Popen([sys.executable, "-m", "lynx", *args], cwd=ws, env={**ENV, **env, "LYNX_TEST_GATE_VERB": verb},
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reached = Path(str(gate) + ".reached")
    while not reached.exists():  # waits for an event, not for a duration
        if p.poll() is not None:
            raise AssertionError(f"lynx {args} ended before reaching `git {verb}`: {p.stderr.read()}")
        time.sleep(0.05)
    return p


def _release(p: subprocess.Popen, gate: Path) -> subprocess.CompletedProcess:
    gate.unlink()
    out, err = p.communicate(timeout=120)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def test_a_second_writer_is_refused_with_the_holders_pid(workspace, gated):
    env, gate = gated
    assert lynx("break", "13", "--predict", "x", cwd=workspace).returncode == 0
    first = _start_paused(["abort"], workspace, env, gate, "switch")
    try:
        holder = int((workspace / ".lynx" / "lock").read_text())
        assert holder == first.pid
        for args in (["break", "13", "01", "--predict", "y"], ["fix", "--apply"], ["abort"], ["recover"]):
            r = lynx(*args, cwd=workspace)
            assert r.returncode == 2, (args, r.stdout, r.stderr)
            assert f"another lynx command (pid {first.pid})" in r.stderr and "Traceback" not in r.stderr
            assert len(r.stderr.strip().splitlines()) == 1
    finally:
        done = _release(first, gate)
    assert done.returncode == 0, done.stderr
    assert not (workspace / ".lynx" / "lock").exists()
    assert git("branch", "--show-current", cwd=workspace).strip() == "main"
    assert lynx("break", "13", "01", "--predict", "y", cwd=workspace).returncode == 0


def test_hint_does_not_write_while_another_command_holds_the_lock(workspace, gated):
    env, gate = gated
    assert lynx("break", "13", "--predict", "x", cwd=workspace).returncode == 0
    prog = workspace / "learners/borja/progress.json"
    state = workspace / ".lynx/state.json"
    first = _start_paused(["fix", "--apply"], workspace, env, gate, "commit")
    try:
        before = prog.read_bytes(), state.read_bytes()
        hint = lynx("hint", cwd=workspace)
        diff = lynx("fix", "--show-diff", cwd=workspace)
        during = prog.read_bytes(), state.read_bytes()
    finally:
        _release(first, gate)
    assert "Traceback" not in hint.stderr + diff.stderr
    assert during == before, "a second lynx command wrote state while the first held the lock"


def test_a_stale_lock_of_a_dead_process_is_taken_over(workspace):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (workspace / ".lynx").mkdir(exist_ok=True)
    (workspace / ".lynx" / "lock").write_text(str(dead.pid))
    r = lynx("break", "13", "--predict", "x", cwd=workspace)
    assert r.returncode == 0, r.stderr
    assert not (workspace / ".lynx" / "lock").exists()


def test_an_old_unreadable_lock_is_taken_over_and_a_fresh_one_is_respected(workspace):
    lock = workspace / ".lynx" / "lock"
    lock.parent.mkdir(exist_ok=True)
    lock.write_text("garbage")
    r = lynx("break", "13", "--predict", "x", cwd=workspace)
    assert r.returncode == 2 and "another lynx command" in r.stderr  # fresh: maybe a writer still starting
    old = time.time() - 3600
    os.utime(lock, (old, old))
    r = lynx("break", "13", "--predict", "x", cwd=workspace)
    assert r.returncode == 0, r.stderr


def test_recover_removes_a_stale_lock(workspace):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (workspace / ".lynx").mkdir(exist_ok=True)
    (workspace / ".lynx" / "lock").write_text(str(dead.pid))
    r = lynx("recover", cwd=workspace)
    assert r.returncode == 0 and not (workspace / ".lynx" / "lock").exists()
    assert json.loads(lynx("status", "--json", cwd=workspace).stdout)["active"] is None
