"""Fixtures for phase 13: workspaces made by `lynx init`, and the rank-collapse lab run once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from phase13kit import REPO, env, lynx


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
