"""The git side of a session: a break (or a build's stub) applied on a branch of its own, and the way back.

Start: the learner's notes are committed on their branch, a branch `lynx/<kind>/<id>` is made
from it, the patch is applied and committed there (only the patched files). Finish (`done`/`abort`):
the learner's work on the patched files is committed on that branch, lynx switches back, and the
notes and progress written meanwhile are committed on the learner's branch. Nothing the learner
wrote is ever discarded: unrelated staged, unstaged and untracked work rides along untouched.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable, Sequence

from lynx.content.course import bundled
from lynx.core import clock
from lynx.core.errors import LynxError
from lynx.core.files import Journal, Room
from lynx.learner import active_session
from lynx.learner.active_session import ACTIVE, ENDING, STARTING, Session
from lynx.learner.workspace import Workspace
from lynx.vcs.repo import Repo


def learner_paths(ws: Workspace) -> list[str]:
    """The learner's folder, committed by lynx on the learner's branch (never in a break commit)."""
    return [str(ws.learner_dir.relative_to(ws.root))]


def branch_tip(ws: Workspace, name: str | None) -> str | None:
    """The commit branch ``name`` points at, read from the repository's files (no git process): what
    `done` records as the code of a break or build, for `lynx verify`."""
    from lynx.vcs.refs import local_heads

    found = local_heads(ws.root) if name else None
    return found[0].get(name) if found else None


def refuse_if_active(ws: Workspace) -> None:
    current = active_session.load(ws.state_dir)
    if current is not None:
        raise LynxError(f"{current.kind} {current.id} is still active (on branch {current.branch})",
                        "finish it with `lynx done` or leave it with `lynx abort`")


def preflight(ws: Workspace, repo: Repo, files: Sequence[str], patch: Path, reference: bool, label: str) -> tuple[str, str]:
    """Check everything before asking anything: returns the learner's branch (home) and its commit."""
    refuse_if_active(ws)
    repo.require_idle()
    home = repo.branch()
    if home is None or home.startswith("lynx/"):
        raise LynxError(f"you are on lynx's branch {home}, not your own", "switch to your branch, e.g. `git switch main`")
    base = repo.head()
    for rel in files:
        p = ws.root / rel
        if p.is_symlink() or not _inside(p, ws.root / "src"):
            raise LynxError(f"{rel} is a symlink or leaves src/", "lynx only patches regular files under src/")
    _refuse_dirty(repo, files, label)
    if not reference:
        reason = repo.apply_check(patch)
        if reason:
            raise LynxError(
                f"{label} does not apply to your code ({reason}): your {', '.join(files)} differs from the reference",
                "add `--reference` to apply it on top of the reference version of those files instead",
            )
    return home, base


def recheck(ws: Workspace, repo: Repo, files: Sequence[str], home: str, base: str, label: str) -> None:
    """Right before changing anything: what :func:`preflight` saw still holds (time passed while the
    learner wrote a prediction; another terminal may have moved on)."""
    refuse_if_active(ws)
    repo.require_idle()
    if repo.branch() != home or repo.head() != base:
        raise LynxError(f"your branch moved while {label} was being prepared", "run the command again")
    _refuse_dirty(repo, files, label)


def _refuse_dirty(repo: Repo, files: Sequence[str], label: str) -> None:
    dirty = repo.dirty(files)
    if dirty:
        raise LynxError(
            f"{', '.join(dirty)} has uncommitted changes that {label} would overwrite",
            "commit them (`git commit -am \"my work\"`) or stash them (`git stash`), then run the command again",
        )


class Undo:
    """``with Undo(repo, files) as undo: ... start(..., undo=undo)``: a start that fails anywhere inside (a full
    disk, an I/O error, git refusing, Ctrl-C) is undone whole — the notes and progress lynx wrote, its commit
    of the notes, the branch it made, the state file, the index — so the workspace is as it was. When the undo
    itself cannot finish, the state file says "starting" and `lynx recover` ends the job."""

    def __init__(self, repo: Repo, files: Sequence[str]) -> None:
        self.repo, self.files = repo, list(files)
        self.drop: str | None = None  # the branch this start made
        self.journal = Journal()

    def __enter__(self) -> "Undo":
        self.snap = self.repo.snapshot()
        # Room for the undo to write the index (twice: checkout, then the index itself), the files and the
        # notes back (a generous MiB) if the disk fills up meanwhile.
        self.room = Room(Path(self.repo.r.git_dir) / "lynx-undo-room", 2 * len(self.snap.index or b"") + (1 << 20))
        self.room.take()
        self.journal.__enter__()
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        self.journal.__exit__(kind, exc, tb)
        self.room.give()
        if kind is not None and self.repo.rollback(self.snap, self.files, self.drop):
            self.journal.undo()
        return False


def start(ws: Workspace, repo: Repo, *, kind: str, item_id: str, phase: str, title: str, files: Sequence[str],
          patch: Path, fix_patch: Path | None, reference: bool, home: str, notes_changed: bool,
          folder: str | None = None, undo: Undo | None = None) -> Session:
    """Apply ``patch`` on a new branch `lynx/<kind>/<id>` and record the session in `.lynx/state.json`.

    ``notes_changed``: the caller has just written the learner's notes (they are committed without asking
    git first). ``folder``: the content folder's name (`13-00-tied-vocab`), so later commands find it directly.
    ``undo``: the caller's :class:`Undo` (it learns the branch's name); without one, a failure while applying
    is undone here.
    """
    message = f"lynx: notes before {kind} {item_id}"
    if notes_changed:
        repo.add_and_commit(learner_paths(ws), message)
    else:
        repo.commit_only(learner_paths(ws), message)
    base = repo.head()
    branch = _free_branch(repo, f"lynx/{kind}/{item_id}")
    if undo is not None:
        undo.drop = branch
    session = Session(kind=kind, id=item_id, phase=phase, title=title, branch=branch, home=home, base=base,
                      files=list(files), reference=reference, started=clock.stamp(), learner=ws.learner,
                      stage=STARTING, dir=folder)
    active_session.save(ws.state_dir, session)
    repo.new_branch(branch, base)
    try:
        if reference:
            _write_reference(ws, files)
        repo.apply(patch)
        repo.commit_paths(files, f"lynx: {kind} {item_id} — {title}")
    except BaseException:
        if undo is None:
            _undo_start(ws, repo, session)
        raise
    session.commit = repo.head()
    if fix_patch is None and not reference:
        # The break commit is `base` plus the patch on exactly these files (they were clean), so undoing the
        # patch gives base's version of them: no tree to build (4 git processes, each reading the index).
        session.fixed_tree = base
    else:
        session.fixed_tree = repo.tree_with(session.commit, fix_patch or patch, reverse=fix_patch is None)
    session.stage = ACTIVE
    active_session.save(ws.state_dir, session)
    return session


def _undo_start(ws: Workspace, repo: Repo, session: Session) -> None:
    """A start that failed half-way: put the patched files back, return home, forget the branch."""
    repo.restore_head(session.files)
    repo.switch(session.home)
    if repo.branch() == session.home:
        repo.delete_branch(session.branch)
        active_session.clear(ws.state_dir)


def _write_reference(ws: Workspace, files: Sequence[str]) -> None:
    ref_root = bundled()
    for rel in files:
        src = ref_root / rel
        if not src.is_file():
            raise LynxError(f"the reference version of {rel} is missing from the bundled course", "reinstall lynx")
        shutil.copyfile(src, ws.root / rel)


def _free_branch(repo: Repo, name: str) -> str:
    if not repo.branch_exists(name):
        return name
    n = 2
    while repo.branch_exists(f"{name}-{n}"):
        n += 1
    return f"{name}-{n}"


def _under(rel: str, folders: Sequence[str]) -> bool:
    return any(rel == f or rel.startswith(f.rstrip("/") + "/") for f in folders)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def require_on_branch(repo: Repo, session: Session, doing: str) -> None:
    current = repo.branch()
    if current != session.branch:
        raise LynxError(
            f"{session.kind} {session.id} lives on branch {session.branch}, but you are on {current or 'a detached HEAD'}",
            f"`git switch {session.branch}` first, then {doing}",
        )


def save_work(repo: Repo, session: Session, why: str, changes: list[tuple[str, str]] | None = None) -> bool:
    """Commit the learner's edits to the patched files on the session branch, so nothing is lost."""
    return repo.commit_only(session.files, f"lynx: your work on {session.kind} {session.id} ({why})", changes)


def finish(ws: Workspace, repo: Repo, session: Session, why: str, record: Callable[[], None]) -> None:
    """Leave the session: save the learner's work on its branch, go home, ``record()`` the outcome in the
    learner's files, commit them there.

    Each step can be interrupted: the state says "ending" from the first write on, and running this
    again (`lynx recover`, `lynx done`, `lynx abort`) picks up where it stopped.
    """
    if repo.in_progress():  # a rebase detaches HEAD: name the rebase, not the detached HEAD
        repo.require_idle()
    if session.stage != ENDING:
        require_on_branch(repo, session, "`lynx done`" if why == "done" else "`lynx abort`")
    repo.require_idle()  # before anything changes, "ending" included
    if session.stage != ENDING:
        session.stage = ENDING
        active_session.save(ws.state_dir, session)
    if repo.branch() == session.branch:
        mine = learner_paths(ws)
        # One `git status` for both groups of paths (the patched files, the learner's folder).
        changes = repo.changes([*session.files, *mine])
        own = [c for c in changes if _under(c[1], mine)]
        save_work(repo, session, why, [c for c in changes if c not in own])
        # The learner's folder is committed on the session branch, then the same folder is committed on
        # home too (plumbing, nothing checked out): the switch then leaves it untouched, and a kill at any
        # point finds the notes either in the working tree or in a commit.
        repo.commit_only(mine, f"lynx: notes during {session.kind} {session.id}", own)
        repo.copy_subtree(session.home, session.branch, mine[0], f"lynx: notes from {session.kind} {session.id}")
        reason = repo.switch(session.home)
        if reason:
            raise LynxError(f"cannot switch back to {session.home}: {reason}",
                            "commit or stash the files git names, then run the command again; nothing was lost")
    elif repo.branch() != session.home:
        raise LynxError(f"{session.kind} {session.id} was being closed; you are on {repo.branch() or 'a detached HEAD'}",
                        f"`git switch {session.home}`, then `lynx recover`")
    with Journal() as journal:  # the outcome goes into progress, notes and card states all at once, or not at all:
        try:                     # a rerun records it again (once: record() knows it was recorded)
            record()
        except BaseException:
            journal.undo()
            raise
    repo.commit_only(learner_paths(ws), f"lynx: {session.kind} {session.id} {why}")
    active_session.clear(ws.state_dir)
