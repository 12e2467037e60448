"""Running code nobody vouches for (a learner's, in `lynx verify` and `lynx class --verify`): a timeout,
limits on memory, processes, file sizes and open files, an empty environment, a folder of its own, and
no network where the machine allows it.

The strongest isolation that works here is found once per run (:func:`isolation`), by trying it:

1. ``unshare --net`` with the checks run as user ``nobody`` (as root, when ``nobody`` can run this Python);
2. ``unshare --net`` (as root: no network, but the checks run as root — inside a container or a CI runner);
3. ``unshare --map-root-user --net`` (an unprivileged user namespace, where the kernel allows them);
4. none of these: the limits, the empty environment and the folder only; the network stays reachable
   (docs/teachers.md: run the verification on CI runners or in a container there).

Limits are set by ``prlimit`` (util-linux) around the program, so nothing runs between fork and exec in
lynx's own (threaded) process; without ``prlimit``, a ``preexec_fn`` sets them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

NOBODY = 65534


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 4096     # address space
    processes: int = 256      # more processes than the user runs already (RLIMIT_NPROC counts them all)
    file_mb: int = 64         # any file written, the captured output included
    open_files: int = 512


@dataclass(frozen=True)
class Isolation:
    kind: str               # "nobody+netns", "netns", "userns+netns", "none"
    prefix: tuple[str, ...]
    as_nobody: bool

    @property
    def network(self) -> bool:
        """Whether the code run can reach the network."""
        return self.kind == "none"


@dataclass(frozen=True)
class Finished:
    returncode: int
    output: str
    timed_out: bool


_probe_lock = threading.Lock()
_probed: Isolation | None = None


def isolation() -> Isolation:
    """The strongest isolation this machine allows (tried once per process)."""
    global _probed
    with _probe_lock:
        if _probed is None:
            _probed = _probe()
        return _probed


def _probe() -> Isolation:
    unshare = shutil.which("unshare")
    candidates: list[Isolation] = []
    if unshare and hasattr(os, "geteuid") and os.geteuid() == 0:
        candidates.append(Isolation("nobody+netns", (unshare, "--net", "--setuid", str(NOBODY), "--setgid",
                                                     str(NOBODY), "--"), True))
        candidates.append(Isolation("netns", (unshare, "--net", "--"), False))
    if unshare:
        candidates.append(Isolation("userns+netns", (unshare, "--map-root-user", "--net", "--"), False))
    for c in candidates:
        try:
            ok = subprocess.run([*c.prefix, sys.executable, "-c", "pass"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=20,
                                cwd="/", env=_base_env(Path("/tmp"))).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            return c
    return Isolation("none", (), False)


def _base_env(folder: Path) -> dict[str, str]:
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(folder / "home"), "TMPDIR": str(folder / "tmp"),
            "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1", "PYTHONHASHSEED": "0",
            "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "NO_COLOR": "1"}


def _own_processes() -> int:
    """Processes of this user now (RLIMIT_NPROC counts them too), from /proc; 0 when it cannot tell."""
    uid, n = os.getuid(), 0
    try:
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    n += entry.stat().st_uid == uid
                except OSError:
                    pass
    except OSError:
        return 0
    return n


def _limit_args(limits: Limits, nproc: int | None) -> list[tuple[str, int, int]]:
    import resource

    out = [("--as", resource.RLIMIT_AS, limits.memory_mb * 2**20),
           ("--fsize", resource.RLIMIT_FSIZE, limits.file_mb * 2**20),
           ("--core", resource.RLIMIT_CORE, 0),
           ("--nofile", resource.RLIMIT_NOFILE, limits.open_files)]
    if nproc is not None:
        out.append(("--nproc", resource.RLIMIT_NPROC, nproc))
    return out


def run(folder: Path, argv: Sequence[str], timeout: float, env: dict[str, str] | None = None,
        limits: Limits = Limits()) -> Finished:
    """Run ``argv`` (``python`` = this interpreter) in ``folder`` under the isolation and limits; its output
    (stdout and stderr) goes to a file in ``folder``, capped by the file-size limit, and is returned."""
    iso = isolation()
    for sub in ("home", "tmp"):
        (folder / sub).mkdir(exist_ok=True)
    cmd = [sys.executable if argv[0] in ("python", "python3") else argv[0], *argv[1:]]
    nproc = limits.processes if iso.as_nobody else _own_processes() + limits.processes
    limit_args = _limit_args(limits, nproc)
    prlimit = shutil.which("prlimit")
    preexec = None
    if prlimit:
        cmd = [prlimit, *(f"{flag}={value}" for flag, _, value in limit_args), "--", *iso.prefix, *cmd]
    else:
        cmd = [*iso.prefix, *cmd]

        def preexec() -> None:  # pragma: no cover - machines without util-linux's prlimit
            import resource

            for _, which, value in limit_args:
                try:
                    resource.setrlimit(which, (value, value))
                except (ValueError, OSError):
                    pass
    if iso.as_nobody:
        _hand_to_nobody(folder)
    out_path = folder / "output.txt"
    with open(out_path, "wb") as out:
        try:
            proc = subprocess.Popen(cmd, cwd=folder, env={**_base_env(folder), **(env or {})}, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=preexec)
        except OSError as exc:
            return Finished(127, f"cannot run {cmd[0]}: {exc.strerror}", False)
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the whole group: whatever it started goes too
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()
    data = out_path.read_bytes()[-64 * 1024:] if out_path.exists() else b""
    return Finished(proc.returncode, data.decode("utf-8", "replace"), timed_out)


def _hand_to_nobody(folder: Path) -> None:
    """The run's folder belongs to ``nobody`` (who runs the code): it can write there and nowhere of ours."""
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in [*dirnames, *filenames, ""]:
            try:
                os.lchown(os.path.join(dirpath, name) if name else dirpath, NOBODY, NOBODY)
            except OSError:
                pass
