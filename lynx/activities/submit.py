"""The learner hands in: lynx commits its own files (after a quiz, a card session, a practice, as it does
for breaks), and `lynx submit` pushes the learner's branch and every lynx break and build branch (where
the learner's fixes live) to the remote named in lynx.toml (``remote = "origin"`` under ``[workspace]``).

Only lynx's files are ever committed (``learners/<name>/``, `git commit --only`), never the learner's
staged work; a push is never forced, and a failing push changes nothing: the work stays committed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lynx.activities.branch import learner_paths
from lynx.core import lock
from lynx.core.errors import LynxError
from lynx.learner import active_session
from lynx.learner.workspace import Workspace

REMOTE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
PUSH_TIMEOUT = 120.0  # seconds
CODE_BRANCHES = ("lynx/break/", "lynx/build/")


@dataclass(frozen=True)
class NotCommitted:
    """Why lynx's own files stayed uncommitted (they are saved; nothing is lost or staged)."""
    why: str
    os_error: bool = False  # the disk or the file system failed: exit 2, as every OS error does


def commit_own_files(ws: Workspace, why: str) -> NotCommitted | None:
    """Commit what lynx wrote under ``learners/<name>/`` ("lynx: <why>"); None when it is committed (or
    there was nothing to commit), else why it could not be (the files stay as they are, nothing is lost)."""
    from lynx.vcs import refs
    from lynx.vcs.repo import open_repo

    if refs.git_dir(ws.root) is None:
        return None  # not a repository: nothing to commit into (a copied workspace)
    try:
        with lock.held(ws.state_dir, wait=10.0), open_repo(ws.root) as repo:
            busy = repo.in_progress()
            if busy:
                return NotCommitted(f"git is in the middle of {busy}")
            if repo.branch() is None:
                return NotCommitted("HEAD is detached")
            repo.commit_only(learner_paths(ws), f"lynx: {why}")
    except LynxError as exc:
        return NotCommitted(exc.message)
    except OSError as exc:  # a full disk, say: the files stay as they are, nothing is staged
        return NotCommitted(f"{exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}", os_error=True)
    return None


@dataclass
class Submitted:
    remote: str
    url: str
    branches: list[str] = field(default_factory=list)
    committed_note: NotCommitted | None = None   # why lynx's files could not be committed first, if they could not


def remote_name(ws: Workspace, override: str | None) -> str:
    name = override or ws.config.get("remote", "origin")
    if not isinstance(name, str) or not REMOTE_RE.match(name):
        raise LynxError(f"lynx.toml: remote = {name!r} is not a remote name",
                        'set `remote = "origin"` under [workspace] (a name from `git remote -v`)')
    return name


def submit(ws: Workspace, remote: str | None = None, timeout: float = PUSH_TIMEOUT) -> Submitted:
    """Commit lynx's files, then push the learner's branch and every lynx break and build branch."""
    from lynx.vcs.repo import open_repo

    name = remote_name(ws, remote)
    note = commit_own_files(ws, "submit")
    with open_repo(ws.root) as repo:
        url = repo.remote_url(name)
        if url is None:
            raise LynxError(f"this workspace has no git remote named {name!r}",
                            f"add your repository: git remote add {name} URL (or set `remote =` in lynx.toml)")
        session = active_session.load(ws.state_dir)
        home = session.home if session is not None else repo.branch()
        if home is None or home.startswith("lynx/"):
            raise LynxError("you are not on your own branch", "switch to it first, e.g. `git switch main`")
        branches = [home] + [b for prefix in CODE_BRANCHES for b in repo.local_branches(prefix)]
        ok, why = repo.push(name, branches, timeout)
    if not ok:
        raise LynxError(f"the push to {name} ({url}) failed: {why}",
                        "your work is committed here, nothing was lost; fix that and run `lynx submit` again", code=1)
    return Submitted(name, url, branches, note)
