"""Fixtures for phase 13: workspaces made by `lynx init`, and lynx run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A fresh workspace for learner `bea`, made by `lynx init` from this checkout."""
    root = tmp_path / "course"
    lynx(tmp_path, "init", str(root), "--learner", "bea", check=True)
    return root


@pytest.fixture(scope="session")
def lab_default() -> dict:
    """The rank-collapse lab with its default settings, run once as `python -m` would run it."""
    proc = subprocess.run([sys.executable, "-m", "minimodel.labs.rank_collapse", "--json"], cwd=REPO,
                          env=env(PYTHONPATH=str(REPO / "src")), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
