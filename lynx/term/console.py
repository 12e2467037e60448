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
def _safe_console_class():
    """Rich's Console, with every piece of text made visible before it is styled: what a course or a learner
    wrote can hold ESC or bidi overrides, never a cursor move or a window title. Rich's own styling (the SGR
    codes it adds around the text) and its control segments are untouched."""
    from rich.console import Console
    from rich.segment import Segment

    from lynx.core.untrusted import visible

    class SafeConsole(Console):
        def _render_buffer(self, buffer):
            return super()._render_buffer(
                seg if seg.control else Segment(visible(seg.text), seg.style, None) for seg in buffer)

    return SafeConsole


@lru_cache(maxsize=None)
def console() -> "Console":
    return _safe_console_class()(highlight=False)


@lru_cache(maxsize=None)
def err_console() -> "Console":
    return _safe_console_class()(stderr=True, highlight=False)


def literal(text: str) -> str:
    """Untrusted text for a Rich string that is read as markup: ``[bold]`` stays those six characters."""
    from rich.markup import escape

    return escape(text)


def is_tty() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def print_json(data: object) -> None:
    import json

    from lynx.core.untrusted import json_safe

    sys.stdout.write(json_safe(json.dumps(data, indent=2, ensure_ascii=False, default=str)) + "\n")


def color_on(stream=None) -> bool:
    stream = stream or sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


CODES = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36"}


def style(text: str, *, fg: str | None = None, bold: bool = False, dim: bool = False) -> str:
    if not color_on():
        return text
    from lynx.core.untrusted import visible

    text = visible(text)  # an ESC in the text would pass out() as part of a colour code
    parts = [c for c in ((CODES.get(fg or "")), "1" if bold else None, "2" if dim else None) if c]
    return f"\033[{';'.join(parts)}m{text}\033[0m" if parts else text


_SGR = None


def safe_line(line: str) -> str:
    """A line of the fast path made safe: every control character visible, but the colour codes :func:`style`
    adds when colour is on (an SGR sequence changes colours only: it cannot move the cursor or hide a line)."""
    from lynx.core.untrusted import unsafe, visible

    if not unsafe(line):
        return line
    if "\x1b[" not in line or not color_on():
        return visible(line)
    global _SGR
    if _SGR is None:
        import re

        _SGR = re.compile(r"(\x1b\[(?:[0-9]{1,2};)*[0-9]{0,2}m)")
    return "".join(part if i % 2 else visible(part) for i, part in enumerate(_SGR.split(line)))


def out(line: str = "") -> None:
    sys.stdout.write(safe_line(line) + "\n")


def flush() -> None:
    """Before a child program writes to the same terminal: lynx's own lines first."""
    sys.stdout.flush()
