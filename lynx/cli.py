"""Entry point: registers the command modules and turns LynxError into one line and an exit code."""

from __future__ import annotations

import sys

from lynx.app import app
# The order of these imports is the order of the commands in `lynx --help`.
from lynx.commands import loop  # noqa: F401,I001  (each module registers its commands)
from lynx.commands import learn, lab, quiz, build, cards, report  # noqa: F401,E402,I001
from lynx.errors import LynxError


def main() -> None:
    try:
        app(standalone_mode=True)
    except LynxError as exc:
        sys.stderr.write(f"lynx: {exc.line()}\n")
        sys.exit(exc.code)
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        sys.exit(130)
