"""Fixtures of the content tests: a lab run once per session, as `python -m` would run it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kit import REPO, env


@pytest.fixture(scope="session")
def lab_default() -> dict:
    """The rank-collapse lab with its default settings."""
    proc = subprocess.run([sys.executable, "-m", "minimodel.labs.rank_collapse", "--json"], cwd=REPO,
                          env=env(PYTHONPATH=str(REPO / "src")), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)
