"""Fixtures for the quiz tests: a real workspace made by `lynx init`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from quizhelp import QUIZ_FILE, REPO, lynx


@pytest.fixture(scope="session")
def template_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template") / "course"
    r = lynx("init", str(root), "--learner", "ana", cwd=root.parent)
    assert r.returncode == 0, r.stderr
    assert (root / QUIZ_FILE).is_file()
    return root


@pytest.fixture
def ws(template_ws: Path, tmp_path: Path) -> Path:
    """A fresh copy of a workspace made by `lynx init` (copying is faster than a new init per test)."""
    dest = tmp_path / "course"
    shutil.copytree(template_ws, dest, symlinks=True)
    return dest


@pytest.fixture(scope="session")
def canonical() -> dict:
    """The canonical phase-13 quiz, read as plain YAML (not through lynx)."""
    return yaml.safe_load((REPO / QUIZ_FILE).read_text(encoding="utf-8"))

