"""Predictions and outcomes in the learner's notes (`learners/<name>/phase-NN/notes/breaks.md`).

Notes are only ever appended to: a learner's words are never rewritten.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from lynx.errors import LynxError
from lynx.store import append_text
from lynx.workspace import Workspace


def notes_path(ws: Workspace, phase: str) -> Path:
    return ws.phase_dir(phase) / "notes" / "breaks.md"


def stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def write_prediction(ws: Workspace, phase: str, bid: str, title: str, prediction: str | None) -> Path:
    path = notes_path(ws, phase)
    header = "" if path.exists() else f"# Break notes — phase {phase}\n\n"
    body = prediction.strip() if prediction else "_(no prediction written)_"
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
    append_text(path, f"{header}## {stamp()} — break {bid}: {title}\n\n**Prediction:**\n\n{quoted}\n\n")
    return path


OUTCOME_TEXT = {
    "fixed": "fixed it myself",
    "solution": "fixed with the solution shown",
    "aborted": "left without finishing (aborted)",
}


def write_outcome(ws: Workspace, phase: str, bid: str, outcome: str, hints: int, total_hints: int,
                  calibration: str | None, diff_shown: bool) -> None:
    lines = [f"**Outcome ({stamp()}, break {bid}):** {OUTCOME_TEXT.get(outcome, outcome)}; "
             f"hints used: {hints}/{total_hints}" + ("; fix diff viewed" if diff_shown else "") + "."]
    if calibration:
        lines.append(f"**Was my prediction right?** {CALIBRATION_TEXT[calibration]}")
    # Not strict: closing a break must not stop half-way over the notes' encoding; notes only grow.
    append_text(notes_path(ws, phase), "\n\n".join(lines) + "\n\n", strict=False)


CALIBRATION_TEXT = {"y": "yes", "partly": "partly", "n": "no"}


def normalise_calibration(answer: str) -> str | None:
    a = answer.strip().lower()
    if a in ("y", "yes", "s", "si", "sí", "right"):
        return "y"
    if a in ("p", "partly", "partially", "parcialmente", "part"):
        return "partly"
    if a in ("n", "no", "wrong"):
        return "n"
    return None


def from_editor(template: str) -> str:
    """Open $VISUAL / $EDITOR on a temporary file and return what the learner wrote."""
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


def ask_line(label: str) -> str:
    """One line from the terminal, re-asked while empty."""
    while True:
        sys.stdout.write(f"{label}: ")
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        if line.strip():
            return line.strip()
        sys.stdout.write("  (an empty prediction teaches nothing: write one line, or Ctrl-C to cancel)\n")
