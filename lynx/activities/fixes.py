"""The fix of the active break: what is left to change as a diff, and applying it for a learner who gives up
(their attempt is committed on the branch first, and the break is recorded as solved with the solution shown)."""

from __future__ import annotations

from dataclasses import dataclass

from lynx.activities import branch
from lynx.activities.breaks import active, fixed_now
from lynx.core import lock
from lynx.learner import active_session
from lynx.learner.workspace import Workspace


@dataclass(frozen=True)
class FixDiff:
    diff: str     # from the learner's files to the fixed ones (applies with `git apply`)
    fixed: bool   # the check passed on the files as they are now


def fix_diff(ws: Workspace) -> FixDiff:
    """What is left to change, as a diff from the learner's files to the fixed ones; marks the diff seen."""
    from lynx.vcs.repo import open_repo

    session, b = active(ws)
    with open_repo(ws.root) as repo:
        diff = repo.diff_to_tree(session.fixed_tree, session.files)
    fixed = fixed_now(ws, session, b)
    if not session.diff_shown:
        with lock.held(ws.state_dir):
            session = active_session.load(ws.state_dir) or session
            session.diff_shown = True
            active_session.save(ws.state_dir, session)
    return FixDiff(diff, fixed)


def fix_apply(ws: Workspace) -> str:
    """Restore the fixed version of the patched files, after saving the learner's attempt; returns the diff it
    applied ('' when the files matched the fix already)."""
    from lynx.vcs.repo import open_repo

    with lock.held(ws.state_dir), open_repo(ws.root) as repo:
        session, b = active(ws)  # read under the lock: another writer may be changing it
        repo.require_idle()
        branch.require_on_branch(repo, session, "`lynx fix --apply`")
        branch.save_work(repo, session, "saved before fix --apply")
        with branch.Undo(repo, session.files):  # the solution is applied and recorded, or not at all
            applied = repo.diff_to_tree(session.fixed_tree, session.files) if repo.differs(session.fixed_tree, session.files) else ""
            if applied:
                repo.restore_from(session.fixed_tree, session.files)
                repo.commit_paths(session.files, f"lynx: solution of break {b.id} applied")
            session.fix_applied = True
            active_session.save(ws.state_dir, session)
    return applied
