"""Entry point: registers the command modules and turns LynxError into one line and an exit code."""

from __future__ import annotations

import sys

from lynx.app import app
from lynx.commands import loop as _loop  # noqa: F401  (registers commands)
from lynx.errors import LynxError

for _name in ("quiz", "cards", "learn", "build", "lab", "report", "perf"):
    try:
        __import__(f"lynx.commands.{_name}")
    except ModuleNotFoundError as _exc:  # a command module not written yet
        if _exc.name != f"lynx.commands.{_name}":
            raise


def main() -> None:
    try:
        app(standalone_mode=True)
    except LynxError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        sys.exit(130)


def _fail(exc: LynxError) -> None:
    sys.stderr.write(f"lynx: {exc.line()}\n")
    sys.exit(exc.code)
