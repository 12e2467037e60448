"""Helpers for the phase-13 tests: lynx and git run as real subprocesses.

A module of its own, not conftest.py: several test folders have a conftest, and `from conftest import`
finds whichever comes first on the path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LYNX = [sys.executable, "-m", "lynx"]


def env(**extra: str) -> dict[str, str]:
    e = dict(os.environ)
    for k in ("LYNX_WORKSPACE", "LYNX_LEARNER", "LYNX_LANG"):
        e.pop(k, None)
    e.update({"NO_COLOR": "1", "COLUMNS": "120", "OPENBLAS_NUM_THREADS": "1", "PAGER": "cat",
              "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
              "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})
    e.update(extra)
    return e


def lynx(cwd: Path, *args: str, stdin: str | None = None, check: bool = False) -> subprocess.CompletedProcess:
    proc = subprocess.run([*LYNX, *args], cwd=cwd, env=env(), input=stdin, capture_output=True, text=True,
                          stdin=None if stdin is not None else subprocess.DEVNULL, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"lynx {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env(), capture_output=True, text=True, check=True).stdout
