"""Shared fixtures: real workspaces made by the real `lynx init`, real git, real subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ENV = {
    **os.environ,
    "NO_COLOR": "1",
    "COLUMNS": "120",
    "GIT_AUTHOR_NAME": "test learner", "GIT_AUTHOR_EMAIL": "learner@example.org",
    "GIT_COMMITTER_NAME": "test learner", "GIT_COMMITTER_EMAIL": "learner@example.org",
}
ENV.pop("LYNX_LANG", None)
ENV.pop("LYNX_WORKSPACE", None)


def lynx(*args: str, cwd: Path | None = None, input: str | None = None, env: dict | None = None,
         timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess, as a learner's shell would."""
    return subprocess.run([sys.executable, "-m", "lynx", *args], cwd=cwd, input=input, capture_output=True,
                          text=True, env={**ENV, **(env or {})}, timeout=timeout)


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=ENV).stdout


@pytest.fixture(scope="session")
def _template(tmp_path_factory) -> Path:
    """One `lynx init` per test session, copied for each test (init itself is tested separately)."""
    root = tmp_path_factory.mktemp("template") / "course"
    r = lynx("init", str(root), "--learner", "borja")
    assert r.returncode == 0, r.stderr
    return root


@pytest.fixture
def workspace(_template, tmp_path) -> Path:
    import shutil

    dest = tmp_path / "course"
    shutil.copytree(_template, dest, symlinks=True)
    return dest
