"""Showing a fix diff in the terminal: highlighted, whole or one hunk at a time."""

from __future__ import annotations

import re
import sys

HUNK = re.compile(r"^@@ ", re.M)


def hunks(diff: str) -> list[str]:
    """Split a git diff into self-contained pieces, each with its file header and one hunk."""
    pieces: list[str] = []
    for filediff in re.split(r"(?m)^(?=diff --git )", diff):
        if not filediff.strip():
            continue
        m = HUNK.search(filediff)
        if not m:
            pieces.append(filediff)
            continue
        header, body = filediff[: m.start()], filediff[m.start():]
        for h in re.split(r"(?m)^(?=@@ )", body):
            if h.strip():
                pieces.append(header + h)
    return pieces


def show(diff: str, step: bool = False) -> None:
    from rich.syntax import Syntax

    from lynx.term.console import console

    c = console()
    parts = hunks(diff) if step else [diff]
    for i, part in enumerate(parts, 1):
        if step:
            c.rule(f"hunk {i}/{len(parts)}")
        c.print(Syntax(part.rstrip("\n"), "diff", theme="ansi_dark", background_color="default"))
        if step and i < len(parts) and sys.stdin.isatty():
            try:
                answer = input("Enter for the next hunk, q to stop: ")
            except (EOFError, KeyboardInterrupt):
                return
            if answer.strip().lower() == "q":
                return
