"""Fault injection for the reliability tests: kill lynx at its Nth step, or make its Nth write or git call fail.

`LYNX_CRASH_AFTER=N` sends the process `LYNX_CRASH_SIGNAL` (KILL by default, or INT) right after its
Nth checkpoint (after every git call and every atomic write).

`LYNX_FAULT=ERRNO@N` (e.g. `ENOSPC@3`) raises that OSError at the Nth fault point instead of doing the step
(before every git call, inside every atomic write once its temporary file is written, when the lock is
taken, when a workspace is copied); `ERRNO@N+` fails that point and every later one (a disk that stays
full). `LYNX_FAULT_LOG=FILE` gets one line per injected fault, so a test tells "failed here" from "ran
out of steps". Tests run as root, where permissions do not bind: injecting is the only way to see an
EACCES. Unset (always, outside tests), each point costs one comparison.
"""

from __future__ import annotations

import os

_count = 0
_limit = int(os.environ.get("LYNX_CRASH_AFTER", "0") or 0)

ERRNOS = ("ENOSPC", "EISDIR", "ENOTDIR", "ENAMETOOLONG", "EACCES", "EIO", "ENOENT")
_points = 0
_fault: tuple[int, int, bool] | None = None  # (errno, at which point, and every later one too)
fired: list[str] = []  # what was failed in this process (in-process tests read it)


def arm(spec: str | None) -> None:
    """Set the injected fault from a spec like `ENOSPC@3` or `EIO@5+` (None: no fault); the count starts again."""
    global _fault, _points
    _points = 0
    fired.clear()
    if not spec:
        _fault = None
        return
    import errno

    name, _, at = spec.partition("@")
    sticky = at.endswith("+")
    _fault = (getattr(errno, name.strip().upper()), int(at.rstrip("+")), sticky)


def points() -> int:
    """How many fault points this process has passed (the steps a fault can be injected at)."""
    return _points


def fault(what: str, path: object = None) -> None:
    """A fault point: raise the armed OSError here, as the operating system would for ``path``."""
    global _points
    if _fault is None:
        return
    _points += 1
    code, at, sticky = _fault
    if _points == at or (sticky and _points > at):
        fired.append(f"{what} {path}")
        log = os.environ.get("LYNX_FAULT_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"{_points} {what} {path}\n")
        raise OSError(code, os.strerror(code), None if path is None else str(path))


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
        if sig == signal.SIGINT:  # a Ctrl-C, even when the parent ignored SIGINT (`nohup`): else nothing stops
            signal.signal(signal.SIGINT, signal.default_int_handler)
        os.kill(os.getpid(), sig)


if os.environ.get("LYNX_FAULT"):
    arm(os.environ["LYNX_FAULT"])
