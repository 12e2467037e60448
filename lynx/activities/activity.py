"""What a break and a build have in common, so `done`, `abort`, `check` and `recover` never ask which it is.

An activity is a kind of session (``Session.kind``): how it is checked before `done`, what its
outcome is, what its patches are (for `recover`), and how its end is recorded in the learner's files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from lynx.core.errors import LynxError
from lynx.learner.active_session import Session
from lynx.learner.workspace import Workspace


class Activity(Protocol):
    kind: str
    asks_calibration: bool  # `done` asks whether the prediction was right

    def require_finishable(self, ws: Workspace, session: Session) -> None:
        """Raise (exit 1) unless the session may end as done: a break's check passes, a build's validator passed."""

    def outcome(self, session: Session) -> str:
        """The outcome `done` records: fixed, or solution when the fix was applied."""

    def patches(self, ws: Workspace, session: Session) -> tuple[Path, Path | None]:
        """The patch the session applied and its fix patch (None: the patch reversed)."""

    def recap(self, ws: Workspace, session: Session, lang: str) -> object | None:
        """What `done` shows before it asks (a break's prediction, what happened, cause and why), or None."""

    def record(self, ws: Workspace, session: Session, outcome: str, calibration: str | None, lang: str) -> None:
        """Write the end into progress and notes in ``lang`` (called once, on the learner's branch)."""


def of(session: Session) -> Activity:
    from lynx.activities.breaks import BreakActivity, PracticeActivity
    from lynx.activities.builds import BuildActivity

    for activity in (BreakActivity(), PracticeActivity(), BuildActivity()):
        if activity.kind == session.kind:
            return activity
    raise LynxError(f"the active session is of an unknown kind {session.kind!r}", "run `lynx recover`")
