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


# What to do about an operating-system error, by errno name: the line names the path, this says the fix.
_OS_FIXES = {
    "ENOSPC": "free some space on that disk (`df -h` shows how full it is), then run the command again",
    "EDQUOT": "free some space within your disk quota, then run the command again",
    "EISDIR": "a folder stands where lynx expects a file: move it aside, then run the command again",
    "ENOTDIR": "a file stands where lynx expects a folder: move it aside, then run the command again",
    "ENAMETOOLONG": "the name is too long for this file system: use a shorter name or a folder nearer the root",
    "EACCES": "check who owns it and its permissions (`ls -ld`), then run the command again",
    "EPERM": "check who owns it and its permissions (`ls -ld`), then run the command again",
    "EROFS": "the file system is read-only: work in a folder you can write to",
    "EIO": "the disk reported an I/O error: check it (`dmesg`) and copy your work somewhere safe",
    "ENOENT": "it vanished while lynx was using it (another program?): run `lynx recover`, then the command again",
    "EMFILE": "too many files are open: close some programs, then run the command again",
}


def from_os_error(exc: OSError) -> LynxError:
    """An OSError as one line: what failed, on which path, and the fix (exit 2). Nothing is half-done by
    then (a failed step is undone, or left for `lynx recover`), and the line says so where it matters."""
    import errno as errnos

    name = errnos.errorcode.get(exc.errno or 0, "")
    where = " → ".join(str(f) for f in (exc.filename, exc.filename2) if f is not None) or "a file"
    what = exc.strerror or str(exc) or name or exc.__class__.__name__
    fix = _OS_FIXES.get(name, "fix the cause, then run the command again; `lynx recover` repairs what it can")
    if name != "ENOENT":
        fix += " (what this command had changed is undone, or `lynx recover` finishes it)"
    return LynxError(f"cannot use {where}: {what}", fix, code=USAGE)
