"""The break loop's use cases: pick a break, prepare and begin it, hint, run, check, see or apply the fix.

A break begins in two steps so that nothing is asked inside a git transaction: :func:`prepare`
checks everything read-only and returns a plan; the command then shows the break and asks the
prediction; :func:`begin` writes the prediction into the notes and runs git.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lynx.activities import branch
from lynx.activities.checks import run_check
from lynx.content.breaks import Break
from lynx.content.course import resolve_break_id
from lynx.content.fields import text
from lynx.core import clock, lock, process
from lynx.core.errors import LynxError
from lynx.learner import active_session, notes, progress
from lynx.learner.active_session import Session
from lynx.learner.progress import BreakAttempt
from lynx.learner.workspace import Workspace


def pick(ws: Workspace, phase_arg: str, which: str | None) -> Break:
    """`lynx break 13` → the next unfinished break of phase 13; `13 00` / `13-00` → that one."""
    pid, bid = resolve_break_id(phase_arg, which)
    course = ws.course
    phase = course.phase(pid)
    if bid is not None:
        if bid not in phase.breaks:
            raise LynxError(f"phase {pid} has no break {bid!r} (it has {', '.join(phase.breaks) or 'none'})",
                            f"run `lynx break {pid}` to take the next one")
        return course.brk(bid)
    if not phase.breaks:
        raise LynxError(f"phase {pid} has no breaks yet", "run `lynx phases` to see which phases have breaks")
    data = progress.load(ws.learner_dir, ws.learner)
    for b in phase.breaks:
        if not data.is_done(b):
            return course.brk(b)
    raise LynxError(f"every break of phase {pid} is done ({', '.join(phase.breaks)})",
                    f"redo one with `lynx break {phase.breaks[0]}`, or go on to the next phase (`lynx phases`)")


@dataclass(frozen=True)
class BreakPlan:
    """A break that can begin: everything checked, nothing changed yet."""

    brk: Break
    home: str        # the learner's branch
    base: str        # its commit when the checks ran
    reference: bool
    notes: Path      # where the prediction will be written


def prepare(ws: Workspace, b: Break, reference: bool) -> BreakPlan:
    """Every check `begin` needs, read-only, before the learner is asked anything."""
    from lynx.core.files import require_utf8
    from lynx.vcs.repo import open_repo

    # Under the lock, briefly: a command that is changing the workspace right now is named, not raced.
    with lock.held(ws.state_dir), open_repo(ws.root) as repo:
        home, base = branch.preflight(ws, repo, b.files, b.patch, reference, f"break {b.id}")
    path = notes.breaks_path(ws, b.phase)
    require_utf8(path)  # a notes file lynx could not append to must stop us before the prediction
    return BreakPlan(b, home, base, reference, path)


def begin(ws: Workspace, plan: BreakPlan, prediction: str | None, lang: str) -> Session:
    """Write the prediction into the notes and the attempt into progress, then apply the break on its branch."""
    from lynx.vcs.repo import open_repo

    b = plan.brk
    with lock.held(ws.state_dir), open_repo(ws.root) as repo:
        branch.recheck(ws, repo, b.files, plan.home, plan.base, f"break {b.id}")
        notes.write_prediction(ws, b.phase, b.id, text(b.title, lang), prediction)
        data = progress.load(ws.learner_dir, ws.learner)
        record = data.brk(b.id)
        record.attempts.append(BreakAttempt(started=clock.stamp(), prediction=prediction, hints=record.hints))
        progress.save(ws.learner_dir, data)
        return branch.start(ws, repo, kind="break", item_id=b.id, phase=b.phase, title=text(b.title, "en"),
                            files=b.files, patch=b.patch, fix_patch=b.fix_patch, reference=plan.reference,
                            home=plan.home, notes_changed=True, folder=b.dir.name)


def active(ws: Workspace) -> tuple[Session, Break]:
    """The active session and its break; a clear error when no break is active and ready."""
    session = active_session.load(ws.state_dir)
    if session is None:
        raise LynxError("no break is active", "start one with `lynx break 13`")
    if session.kind != "break":
        raise LynxError(f"the active session is a {session.kind} ({session.id}), not a break",
                        f"use `lynx {session.kind} --check`, `lynx done` or `lynx abort`")
    if not session.active:
        doing = "starting" if session.stage == active_session.STARTING else "ending"
        raise LynxError(f"break {session.id} was interrupted while {doing}", "run `lynx recover`")
    return session, ws.course.brk(session.id, session.dir)


@dataclass
class HintResult:
    number: int          # 1-based number of the hint shown (0: none left to show)
    total: int
    texts: list[str]     # the hints to print
    last: bool           # no hint left after these


def next_hint(ws: Workspace, lang: str, show_all: bool = False) -> HintResult:
    session, b = active(ws)
    total = len(b.hints)
    if show_all:
        shown = min(progress.load(ws.learner_dir, ws.learner).hints(b.id), total)
        return HintResult(shown, total, [text(h, lang) for h in b.hints[:shown]], shown >= total)
    with lock.held(ws.state_dir):  # read-change-write: never beside another writer
        data = progress.load(ws.learner_dir, ws.learner)
        record = data.brk(b.id)
        shown = min(record.hints, total)
        if shown >= total:
            return HintResult(0, total, [], True)
        record.hints = shown + 1
        progress.save(ws.learner_dir, data)
    return HintResult(shown + 1, total, [text(b.hints[shown], lang)], shown + 1 >= total)


def run_observe(ws: Workspace) -> int:
    """Run the break's observation program on the learner's code; its exit status."""
    _, b = active(ws)
    return process.run(ws.root, b.observe, b.timeout).returncode


def check(ws: Workspace, capture: bool) -> tuple[bool, str]:
    """The break's check on the learner's code: (passed, pytest's output when captured)."""
    _, b = active(ws)
    return run_check(ws.root, b.check_path, b.timeout, capture)


def fix_diff(ws: Workspace) -> str:
    """What is left to change, as a diff from the learner's files to the fixed ones; marks the diff seen."""
    from lynx.vcs.repo import open_repo

    session, _ = active(ws)
    with open_repo(ws.root) as repo:
        diff = repo.diff_to_tree(session.fixed_tree, session.files)
    if not session.diff_shown:
        with lock.held(ws.state_dir):
            session = active_session.load(ws.state_dir) or session
            session.diff_shown = True
            active_session.save(ws.state_dir, session)
    return diff


def fix_apply(ws: Workspace) -> bool:
    """Restore the fixed version of the patched files, after saving the learner's attempt. False if nothing to do."""
    from lynx.vcs.repo import open_repo

    with lock.held(ws.state_dir), open_repo(ws.root) as repo:
        session, b = active(ws)  # read under the lock: another writer may be changing it
        branch.require_on_branch(repo, session, "`lynx fix --apply`")
        branch.save_work(repo, session, "saved before fix --apply")
        changed = repo.differs(session.fixed_tree, session.files)
        if changed:
            repo.restore_from(session.fixed_tree, session.files)
            repo.commit_paths(session.files, f"lynx: solution of break {b.id} applied")
        session.fix_applied = True
        active_session.save(ws.state_dir, session)
    return changed


class BreakActivity:
    """A break as an activity: `done` needs its check to pass; the outcome goes into progress and notes."""

    kind = "break"
    asks_calibration = True

    def require_finishable(self, ws: Workspace, session: Session) -> None:
        _, b = active(ws)  # interrupted while starting: the same error as `lynx check`
        ok, output = run_check(ws.root, b.check_path, b.timeout, capture=True)
        if not ok:
            tail = "\n".join(output.strip().splitlines()[-3:])
            raise NotFinished(tail, LynxError(f"break {b.id} is not fixed yet: its check fails",
                                              "keep going (`lynx hint`), or `lynx fix --apply` to see the solution",
                                              code=1))

    def outcome(self, session: Session) -> str:
        return "solution" if session.fix_applied else "fixed"

    def patches(self, ws: Workspace, session: Session) -> tuple[Path, Path | None]:
        b = ws.course.brk(session.id, session.dir)
        return b.patch, b.fix_patch

    def record(self, ws: Workspace, session: Session, outcome: str, calibration: str | None) -> None:
        b = ws.course.brk(session.id, session.dir)
        data = progress.load(ws.learner_dir, ws.learner)
        record = data.brk(b.id)
        if any(a.branch == session.branch and a.outcome for a in record.attempts):
            return  # recorded before an interruption: never twice
        attempt = record.open_attempt
        if attempt is None:
            attempt = BreakAttempt(started=session.started)
            record.attempts.append(attempt)
        attempt.ended, attempt.outcome = clock.stamp(), outcome
        attempt.hints, attempt.calibration = min(record.hints, len(b.hints)), calibration
        attempt.diff_shown, attempt.branch = session.diff_shown, session.branch
        commit = branch.branch_tip(ws, session.branch)  # the code this outcome is about (`lynx verify`)
        if commit:
            attempt.extra["commit"] = commit
        progress.save(ws.learner_dir, data)
        notes.write_outcome(ws, b.phase, b.id, outcome, attempt.hints, len(b.hints), calibration, session.diff_shown)


class NotFinished(Exception):
    """`lynx done` before the check passes: ``output`` is what to show, ``error`` the line to end with."""

    def __init__(self, output: str, error: LynxError) -> None:
        super().__init__(error.message)
        self.output, self.error = output, error
