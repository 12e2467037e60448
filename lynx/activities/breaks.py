"""The break loop's use cases: pick a break, prepare and begin it, hint, run, check, see or apply the fix.

A break begins in two steps so that nothing is asked inside a git transaction: :func:`prepare`
checks everything read-only and returns a plan; the command then shows the break and asks the
prediction; :func:`begin` writes the prediction into the notes and runs git.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lynx.activities import branch
from lynx.activities.predictions import (Expectation, expectation_of, expected_line, measured_line,
                                         require_prediction_size, score)
from lynx.content.breaks import Break
from lynx.content.course import resolve_break_id
from lynx.content.fields import text
from lynx.core import clock, lock, process
from lynx.core.errors import LynxError
from lynx.i18n import t
from lynx.learner import active_session, notes, progress
from lynx.learner.active_session import Session
from lynx.learner.progress import BreakAttempt
from lynx.learner.workspace import Workspace

if TYPE_CHECKING:  # the checks (subprocess, pytest's JUnit) and the recap load only where used: not on `lynx hint`
    from lynx.activities.checks import CheckResult
    from lynx.activities.explaining import Explained


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
    left: str | None = None               # the branch of an attempt the learner left (aborted), to resume
    left_prediction: str | None = None    # what they predicted then


def prepare(ws: Workspace, b: Break, reference: bool) -> BreakPlan:
    """Every check `begin` needs, read-only, before the learner is asked anything."""
    from lynx.core.files import require_utf8
    from lynx.vcs.repo import open_repo

    # Under the lock, briefly: a command that is changing the workspace right now is named, not raced.
    with lock.held(ws.state_dir), open_repo(ws.root) as repo:
        home, base = branch.preflight(ws, repo, b.files, b.patch, reference, f"break {b.id}")
        record = progress.load(ws.learner_dir, ws.learner).breaks.get(b.id)
        left = next((a for a in reversed(record.attempts) if a.outcome == "aborted" and a.branch
                     and repo.branch_exists(a.branch)), None) if record and not record.done else None
    path = notes.breaks_path(ws, b.phase)
    require_utf8(path)  # a notes file lynx could not append to must stop us before the prediction
    return BreakPlan(b, home, base, reference, path, left.branch if left else None, left.prediction if left else None)


def begin(ws: Workspace, plan: BreakPlan, prediction: str | None, lang: str, resume: bool = False,
          expectation: Expectation | None = None) -> Session:
    """Write the prediction into the notes and the attempt into progress, then apply the break on its branch.

    ``resume``: continue the attempt the learner left on ``plan.left``: the break is applied afresh on a new
    branch from today's home, then their files from that attempt are put back on top (nothing of home is lost).
    """
    from lynx.vcs.repo import open_repo

    b = plan.brk
    if resume and not plan.left:
        raise LynxError(f"there is no attempt of break {b.id} to resume", f"start it with `lynx break {b.id}`")
    if resume:
        prediction = plan.left_prediction
    require_prediction_size(prediction)
    with lock.held(ws.state_dir), open_repo(ws.root) as repo:
        branch.recheck(ws, repo, b.files, plan.home, plan.base, f"break {b.id}")
        with branch.Undo(repo, b.files) as undo:
            return _begin(ws, repo, plan, prediction, lang, resume, expectation, undo)


def _begin(ws: Workspace, repo, plan: BreakPlan, prediction: str | None, lang: str, resume: bool,
           expectation: Expectation | None, undo: "branch.Undo") -> Session:
    b = plan.brk
    extra = [t("_(your attempt on {branch}, resumed)_", lang, branch=plan.left)] if resume else []
    if expectation is not None:
        extra.append(expected_line(b, expectation, lang))
    notes.write_prediction(ws, b.phase, b.id, text(b.title, lang), prediction, lang, extra)
    data = progress.load(ws.learner_dir, ws.learner)
    record = data.brk(b.id)
    record.attempts.append(BreakAttempt(
        started=clock.stamp(), prediction=prediction, hints=record.hints,
        expect=expectation.shown if expectation else None,
        confidence=expectation.confidence if expectation else None))
    progress.save(ws.learner_dir, data)
    session = branch.start(ws, repo, kind="break", item_id=b.id, phase=b.phase, title=text(b.title, "en"),
                           files=b.files, patch=b.patch, fix_patch=b.fix_patch, reference=plan.reference,
                           home=plan.home, notes_changed=True, folder=b.dir.name, undo=undo)
    if resume:
        repo.restore_from(plan.left, b.files)
        repo.commit_only(b.files, f"lynx: your attempt on break {b.id} from {plan.left}, resumed")
    return session


def reset(ws: Workspace) -> bool:
    """Put the active break's files back to their broken state, after committing the learner's attempt on the
    branch. False when they were broken already."""
    from lynx.vcs.repo import open_repo

    with lock.held(ws.state_dir), open_repo(ws.root) as repo:
        session, b = active(ws)
        repo.require_idle()
        branch.require_on_branch(repo, session, "`lynx reset`")
        branch.save_work(repo, session, "saved before reset")
        with branch.Undo(repo, session.files):  # reset and recorded, or not at all
            changed = repo.differs(session.commit, session.files)
            if changed:
                repo.restore_from(session.commit, session.files)
                repo.commit_paths(session.files, f"lynx: break {b.id} reset to its broken code (your attempt is the "
                                                 "commit before)")
            session.passed_digest = None
            active_session.save(ws.state_dir, session)
    return changed


def active(ws: Workspace) -> tuple[Session, Break]:
    """The active session and its break; a clear error when no break is active and ready."""
    session = active_session.load(ws.state_dir)
    if session is None:
        raise LynxError("no break is active", "start one with `lynx break 13`")
    if session.kind not in ("break", "practice"):
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
    kind = hint_keeper(session)
    if show_all:
        shown = min(kind.seen(ws, session, b), total)
        return HintResult(shown, total, [text(h, lang) for h in b.hints[:shown]], shown >= total)
    with lock.held(ws.state_dir):  # read-change-write: never beside another writer
        session = active_session.load(ws.state_dir) or session
        shown = min(kind.seen(ws, session, b), total)
        if shown >= total:
            return HintResult(0, total, [], True)
        kind.reveal(ws, session, b, shown + 1)
    return HintResult(shown + 1, total, [text(b.hints[shown], lang)], shown + 1 >= total)


def hint_keeper(session: Session) -> "BreakActivity":
    """Where a session's revealed hints are kept: a break's in progress (they stay revealed), a practice's in
    the session (each practice starts with none)."""
    return PracticeActivity() if session.kind == PracticeActivity.kind else BreakActivity()


@dataclass(frozen=True)
class Observed:
    brk: Break
    status: int       # the program's exit status
    output: str       # what it printed (shown as it came)


def observe_target(ws: Workspace) -> tuple[Session, Break]:
    """The session and break whose observation program `lynx run` runs (a clear error when none is active)."""
    return active(ws)


def run_observe(ws: Workspace) -> Observed:
    """Run the break's observation program on the learner's code, its output shown as it comes."""
    _, b = observe_target(ws)
    status, output = process.run_shown(ws.root, b.observe, b.timeout)
    return Observed(b, status, output)


@dataclass(frozen=True)
class Checked:
    passed: bool
    result: CheckResult | None  # test by test; None for the verbose run, whose output went to the terminal
    brk: Break


def check(ws: Workspace, verbose: bool = False) -> Checked:
    """The break's check on the learner's code; remembers a pass (for `lynx fix --show-diff`)."""
    from lynx.activities.checks import files_digest, run_break_check, run_check
    session, b = active(ws)
    if verbose:
        passed, _ = run_check(ws.root, b.check_path, b.timeout, capture=False)
        result = None
    else:
        result = run_break_check(ws.root, b.check_path, b.timeout)
        passed = result.passed
    record_check(ws, session, files_digest(ws.root, b.files) if passed else None)
    return Checked(passed, result, b)


def record_check(ws: Workspace, session: Session, passed_digest: str | None) -> None:
    """Remember a check's verdict (`check` or `lynx watch`): the digest of the code it passed on, None for a
    failure. Writes only when that changes."""
    if passed_digest != session.passed_digest:
        with lock.held(ws.state_dir):
            current = active_session.load(ws.state_dir)
            if current is None or current.branch != session.branch:
                return  # the session ended meanwhile (another terminal): nothing to remember it in
            current.passed_digest = passed_digest
            active_session.save(ws.state_dir, current)


def fixed_now(ws: Workspace, session: Session, b: Break) -> bool:
    """The check passed on the files exactly as they are now."""
    from lynx.activities.checks import files_digest
    return session.passed_digest is not None and session.passed_digest == files_digest(ws.root, b.files)


class BreakActivity:
    """A break as an activity: `done` needs its check to pass; the outcome goes into progress and notes."""

    kind = "break"
    asks_calibration = True

    def require_finishable(self, ws: Workspace, session: Session) -> None:
        from lynx.activities.checks import run_check
        _, b = active(ws)  # interrupted while starting: the same error as `lynx check`
        ok, output = run_check(ws.root, b.check_path, b.timeout, capture=True)
        if not ok:
            tail = "\n".join(output.strip().splitlines()[-3:])
            raise NotFinished(tail, LynxError(f"break {b.id} is not fixed yet: its check fails",
                                              "keep going (`lynx hint`), or `lynx fix --apply` to see the solution",
                                              code=1))

    def outcome(self, session: Session) -> str:
        return "solution" if session.fix_applied else "fixed"

    def seen(self, ws: Workspace, session: Session, b: Break) -> int:
        return progress.load(ws.learner_dir, ws.learner).hints(b.id)

    def reveal(self, ws: Workspace, session: Session, b: Break, n: int) -> None:
        data = progress.load(ws.learner_dir, ws.learner)
        data.brk(b.id).hints = n
        progress.save(ws.learner_dir, data)

    def patches(self, ws: Workspace, session: Session) -> tuple[Path, Path | None]:
        b = ws.course.brk(session.id, session.dir)
        return b.patch, b.fix_patch

    def recap(self, ws: Workspace, session: Session, lang: str) -> Explained:
        from lynx.activities.explaining import explained
        return explained(ws, ws.course.brk(session.id, session.dir), lang)

    def record(self, ws: Workspace, session: Session, outcome: str, calibration: str | None, lang: str) -> None:
        from lynx.activities.explaining import explained
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
        extra = []
        if outcome != "aborted" and attempt.expect and b.outcome:
            scored = score(b.outcome, expectation_of(b, attempt))
            attempt.measured, attempt.hit, attempt.log_error = scored.measured, scored.hit, scored.log_error
            extra.append(measured_line(b, attempt, lang))
        commit = branch.branch_tip(ws, session.branch)  # the code this outcome is about (`lynx verify`)
        if commit:
            attempt.extra["commit"] = commit
        progress.save(ws.learner_dir, data)
        recap = None if outcome == "aborted" else explained(ws, b, lang).recap  # an abort keeps the surprise
        notes.write_outcome(ws, b.phase, b.id, outcome, attempt.hints, len(b.hints), calibration, session.diff_shown,
                            lang, recap, extra)
        if outcome != "aborted":
            from lynx.activities.scheduling import rate_practice

            rate_practice(ws, session, len(b.hints))  # a finished break comes back later (lynx practice)


class NotFinished(Exception):
    """`lynx done` before the check passes: ``output`` is what to show, ``error`` the line to end with."""

    def __init__(self, output: str, error: LynxError) -> None:
        super().__init__(error.message)
        self.output, self.error = output, error


class PracticeActivity(BreakActivity):
    """A finished break that came back (`lynx practice`): applied without its card, its hints counted afresh,
    and rated for the next time from what happened (lynx.activities.practice)."""

    kind = "practice"
    asks_calibration = False

    def seen(self, ws: Workspace, session: Session, b: Break) -> int:
        return session.hints

    def reveal(self, ws: Workspace, session: Session, b: Break, n: int) -> None:
        session.hints = n
        active_session.save(ws.state_dir, session)

    def record(self, ws: Workspace, session: Session, outcome: str, calibration: str | None, lang: str) -> None:
        from lynx.activities.scheduling import rate_practice

        if outcome == "aborted":
            return  # left unfinished: it stays due as it was
        b = ws.course.brk(session.id, session.dir)
        rating = rate_practice(ws, session, len(b.hints))
        notes.write_practice(ws, b.phase, b.id, outcome, session.hints, len(b.hints), rating, lang)
