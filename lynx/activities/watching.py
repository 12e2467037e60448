"""`lynx watch` as a use case: what to watch (the active break's check, or the active build's validator),
a watcher of the learner's `src/` that re-runs it after each save, and every verdict as data.

:class:`Watch` runs two threads: one waits for saves under `src/` (watchfiles, debounced: a save is whole
when nothing more changed for ``STEP_MS``), the other runs the check whenever something changed since its
last run, through the warm worker (:mod:`lynx.core.warm`: pytest and NumPy imported once, each check in a
fresh fork), or cold (a new interpreter, as `lynx check`) where fork is unavailable. What they find is
queued as :class:`Event`s; :meth:`Watch.fileno` becomes readable when there are some. Nothing here prints:
the screen is `lynx/term/watch_view.py`. Each verdict is remembered as `lynx check` (or `lynx build
--check`) would: a break's pass for `fix --show-diff`, a build's run for `lynx done`.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from lynx.activities import breaks, builds
from lynx.activities.checks import CheckResult, files_digest, run_break_check, run_validator
from lynx.content.breaks import Break
from lynx.content.challenge import Build
from lynx.core import process, warm
from lynx.core.errors import LynxError
from lynx.i18n import N_
from lynx.learner.workspace import Workspace

STEP_MS = 80        # a save is whole when nothing more changed for this long
DEBOUNCE_MS = 800   # and changes are never held back longer than this


@dataclass(frozen=True)
class Target:
    """What `lynx watch` re-checks: the active break's check or the active build's validator."""

    kind: str                   # "break" or "build"
    id: str
    title: dict[str, str]
    files: tuple[str, ...]      # the files the check is about (its verdict is remembered for them)
    hints: int                  # how many hints the break has (0: a build)
    brk: Break | None = None
    build: Build | None = None

    @property
    def what(self) -> str:
        return f"{self.kind} {self.id}"


def target(ws: Workspace) -> Target:
    """The active break or build; a clear error (one line, exit 2) when there is nothing to watch."""
    if builds.active_build(ws) is not None:
        session = builds.require_active(ws)
        b = builds.load(ws, session.phase)
        return Target("build", session.id, b.title, tuple(b.files), 0, build=b)
    try:
        _, b = breaks.active(ws)
    except LynxError as exc:
        raise LynxError(f"nothing to watch: {exc.message}", exc.fix, exc.code) from None
    return Target("break", b.id, b.title, tuple(b.files), len(b.hints), brk=b)


@dataclass(frozen=True)
class Verdict:
    result: CheckResult | None   # test by test; None when the check could not run
    error: str | None            # why it could not (it ran past its timeout, ...)
    seconds: float               # from the save (or the start) to the verdict
    warm: bool                   # run by the warm worker

    @property
    def passed(self) -> bool:
        return self.result is not None and self.result.passed


@dataclass(frozen=True)
class Event:
    kind: str                        # "checking", "verdict", "note" or "gone" (the session ended elsewhere)
    verdict: Verdict | None = None
    message: str = ""                # "note": a message id (English) to translate; "gone": a LynxError line
    fields: tuple[tuple[str, str], ...] = ()  # "note": the message's {fields}
    changed: tuple[str, ...] = ()    # "checking": the files saved (relative to the workspace)


class Watch:
    """The watcher and the checker, as a context manager; read :meth:`events` when :meth:`fileno` is readable."""

    def __init__(self, ws: Workspace, tgt: Target, use_warm: bool | None = None) -> None:
        self.ws, self.target = ws, tgt
        self.src = ws.root / "src"
        self.use_warm = warm.available() if use_warm is None else use_warm
        self._queue: deque[Event] = deque()
        self._r, self._w = os.pipe()
        os.set_blocking(self._r, False)
        os.set_blocking(self._w, False)
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._changed_at = time.monotonic()
        self._changed: tuple[str, ...] = ()
        self._cold_pid: int | None = None
        self.worker: warm.Worker | None = None
        self._threads: list[threading.Thread] = []

    # -- lifetime --------------------------------------------------------------------------------
    def start(self) -> "Watch":
        if self.use_warm:
            try:
                self.worker = warm.Worker(self.ws.root)
            except OSError:
                self.worker = None
        self._dirty.set()  # the first verdict needs no save
        for fn in (self._watch_loop, self._check_loop):
            th = threading.Thread(target=fn, name=f"lynx-watch-{fn.__name__}", daemon=True)
            th.start()
            self._threads.append(th)
        return self

    def close(self) -> None:
        """Stop both threads and end every process a check started (warm or cold). Safe to call twice."""
        self._stop.set()
        self._dirty.set()
        if self.worker is not None:
            self.worker.close()
        if self._cold_pid:
            try:
                os.killpg(self._cold_pid, signal.SIGKILL)
            except OSError:
                pass
        for th in self._threads:
            th.join(5)
        for fd in (self._r, self._w):
            try:
                os.close(fd)
            except OSError:
                pass
        self._r = self._w = -1

    def __enter__(self) -> "Watch":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what the screen reads ------------------------------------------------------------------
    def fileno(self) -> int:
        return self._r

    def recheck(self) -> None:
        """Check again now, without a save (the `c` key)."""
        self._changed_at, self._changed = time.monotonic(), ()
        self._dirty.set()

    def events(self) -> list[Event]:
        try:
            while os.read(self._r, 4096):
                pass
        except (BlockingIOError, OSError):
            pass
        out = []
        while self._queue:
            out.append(self._queue.popleft())
        return out

    def _post(self, ev: Event) -> None:
        self._queue.append(ev)
        try:
            os.write(self._w, b".")
        except (BlockingIOError, OSError):
            pass  # the pipe is full (the screen will read it all) or closed (we are stopping)

    # -- the threads ------------------------------------------------------------------------------
    def _watch_loop(self) -> None:
        try:
            import watchfiles  # only here: no other command pays for it; missing, the note below says so

            for changes in watchfiles.watch(self.src, stop_event=self._stop, step=STEP_MS, debounce=DEBOUNCE_MS,
                                            raise_interrupt=False, rust_timeout=1000):
                if self._stop.is_set():
                    return
                self._changed_at = time.monotonic()
                self._changed = tuple(sorted({_rel(self.ws.root, p) for _, p in changes}))
                self._dirty.set()
        except Exception as exc:  # noqa: BLE001 - e.g. src/ missing: said on the screen, the checks still run
            if not self._stop.is_set():
                self._post(Event("note", message=N_("Cannot watch src/ ({error}): press c to check."),
                                 fields=(("error", f"{type(exc).__name__}: {exc}"),)))

    def _check_loop(self) -> None:
        while not self._stop.is_set():
            if not self._dirty.wait(0.5) or self._stop.is_set():
                continue
            self._dirty.clear()
            self._post(Event("checking", changed=self._changed))
            ev = self.run_once(self._changed_at)
            if self._stop.is_set():
                return
            self._post(ev)
            if ev.kind == "gone":
                return

    def run_once(self, since: float) -> Event:
        """Check the code as it is now, remember the verdict, and say it (``since``: when the save was seen)."""
        try:
            now = target(self.ws)  # the session may have ended in another terminal
        except LynxError as exc:
            return Event("gone", message=exc.line())
        if (now.kind, now.id) != (self.target.kind, self.target.id):
            return Event("gone", message=f"{self.target.what} is no longer active ({now.what} is)")
        digest = files_digest(self.ws.root, list(now.files))
        used_warm, result, error = False, None, None
        try:
            used_warm, result = self._run(now)
        except LynxError as exc:
            error = exc.line()
        verdict = Verdict(result, error, time.monotonic() - since, used_warm)
        if self._stop.is_set():
            return Event("gone", message="stopped")  # a check cut short by quitting is never remembered
        try:
            self._remember(now, verdict, digest)
        except LynxError:
            pass  # another lynx command holds the lock: the next verdict is remembered instead
        return Event("verdict", verdict=verdict)

    def _run(self, tgt: Target) -> tuple[bool, CheckResult]:
        root = self.ws.root
        for attempt in ("warm", "cold"):
            worker = self.worker if attempt == "warm" else None
            if attempt == "warm" and worker is None:
                continue
            runner = worker.run if worker is not None else self._cold
            try:
                if tgt.brk is not None:
                    return worker is not None, run_break_check(root, tgt.brk.check_path, tgt.brk.timeout, runner)
                assert tgt.build is not None
                return worker is not None, run_validator(root, tgt.build.tests, tgt.build.timeout, runner)
            except warm.WorkerGone:
                if self._stop.is_set():
                    raise LynxError("stopped") from None
                self.worker = None
                if worker is not None:
                    worker.close()
                self._post(Event("note", message=N_("The warm helper stopped: checks run cold from now on.")))
        raise LynxError("stopped")

    def _cold(self, root: Path, argv, timeout: int, capture: bool = True):
        def started(pid: int) -> None:
            self._cold_pid = pid

        try:
            return process.run(root, argv, timeout, capture=capture, started=started)
        finally:
            self._cold_pid = None

    def _remember(self, tgt: Target, verdict: Verdict, digest: str) -> None:
        if verdict.result is None:
            return
        if tgt.brk is not None:
            session, _ = breaks.active(self.ws)
            breaks.record_check(self.ws, session, digest if verdict.passed else None)
        elif tgt.build is not None:
            builds.record_check(self.ws, builds.require_active(self.ws), tgt.build, verdict.result, digest)


def _rel(root: Path, path: str) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path
