"""Fault injection for the interruption tests: kill lynx at its Nth step (a git call or a file write).

`LYNX_CRASH_AFTER=N` sends the process `LYNX_CRASH_SIGNAL` (KILL by default, or INT) right after its
Nth checkpoint. Unset (always, outside tests), a checkpoint costs one dict lookup.
"""

from __future__ import annotations

import os

_count = 0
_limit = int(os.environ.get("LYNX_CRASH_AFTER", "0") or 0)


def checkpoint(what: str) -> None:
    global _count
    if not _limit:
        return
    _count += 1
    if _count == _limit:
        import signal
        import sys

        sys.stderr.write(f"[lynx test hook] killed after step {_count}: {what}\n")
        sys.stderr.flush()
        sig = signal.SIGINT if os.environ.get("LYNX_CRASH_SIGNAL", "KILL").upper() == "INT" else signal.SIGKILL
        os.kill(os.getpid(), sig)
