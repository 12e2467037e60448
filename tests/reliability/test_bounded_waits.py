"""Bounded waits (issue 18, class 4): a git that hangs is killed at its timeout, a remote that accepts a
connection and never answers is given up, and no code in lynx starts a process any other way.

The hanging git is a real program (a `git` on PATH that sleeps for `status`, the real git otherwise); the
silent remote a real TCP socket on 127.0.0.1 that never writes. lynx's own functions run with small limits
(seconds, not the 600 s / 300 s defaults) so the suite stays quick; the defaults go through the same code.
"""

from __future__ import annotations

import ast
import os
import shutil
import socket
import time
from pathlib import Path

import pytest

from kit import REPO, git

HANG = """#!/bin/sh
for a in "$@"; do [ "$a" = status ] && exec sleep 60; done
exec {git} "$@"
"""


def test_a_git_that_hangs_is_killed_at_its_timeout(tmp_path, monkeypatch):
    from lynx.vcs import git as gitrun

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "git").write_text(HANG.format(git=shutil.which("git")))
    (bin_dir / "git").chmod(0o755)
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    start = time.monotonic()
    result = gitrun.run(["status"], repo, timeout=1.5)
    took = time.monotonic() - start
    assert result.status == 124 and "timed out after 1.5 s" in result.err, result
    assert took < 20, f"git was waited on for {took:.1f} s"
    assert gitrun.run(["rev-parse", "--git-dir"], repo, timeout=5).status == 0  # the wrapper passes the rest on


def test_a_remote_that_never_answers_is_given_up():
    from lynx.vcs import remote

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)  # the connection is accepted by the kernel; nothing is ever written back
        port = server.getsockname()[1]
        start = time.monotonic()
        with pytest.raises(remote.Unreachable) as caught:
            remote.ls_remote(f"git://127.0.0.1:{port}/class.git", timeout=2)
        took = time.monotonic() - start
    assert "timed out" in str(caught.value)
    assert took < 20, f"the remote was waited on for {took:.1f} s"


def _calls(path: Path) -> list[tuple[str, list[str]]]:
    """(name of each subprocess.* / .wait / .communicate call, its keyword names) in one module."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = node.func.attr
            if isinstance(owner, ast.Name) and owner.id == "subprocess" or name in ("wait", "communicate", "execute"):
                # a positional argument of wait()/communicate() is their timeout
                out.append((name, [k.arg for k in node.keywords] + (["timeout"] if node.args and name in
                                                                      ("wait", "communicate") else [])))
    return out


def test_every_process_lynx_starts_is_waited_on_with_a_limit():
    """Processes start in few places — lynx/core/process.py (programs of the course, each with a timeout and its
    process group killed), lynx/core/warm.py where present (the warm helper that forks them, with the same
    timeouts), lynx/vcs/git.py (git, `kill_after_timeout` always) — plus the learner's editor, which is waited
    on without a limit on purpose: the learner is typing."""
    starts: dict[str, list[tuple[str, list[str]]]] = {}
    for path in sorted((REPO / "lynx").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if rel != "lynx/vcs/git.py" and "subprocess" not in path.read_text(encoding="utf-8"):
            continue  # no process started here (an Event's wait(), sqlite's execute() are no processes)
        calls = [c for c in _calls(path) if c[0] in ("Popen", "run", "call", "check_call", "check_output",
                                                     "wait", "communicate", "execute")]
        if calls:
            starts[path.relative_to(REPO).as_posix()] = calls
    assert set(starts) <= {"lynx/core/process.py", "lynx/core/warm.py", "lynx/vcs/git.py", "lynx/term/prompts.py"}, \
        starts
    if "lynx/core/warm.py" in starts:  # the warm helper: waited on with a limit, its children with their timeout
        waits = [k for n, k in starts["lynx/core/warm.py"] if n in ("wait", "communicate")]
        assert waits and all("timeout" in k for k in waits), starts["lynx/core/warm.py"]
    for name, keywords in starts.get("lynx/core/process.py", []):
        if name in ("communicate",) or name == "wait" and keywords:
            assert "timeout" in keywords, (name, keywords)
    waits = [k for n, k in starts.get("lynx/core/process.py", []) if n in ("wait", "communicate")]
    assert sum("timeout" in k for k in waits) >= 2, waits  # each of run() and stream() waits with its limit
    assert [k for n, k in starts["lynx/vcs/git.py"] if n == "execute"] and \
        all("kill_after_timeout" in k for n, k in starts["lynx/vcs/git.py"] if n == "execute")
    assert [n for n, _ in starts.get("lynx/term/prompts.py", [])] == ["call"]  # the editor
