"""Build challenges as use cases: write a piece of minimodel yourself, checked by a pytest validator.

`lynx build 13` applies the challenge's stub patch on a branch of its own (a session, exactly like a
break), `--check` runs the validator against the learner's code and records the result, and after it
passes three conceptual questions are asked. `lynx done` / `lynx abort` end it through
:class:`BuildActivity`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lynx.activities import branch
from lynx.activities.checks import CheckResult, files_digest, run_validator
from lynx.content import challenge
from lynx.content.challenge import Build
from lynx.content.fields import text
from lynx.core import clock, lock
from lynx.core.errors import LynxError
from lynx.learner import active_session, notes, progress
from lynx.learner.active_session import BuildAnswer, CheckRecord, Session
from lynx.learner.progress import BuildSession
from lynx.learner.workspace import Workspace


def load(ws: Workspace, phase_id: str) -> Build:
    return challenge.load(ws.course, phase_id)


def active_build(ws: Workspace) -> Session | None:
    session = active_session.load(ws.state_dir)
    return session if session is not None and session.kind == "build" else None


def begin(ws: Workspace, b: Build, reference: bool) -> Session:
    """Apply the stub on `lynx/build/<id>` (the learner's branch keeps their working code)."""
    from lynx.vcs.repo import open_repo

    with lock.held(ws.state_dir), open_repo(ws.root) as repo:
        home, _ = branch.preflight(ws, repo, list(b.files), b.stub, reference, label=f"build {b.id}")
        with branch.Undo(repo, list(b.files)) as undo:
            session = branch.start(ws, repo, kind="build", item_id=b.id, phase=b.phase, title=text(b.title, "en"),
                                   files=list(b.files), patch=b.stub, fix_patch=None, reference=reference, home=home,
                                   notes_changed=False, undo=undo)
            data = progress.load(ws.learner_dir, ws.learner)
            data.build(b.id).started = session.started
            progress.save(ws.learner_dir, data)
    return session


@dataclass(frozen=True)
class Checked:
    build: Build
    result: CheckResult
    session: Session


def require_active(ws: Workspace, what: str | None = None) -> Session:
    """The active build, ready to be checked; a clear error when there is none (or it was interrupted)."""
    session = active_build(ws)
    if session is None:
        raise LynxError("no build challenge is active", "start one with `lynx build 13`")
    if not session.active:
        raise LynxError(f"build {session.id} was interrupted while starting", "run `lynx abort`, then start it again")
    if what is not None:
        from lynx.vcs.repo import open_repo

        with open_repo(ws.root) as repo:
            branch.require_on_branch(repo, session, what)
    return session


def check(ws: Workspace) -> Checked:
    """Run the validator on the active build and record the result (state and progress)."""
    session = active_build(ws)
    session = require_active(ws, f"`lynx build {session.id} --check`" if session else None)
    b = load(ws, session.phase)
    digest = files_digest(ws.root, b.files)
    result = run_validator(ws.root, b.tests, b.timeout)
    return Checked(b, result, record_check(ws, session, b, result, digest))


def record_check(ws: Workspace, session: Session, b: Build, result: CheckResult, digest: str) -> Session:
    """Keep a validator run (`--check` or `lynx watch`) in the session and in progress; ``digest``: of the
    code it ran on (`lynx done` needs the last run to have passed on the code as it is)."""
    summary = result.summary()
    record = CheckRecord(at=clock.stamp(), passed=summary["passed"], total=summary["total"], failed=summary["failed"],
                         first_failure=summary["first_failure"], digest=digest)
    with lock.held(ws.state_dir):
        session = active_build(ws) or session
        session.check, session.checks = record, session.checks + 1
        active_session.save(ws.state_dir, session)
        data = progress.load(ws.learner_dir, ws.learner)
        entry = data.build(b.id)
        entry.last_check, entry.checks = record.public(), entry.checks + 1
        progress.save(ws.learner_dir, data)
    return session


def require_questions_allowed(session: Session) -> None:
    if not (session.check and session.check.passed):
        raise LynxError(f"the questions come after the validator passes (last check: "
                        f"{'failed' if session.check else 'none yet'})", f"run `lynx build {session.id} --check` first",
                        code=1)


def save_answers(ws: Workspace, answers: list[BuildAnswer]) -> None:
    """Keep the conceptual answers in the session: `lynx done` writes them to the notes."""
    with lock.held(ws.state_dir):
        session = active_build(ws)
        if session is not None:
            session.answers = answers
            active_session.save(ws.state_dir, session)


class BuildActivity:
    """A build as an activity: `done` needs the last --check to have passed on the code as it is now."""

    kind = "build"
    asks_calibration = False

    def require_finishable(self, ws: Workspace, session: Session) -> None:
        last = session.check
        cmd = f"lynx build {session.id} --check"
        if not last:
            raise LynxError(f"build {session.id} has not been checked yet", f"run `{cmd}` first", code=1)
        if not last.passed:
            raise LynxError(f"the last `{cmd}` failed ({last.failed} of {last.total} tests)",
                            f"fix your code and run `{cmd}` again, or leave with `lynx abort`", code=1)
        b = load(ws, session.phase)
        if files_digest(ws.root, b.files) != last.digest:
            raise LynxError(f"{', '.join(b.files)} changed since the last passing check", f"run `{cmd}` again", code=1)

    def outcome(self, session: Session) -> str:
        return "passed"

    def patches(self, ws: Workspace, session: Session) -> tuple[Path, Path | None]:
        return load(ws, session.id).stub, None

    def recap(self, ws: Workspace, session: Session, lang: str) -> None:
        return None  # a build's answers go to its notes; it has no hidden cause to reveal

    def record(self, ws: Workspace, session: Session, outcome: str, calibration: str | None, lang: str) -> None:
        """Write the result into progress.json (`builds`) and the answers into phase-NN/notes/build.md."""
        last = session.check
        passed = outcome != "aborted" and bool(last and last.passed)
        data = progress.load(ws.learner_dir, ws.learner)
        entry = data.build(session.id)
        entry.passed = entry.passed or passed  # an abort later never undoes a pass
        if passed:
            entry.at = clock.stamp()
        entry.sessions.append(BuildSession(
            started=session.started, ended=clock.stamp(), outcome="passed" if passed else outcome,
            checks=session.checks, branch=session.branch, last_check=last.public() if last else None,
            answers=[{"id": a.id, "correct": a.correct} for a in session.answers],
            extra={"commit": c} if (c := branch.branch_tip(ws, session.branch)) else {}))
        progress.save(ws.learner_dir, data)
        tests = f"{last.total - last.failed}/{last.total}" if last else ""
        notes.write_build(ws, session.phase, session.id, session.title, "passed" if passed else outcome, tests,
                          session.branch, [(a.id, a.topic, a.prompt, a.answer, a.correct) for a in session.answers])
