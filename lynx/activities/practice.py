"""Breaks that come back: `lynx practice` applies the next finished break that is due (FSRS, as flashcards
are) on a branch of its own, with `lynx break`'s git safety, but without its title or its card: the learner
diagnoses it from what `lynx run` shows. `hint`, `check`, `fix`, `done`, `abort` and `watch` work as for a
break; `done` rates it from what happened (lynx.activities.scheduling.practice_rating)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lynx.activities import branch
from lynx.activities.scheduling import practice_due
from lynx.core import lock
from lynx.learner.active_session import Session
from lynx.learner.workspace import Workspace

LABEL = "the practice"  # how git-safety messages name it: never the break's id or title


@dataclass(frozen=True)
class Due:
    bid: str | None              # the break to practise now, or None
    waiting: int                 # how many more are due after it
    next_at: datetime | None     # when the next one is due, when none is due now
    finished_any: bool           # whether any break was ever finished (else nothing can come back yet)


def due(ws: Workspace) -> Due:
    now_due, later = practice_due(ws)
    from lynx.learner import cardstates

    known = bool(cardstates.load(ws.learner_dir, cardstates.PRACTICE).cards)
    return Due(now_due[0] if now_due else None, max(0, len(now_due) - 1), later, known)


def begin(ws: Workspace, bid: str) -> Session:
    """Apply break ``bid`` as a practice: checks first (nothing changes when one fails), then the branch."""
    from lynx.vcs.repo import open_repo

    b = ws.course.brk(bid)
    with lock.held(ws.state_dir), open_repo(ws.root) as repo:
        home, _ = branch.preflight(ws, repo, b.files, b.patch, False, LABEL)
        with branch.Undo(repo, b.files) as undo:
            return branch.start(ws, repo, kind="practice", item_id=b.id, phase=b.phase, title="", files=b.files,
                                patch=b.patch, fix_patch=b.fix_patch, reference=False, home=home, notes_changed=False,
                                folder=b.dir.name, undo=undo)


def start_next(ws: Workspace) -> tuple[Due, Session | None]:
    """`lynx practice`: the next due break applied, or (with nothing due) when the next one will be."""
    branch.refuse_if_active(ws)
    d = due(ws)
    if d.bid is None:
        return d, None
    return d, begin(ws, d.bid)
