"""Shared fixtures: real workspaces made by the real `lynx init` (helpers live in lynxtest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lynxtest import lynx


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
