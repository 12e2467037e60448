"""Rich consoles, created on first use so commands that print nothing pay nothing.

Rich honours NO_COLOR and turns styling off when stdout is not a terminal.
"""

from __future__ import annotations

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
