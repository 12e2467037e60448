"""Atomic writes and tolerant reads for every file lynx keeps: a reader sees the old file or the new one."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from lynx.core.errors import LynxError
from lynx.core.faults import checkpoint, fault

# The files written since a journal began, with what they held before (None: there was no file), so that
# a command that fails half-way puts back what it wrote (:class:`Journal`). None: no journal is open.
_journal: list[tuple[Path, bytes | None]] | None = None


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a reader sees the old or the new file, never half of one."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes, journal: bool = True) -> None:
    """``journal``: an open :class:`Journal` may put the file back (False for git's own files)."""
    if journal and _journal is not None and all(p != path for p, _ in _journal):
        _journal.append((path, _old_bytes(path)))
    _write(path, data)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Our own unique name, not tempfile.mkstemp: `import tempfile` pulls in random and _sha512 (3-8 ms of
    # every `lynx hint`). O_EXCL still refuses to reuse a name.
    tmp = str(path.parent / f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        fault("write", path)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and exc.filename is None:  # write(), fsync(), close() name no file
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise
    _fsync_dir(path.parent)
    checkpoint(f"wrote {path.name}")


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


MAX_STATE_BYTES = 64 * 1024 * 1024  # a state file lynx wrote stays far below this; bigger is not lynx's


def read_json(path: Path, default: Any = None) -> Any:
    """Read a JSON state file; a missing file gives ``default``, a corrupt one a clear error (so does one too
    big, or nested deeper than Python can read)."""
    try:
        if path.stat().st_size > MAX_STATE_BYTES:
            raise LynxError(f"{path} is over {MAX_STATE_BYTES // 2**20} MiB: lynx did not write that",
                            "run `lynx recover` to restore it from git history")
        raw = path.read_bytes()
    except FileNotFoundError:
        return default
    except IsADirectoryError:
        raise LynxError(f"{path} is a folder, not a file", "move it aside, then run `lynx recover`") from None
    except OSError as exc:  # the fix depends on the errno (a file where a folder should be, permissions...)
        from lynx.core.errors import from_os_error

        raise from_os_error(exc) from None
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise LynxError(f"{path} is corrupt (nested too deeply)", "run `lynx recover` to restore it from git history") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LynxError(
            f"{path} is corrupt ({exc.__class__.__name__}: {exc})",
            "run `lynx recover` to restore it from git history",
        ) from None


def append_text(path: Path, text: str, strict: bool = True) -> None:
    """Append to a notes file: notes only ever grow, byte for byte, in the learner's line endings.

    ``strict``: refuse a file that is not UTF-8 rather than mix encodings in it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_bytes() if path.exists() else b""
    if strict:
        require_utf8(path, old)
    if old and not old.endswith(b"\n"):
        old += b"\r\n" if old.endswith(b"\r") or b"\r\n" in old[-200:] else b"\n"
    new = text.encode("utf-8")
    if b"\r\n" in old[-200:]:
        new = new.replace(b"\n", b"\r\n")  # keep the learner's line endings
    atomic_write_bytes(path, old + new)


def require_utf8(path: Path, data: bytes | None = None) -> None:
    try:
        (path.read_bytes() if data is None else data).decode("utf-8")
    except FileNotFoundError:
        return
    except UnicodeDecodeError as exc:
        raise LynxError(f"{path} is not UTF-8 text (byte {exc.start})",
                        f"convert it, e.g. `iconv -f latin1 -t utf-8 {path.name} > tmp && mv tmp {path.name}`") from None


def _old_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


class Journal:
    """``with Journal() as j:`` remembers every file lynx writes inside; ``j.undo()`` puts each back as it was.

    The caller decides when to undo: only once whatever else the step changed (git) is undone too, so
    that the files never disagree with the repository. An undo that fails leaves the rest for `lynx recover`.
    """

    def __enter__(self) -> "Journal":
        global _journal
        self.outer, _journal = _journal, []
        self.entries = _journal
        return self

    def __exit__(self, *exc) -> None:
        global _journal
        _journal = self.outer
        if self.outer is not None:  # nested: the outer journal can undo these too
            self.outer.extend(e for e in self.entries if all(p != e[0] for p, _ in self.outer))

    def undo(self) -> bool:
        """Put every written file back; False if one could not be (the error is not raised: the first one is)."""
        global _journal
        saved, _journal = _journal, None
        ok = True
        try:
            for path, old in reversed(self.entries):
                try:
                    if old is None:
                        path.unlink(missing_ok=True)
                    else:
                        _write(path, old)
                except OSError:
                    ok = False
            self.entries.clear()
        finally:
            _journal = saved
        return ok


class Room:
    """Disk space held for an undo: ``room.take()`` allocates ``size`` bytes at ``path`` before a command
    changes anything (on a full disk it fails then, with nothing to undo); ``room.give()`` frees them, just
    before the undo writes the index and the files back — on a disk that filled up meanwhile, else the undo
    itself would fail for want of space and leave the command half-done."""

    def __init__(self, path: Path, size: int) -> None:
        self.path, self.size = path, size

    def take(self) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            try:
                os.posix_fallocate(fd, 0, self.size)  # blocks really allocated, none written
            except OSError as exc:
                if exc.errno not in (95, 22, 38):  # EOPNOTSUPP, EINVAL, ENOSYS: write zeros instead
                    raise
                os.write(fd, bytes(self.size))
        except OSError as exc:
            os.close(fd)
            self.give()
            raise OSError(exc.errno, exc.strerror, str(self.path)) from None  # the line names the disk's path
        except BaseException:
            os.close(fd)
            self.give()
            raise
        os.close(fd)

    def give(self) -> None:
        try:
            os.unlink(self.path)
        except OSError:
            pass
