"""The terminal: Rich consoles created on first use (commands that print nothing pay nothing), and
cheap ANSI styling for the hot commands (hint, status) that must not import Rich.

Rich honours NO_COLOR and turns styling off when stdout is not a terminal; so does :func:`style`.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@lru_cache(maxsize=None)
def console() -> "Console":
    from rich.console import Console

    return Console(highlight=False)


@lru_cache(maxsize=None)
def err_console() -> "Console":
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def is_tty() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def print_json(data: object) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def color_on(stream=None) -> bool:
    stream = stream or sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


CODES = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36"}


def style(text: str, *, fg: str | None = None, bold: bool = False, dim: bool = False) -> str:
    if not color_on():
        return text
    parts = [c for c in ((CODES.get(fg or "")), "1" if bold else None, "2" if dim else None) if c]
    return f"\033[{';'.join(parts)}m{text}\033[0m" if parts else text


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def flush() -> None:
    """Before a child program writes to the same terminal: lynx's own lines first."""
    sys.stdout.flush()
