"""Running the programs a course names (a break's observation program and check, a lab, a validator):
an argument list, no shell, in the workspace, the learner's `src/` first on the path, and a timeout."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable, Sequence

from lynx.core.errors import LynxError


def argv_for(argv: Sequence[str]) -> list[str]:
    """`python` in content means the interpreter running lynx (it has numpy and minimodel's needs)."""
    first, *rest = argv
    return [sys.executable if first in ("python", "python3") else first, *rest]


# The course's programs multiply small matrices: one BLAS thread is faster than several fighting for the
# cores (measured: 200 steps of a tiny GPT took 41 s with OpenBLAS's threads under load, 3.2 s with one).
BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def env_for(root: Path) -> dict[str, str]:
    """The environment of a course program (a break's observe and check, a lab, a validator): the learner's
    src/ first on the path, one BLAS thread unless the learner set their own."""
    env = dict(os.environ)
    for name in BLAS_ENV:
        env.setdefault(name, "1")
    src = str(root / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # keep the learner's tree free of __pycache__ noise
    env.setdefault("MPLBACKEND", "Agg")
    return env


def run(root: Path, argv: Sequence[str], timeout: int, capture: bool = False,
        env: dict[str, str] | None = None,
        started: Callable[[int], None] | None = None) -> subprocess.CompletedProcess:
    """Run a program (``env``: variables added to its environment); on timeout kill its whole process group
    and report it. ``started`` is told the program's pid (= its process group), for a caller on another
    thread that may have to end it."""
    cmd = argv_for(argv)
    try:
        proc = subprocess.Popen(
            cmd, cwd=root, env={**env_for(root), **(env or {})}, start_new_session=True,
            stdout=subprocess.PIPE if capture else None, stderr=subprocess.STDOUT if capture else None,
            text=True if capture else None,
        )
    except FileNotFoundError:
        raise LynxError(f"cannot run {cmd[0]!r}: not found", "check the break's `observe`/`check` setting") from None
    if started is not None:
        started(proc.pid)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise LynxError(f"`{' '.join(argv)}` ran longer than {timeout} s and was stopped",
                        "look for an endless loop in your code; the break's `timeout:` sets the limit", code=1) from None
    except KeyboardInterrupt:
        _kill(proc)
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, None)


def run_shown(root: Path, argv: Sequence[str], timeout: int) -> tuple[int, str]:
    """Run a program with its output (stdout and stderr, in order) shown as it comes and also kept:
    (exit status, the output). The program is told not to buffer, so a learner sees each line at once."""
    import threading

    cmd = argv_for(argv)
    env = {**env_for(root), "PYTHONUNBUFFERED": "1"}
    try:
        proc = subprocess.Popen(cmd, cwd=root, env=env, start_new_session=True, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
    except FileNotFoundError:
        raise LynxError(f"cannot run {cmd[0]!r}: not found", "check the break's `observe`/`check` setting") from None
    kept: list[bytes] = []

    def pump() -> None:
        assert proc.stdout is not None
        shown = True  # until the reader goes away (`lynx run | head`): the output is still kept, and read
        for chunk in iter(lambda: proc.stdout.read1(65536), b""):
            kept.append(chunk)
            if shown:
                try:
                    out = getattr(sys.stdout, "buffer", None)  # a text-only stdout (lynx.cli.run called in-process)
                    out.write(chunk) if out is not None else sys.stdout.write(chunk.decode("utf-8", "replace"))
                    sys.stdout.flush()
                except (OSError, ValueError):  # a closed pipe or stream: no traceback from this thread
                    shown = False

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        reader.join(5)
        raise LynxError(f"`{' '.join(argv)}` ran longer than {timeout} s and was stopped",
                        "look for an endless loop in your code; the break's `timeout:` sets the limit", code=1) from None
    except KeyboardInterrupt:
        _kill(proc)
        raise
    reader.join(5)
    return proc.returncode, b"".join(kept).decode("utf-8", "replace")


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()
