"""Asking the learner: one line at a prompt, a long text in $EDITOR, a yes/no question."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from lynx.core.errors import LynxError


def ask_line(label: str, empty_hint: str) -> str:
    """One line from the terminal, re-asked while empty (``empty_hint`` says why)."""
    while True:
        sys.stdout.write(f"{label}: ")
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        if line.strip():
            return line.strip()
        sys.stdout.write(f"  {empty_hint}\n")


def from_editor(template: str) -> str:
    """Open $VISUAL / $EDITOR on a temporary file and return what the learner wrote (lines starting with # dropped)."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ("notepad" if os.name == "nt" else "vi")
    fd, tmp = tempfile.mkstemp(prefix="lynx-prediction-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(template)
        try:
            status = subprocess.call([*shlex.split(editor), tmp])
        except FileNotFoundError:
            raise LynxError(f"editor {editor!r} not found", "set $EDITOR to an installed editor, or use --predict TEXT") from None
        if status != 0:
            raise LynxError(f"editor {editor!r} exited with status {status}", "nothing was changed; try again")
        text = Path(tmp).read_text(encoding="utf-8")
    finally:
        os.unlink(tmp)
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    return "\n".join(lines).strip()


def confirm(question: str) -> bool:
    import typer

    return typer.confirm(question, default=False)
