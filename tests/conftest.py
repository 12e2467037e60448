"""Shared fixtures: real workspaces made by the real `lynx init`, once per test session and learner, copied
for each test (init itself is tested by tests/cli/test_init.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest
import yaml

from kit import QUIZ_FILE, REPO, lynx


@pytest.fixture(scope="session")
def template_for(tmp_path_factory) -> Callable[[str], Path]:
    """``template_for("borja")``: a workspace made by `lynx init` for that learner, made once per session."""
    made: dict[str, Path] = {}

    def make(learner: str = "borja") -> Path:
        if learner not in made:
            root = tmp_path_factory.mktemp(f"template-{learner}") / "course"
            lynx("init", str(root), "--learner", learner, check=True)
            made[learner] = root
        return made[learner]

    return make


@pytest.fixture(scope="session")
def _template(template_for) -> Path:
    return template_for("borja")


@pytest.fixture
def workspace(_template, tmp_path) -> Path:
    """A fresh copy of learner borja's workspace (copying is faster than a new `lynx init` per test)."""
    dest = tmp_path / "course"
    shutil.copytree(_template, dest, symlinks=True)
    return dest


@pytest.fixture
def ws(workspace) -> Path:
    return workspace


@pytest.fixture(scope="session")
def canonical() -> dict:
    """The canonical phase-13 quiz, read as plain YAML (not through lynx)."""
    return yaml.safe_load((REPO / QUIZ_FILE).read_text(encoding="utf-8"))


def pytest_collection_modifyitems(config, items):
    """The slow tests first: with several workers (pytest-xdist) they start at once and the quick ones fill in
    around them, instead of one long test starting last and the others waiting for it."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="module")
def git_daemon(tmp_path_factory):
    """A real `git daemon` on 127.0.0.1 serving the bare repositories under its folder, started for the module
    and stopped after it: ``(folder, "git://127.0.0.1:PORT")``."""
    import socket
    import subprocess
    import time

    from kit import ENV, free_port

    base = tmp_path_factory.mktemp("served")
    port = free_port()
    proc = subprocess.Popen(["git", "daemon", "--reuseaddr", "--export-all", f"--base-path={base}",
                             "--listen=127.0.0.1", f"--port={port}", "--informative-errors", str(base)],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("git daemon did not start")
    yield base, f"git://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
