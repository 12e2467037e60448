"""One writer at a time per workspace: `.lynx/lock` holds the pid of the command writing."""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from lynx.core.errors import LynxError
from lynx.core.faults import fault


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# Re-entrant within one thread: `lynx recover` holds the lock while it resumes an end. Per thread, so that
# two threads of one process (`lynx watch` remembers a verdict while a key reveals a hint) take turns.
_local = threading.local()


@contextmanager
def held(state_dir: Path, wait: float = 3.0) -> Iterator[None]:
    depth = getattr(_local, "depth", 0)
    if depth:
        _local.depth = depth + 1
        try:
            yield
        finally:
            _local.depth -= 1
        return
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / "lock"
    deadline = time.monotonic() + wait
    while True:
        try:
            fault("lock", path)
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid = int(path.read_text().strip() or "0")
            except (OSError, ValueError):
                pid = 0
            if pid and not alive(pid) or pid == 0 and _older_than(path, 10):
                path.unlink(missing_ok=True)  # a stale lock left by a killed command
                continue
            if time.monotonic() < deadline:
                time.sleep(0.1)
                continue
            raise LynxError(f"another lynx command (pid {pid}) is changing this workspace",
                            f"wait for it to finish; if none is running, delete {path}") from None
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
        except OSError as exc:  # a lock without a pid (a full disk) would block every command for 10 s
            path.unlink(missing_ok=True)
            raise OSError(exc.errno, exc.strerror, str(path)) from None  # (close() names no file)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        break
    _local.depth = 1
    try:
        yield
    finally:
        _local.depth = 0
        path.unlink(missing_ok=True)


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return True
