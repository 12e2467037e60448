"""Ending a session: `lynx done` (after its check passes) and `lynx abort`, resumable after a kill.

`done` is two steps, so the calibration question is never asked inside the git transaction:
:func:`ready` checks, read-only, that the session may end; the command asks; :func:`finish` records
and goes home. A `done` or `abort` that was interrupted (stage "ending") is finished with the
outcome it started with, by the next `done`, `abort` or `recover`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lynx.activities import activity as activities
from lynx.activities import branch
from lynx.core import lock
from lynx.core.errors import LynxError
from lynx.learner import active_session
from lynx.learner.active_session import Session
from lynx.learner.workspace import Workspace

CALIBRATIONS = ("y", "partly", "n")


def normalise_calibration(answer: str) -> str | None:
    """y, partly or n from what a learner types (yes, sí, p, no...); None when it is none of them."""
    a = answer.strip().lower()
    if a in ("y", "yes", "s", "si", "sí", "right"):
        return "y"
    if a in ("p", "partly", "partially", "parcialmente", "part"):
        return "partly"
    if a in ("n", "no", "wrong"):
        return "n"
    return None


@dataclass(frozen=True)
class Ready:
    session: Session
    interrupted: bool        # an earlier done/abort stopped half-way: finish it, ask nothing
    asks_calibration: bool
    outcome: str
    recap: object | None = None  # what to show before asking (a break's Explained)


def ready(ws: Workspace, lang: str = "en") -> Ready:
    """Whether the active session may end as done (raises, exit 1, when its check does not pass)."""
    session = active_session.load(ws.state_dir)
    if session is None:
        raise LynxError("nothing is active", "start a break with `lynx break 13`")
    from lynx.vcs.repo import open_repo

    with open_repo(ws.root) as repo:  # said first, before a check that takes seconds
        if repo.in_progress():  # a rebase detaches HEAD: name the rebase
            repo.require_idle()
        if not session.ending:
            branch.require_on_branch(repo, session, "`lynx done`")
        repo.require_idle()
    activity = activities.of(session)
    if session.ending:
        return Ready(session, True, False, session.outcome or "fixed")
    activity.require_finishable(ws, session)
    return Ready(session, False, activity.asks_calibration, activity.outcome(session), activity.recap(ws, session, lang))


@dataclass(frozen=True)
class Ended:
    session: Session
    outcome: str
    next: object | None = None  # the next step (lynx.activities.status.NextStep)


def finish(ws: Workspace, outcome: str | None, calibration: str | None, lang: str | None = None) -> Ended:
    """Record the outcome (fixed / solution / aborted) and return to the learner's branch."""
    from lynx.vcs.repo import open_repo

    with lock.held(ws.state_dir), open_repo(ws.root) as repo:
        session = active_session.load(ws.state_dir)
        if session is None:
            raise LynxError("nothing is active", "start a break with `lynx break 13`")
        if session.ending:
            outcome, calibration = session.outcome, session.calibration
        else:
            session.outcome, session.calibration = outcome, calibration
        activity = activities.of(session)
        final = outcome or "fixed"
        branch.finish(ws, repo, session, "done" if final != "aborted" else "aborted",
                      lambda: activity.record(ws, session, final, calibration, lang or ws.lang))
    return Ended(session, final, None if final == "aborted" else _next_step(ws, session, lang or ws.lang))


def abort(ws: Workspace, lang: str | None = None) -> Ended:
    return finish(ws, "aborted", None, lang)


def _next_step(ws: Workspace, session: Session, lang: str):
    """What to do after this session: the next thing of its phase not done yet, else of the phase after it.
    Two phases read, whatever the size of the course."""
    from lynx.activities import status

    try:
        ids = ws.course.phase_ids()
        after = ids[ids.index(session.phase) + 1:][:1] if session.phase in ids else []
        return status.next_step(None, status.phase_rows(ws, lang, only=[session.phase, *after]))
    except LynxError:
        return None
