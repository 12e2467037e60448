"""The one exception lynx raises for anything a user can fix, and its exit codes."""

from __future__ import annotations

# Exit codes, as people know them: 0 ok, 1 a check that failed, 2 bad input or usage.
OK = 0
FAILED = 1
USAGE = 2


class LynxError(Exception):
    """A problem the user can fix: printed as one line, never as a traceback.

    ``message`` says what went wrong and where; ``fix`` says how to fix it.
    """

    def __init__(self, message: str, fix: str | None = None, code: int = USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.code = code

    def line(self) -> str:
        return f"{self.message} — {self.fix}" if self.fix else self.message
