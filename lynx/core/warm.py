"""A warm pytest for `lynx watch`: one long-lived helper process that has imported pytest, its plugins and
NumPy once, and runs each check in a fresh fork of itself, so a check pays for none of those imports.

The helper (``python -m lynx.core.warm ROOT``, started by :class:`Worker`) never imports the learner's
code. Each request forks a child that makes its own process group, purges any ``minimodel`` module,
puts ``ROOT/src`` first on the path and calls ``pytest.main`` with the arguments a cold
``python -m pytest`` would get: the learner's code as it is on disk now is what runs. The child's
output goes to a file the helper returns. A child that runs past its timeout is killed with its
whole process group (the learner's code is untrusted); so is anything a finished check left behind.

Protocol, one JSON object a line: request ``{"argv": [...], "timeout": s}``; replies ``{"pid": n}`` when
the child starts, then ``{"status": n, "output": "...", "timed_out": bool}``. The helper writes them on
a copy of its stdout; its own fd 1 and 2 go to /dev/null, so nothing pytest prints can garble them.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

from lynx.core import process
from lynx.core.errors import LynxError

PRELOAD = ("numpy", "numpy.testing", "pytest")
PURGE = ("minimodel",)  # the learner's packages: never kept from one check to the next
START_TIMEOUT = 60.0    # the helper's imports and warm-up run, on a busy machine
COLD_ENV = "LYNX_WATCH_COLD"  # set (to anything): `lynx watch` runs every check cold, as `lynx check` does


def available() -> bool:
    """Whether checks can run warm here (a POSIX fork, and not switched off)."""
    return hasattr(os, "fork") and hasattr(os, "setpgid") and not os.environ.get(COLD_ENV)


class WorkerGone(Exception):
    """The helper died or could not start: the caller runs the check cold instead."""


class Worker:
    """The lynx side: start the helper, run checks through it, and end it with everything it started."""

    def __init__(self, root: Path) -> None:
        """Start the helper (it imports and warms up on its own: see :meth:`wait_ready`)."""
        self.root = root
        self.child: int | None = None  # the running check's pid (= its process group)
        self.closed = False
        self.ready = False
        self._buf = b""
        self.proc = subprocess.Popen([sys.executable, "-m", "lynx.core.warm", str(root)], cwd=root,
                                     env=process.env_for(root), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, start_new_session=True)

    def wait_ready(self) -> None:
        """Wait for the helper's imports and warm-up; :class:`WorkerGone` if it cannot start."""
        if self.ready:
            return
        first = self._reply(START_TIMEOUT)
        if first.get("ready") is not True:
            self.close()
            raise WorkerGone(first.get("error") or "the warm helper did not start")
        self.ready = True

    def run(self, root: Path, argv: Sequence[str], timeout: int, capture: bool = True) -> subprocess.CompletedProcess:
        """Like :func:`lynx.core.process.run` (captured): ``argv`` is ``python -m pytest ARGS``."""
        if list(argv[:3]) != ["python", "-m", "pytest"] or root != self.root:
            return process.run(root, argv, timeout, capture=capture)
        self.wait_ready()
        if self.closed or self.proc.poll() is not None:
            raise WorkerGone("the warm helper has stopped")
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps({"argv": list(argv[3:]), "timeout": timeout}).encode() + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            raise WorkerGone("the warm helper has stopped") from None
        started = self._reply(10.0)
        self.child = started.get("pid")
        try:
            done = self._reply(timeout + 10.0)  # the helper enforces the timeout; this is a safety net
        finally:
            self.child = None
        if done.get("timed_out"):
            raise LynxError(f"`{' '.join(argv)}` ran longer than {timeout} s and was stopped",
                            "look for an endless loop in your code; the break's `timeout:` sets the limit", code=1)
        return subprocess.CompletedProcess(argv, int(done.get("status", 3)), done.get("output", ""), None)

    def _reply(self, wait: float) -> dict:
        deadline = time.monotonic() + wait
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                raise WorkerGone("the warm helper did not answer")
            try:
                assert self.proc.stdout is not None
                fd = self.proc.stdout.fileno()
                ready, _, _ = select.select([fd], [], [], min(left, 0.5))
                chunk = os.read(fd, 65536) if ready else None
            except (OSError, ValueError):  # closed under us: lynx is leaving
                raise WorkerGone("the warm helper has stopped") from None
            if chunk == b"":
                raise WorkerGone("the warm helper has stopped")
            self._buf += chunk or b""
        line, self._buf = self._buf.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            raise WorkerGone("the warm helper answered nonsense") from None

    def close(self) -> None:
        """End the running check (its whole group), then the helper (which removes its files), then anything
        left of its group. Safe to call twice."""
        self.closed = True
        child = self.child
        if child:
            _killpg(child)
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        _killpg(self.proc.pid)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdout, self.proc.stdin):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass


def _killpg(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass


# -- the helper's side -------------------------------------------------------------------------------
def serve(root: Path) -> None:
    """The helper's main loop: import, warm up, then one forked check per request until stdin ends."""
    import shutil

    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (1, 2):
        os.dup2(null, fd)
    tmp = tempfile.mkdtemp(prefix="lynx-warm-")  # the warm-up check and each check's output; removed at the end
    current: dict[str, int] = {}

    def stop(signum, frame):  # SIGTERM (lynx is leaving): the running check goes with us, and our files
        if current.get("pid"):
            _killpg(current["pid"])
        shutil.rmtree(tmp, ignore_errors=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches lynx, which ends us properly
    try:
        try:
            _warm_up(Path(tmp))
        except BaseException as exc:  # noqa: BLE001 - told to the lynx side, which runs cold instead
            _send(proto, {"ready": False, "error": f"{type(exc).__name__}: {exc}"})
            return
        _send(proto, {"ready": True})
        for line in sys.stdin.buffer:
            try:
                req = json.loads(line)
                argv, timeout = [str(a) for a in req["argv"]], float(req["timeout"])
            except (ValueError, KeyError, TypeError):
                _send(proto, {"pid": 0})
                _send(proto, {"status": 4, "output": "lynx: a request the warm helper could not read\n"})
                continue
            _send(proto, _run_forked(root, argv, timeout, Path(tmp), proto, current))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _send(proto, obj: dict) -> None:
    proto.write(json.dumps(obj) + "\n")
    proto.flush()


def _warm_up(tmp: Path) -> None:
    """Import what every check imports, and run pytest once on a trivial check, one test passing and one
    failing (its plugins, junitxml, the assertion rewriter, the failure report), so a forked child finds it
    all in memory. Then freeze the heap: the children's garbage collections (pytest runs several at its end)
    skip the helper's objects, and copy-on-write keeps them shared."""
    import gc
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    import pytest

    test = tmp / "lynx_warm_check.py"
    test.write_text(WARM_CHECK, encoding="utf-8")
    pytest.main(["-q", "--no-header", "-p", "no:cacheprovider", "-o", "addopts=", "-o", "pythonpath=",
                 "-o", "junit_family=xunit1", f"--junitxml={tmp / 'warm.xml'}", "--rootdir", str(tmp), str(test)])
    sys.modules.pop("lynx_warm_check", None)
    gc.collect()
    gc.freeze()


WARM_CHECK = """import numpy as np


def test_passes():
    np.testing.assert_allclose(np.ones(2), 1.0)


def test_fails():
    np.testing.assert_allclose(np.ones(2), 2.0, err_msg="warm-up")
"""


def _run_forked(root: Path, argv: list[str], timeout: float, tmp: Path, proto, current: dict) -> dict:
    out = tmp / "check.out"
    out.write_bytes(b"")
    try:
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child(root, argv, str(out))
        current["pid"] = pid
        _send(proto, {"pid": pid})
        status, timed_out = _wait(pid, timeout)
        current.pop("pid", None)
        _killpg(pid)  # whatever the check started and left running
        output = out.read_text(encoding="utf-8", errors="replace")
        return {"status": status, "output": output, "timed_out": timed_out}
    finally:
        out.unlink(missing_ok=True)


def _wait(pid: int, timeout: float) -> tuple[int, bool]:
    """The child's exit status (as `subprocess` reports it), or kill its group when its time is up."""
    deadline = time.monotonic() + timeout
    pidfd = None
    if hasattr(os, "pidfd_open"):
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            pidfd = None
    try:
        while True:
            got, status = os.waitpid(pid, os.WNOHANG)
            if got:
                return os.waitstatus_to_exitcode(status), False
            left = deadline - time.monotonic()
            if left <= 0:
                _killpg(pid)
                os.waitpid(pid, 0)
                return -signal.SIGKILL, True
            if pidfd is not None:
                select.select([pidfd], [], [], left)
            else:
                time.sleep(min(left, 0.01))
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _child(root: Path, argv: list[str], out: str) -> None:
    code = 3
    try:
        os.setpgid(0, 0)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        fd = os.open(out, os.O_WRONLY | os.O_TRUNC)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # the helper's stdin is its request channel
        os.chdir(root)
        # lynx/__init__ turns bytecode writing back on for lynx's own start-up; the learner's code must not
        # get any: a __pycache__ in their tree is noise, and a pyc of a file saved twice in one second at the
        # same size would run the old code (Python checks the source's whole-second mtime and size).
        sys.dont_write_bytecode = True
        for name in list(sys.modules):
            if name.split(".", 1)[0] in PURGE:
                del sys.modules[name]
        src = str(root / "src")
        sys.path[:] = [src, *(p for p in sys.path if p != src)]
        import importlib

        importlib.invalidate_caches()
        import pytest

        sys.argv = ["pytest", *argv]
        code = int(pytest.main(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - reported in the output, as a cold pytest would
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


if __name__ == "__main__":
    serve(Path(sys.argv[1]).resolve())
