"""Helpers for the quiz tests: run the real `lynx` command, read the recorded attempts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
QUIZ_FILE = Path("data") / "quizzes" / "phase-13-embeddings.yaml"


def lynx_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LYNX_")}
    env.update(NO_COLOR="1", COLUMNS="200", TERM="xterm", PYTHONIOENCODING="utf-8",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    env.update(extra)
    return env


def lynx(*args: str, cwd: Path, input: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the real `lynx` command in a subprocess."""
    return subprocess.run([sys.executable, "-m", "lynx", *args], cwd=cwd, input=input, text=True,
                          capture_output=True, env=lynx_env(**env), timeout=120)


def attempts(ws: Path, learner: str = "ana") -> list[dict]:
    path = ws / "learners" / learner / "phase-13" / "quiz.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["attempts"]
