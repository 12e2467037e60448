"""`lynx recover`: bring a workspace back to a consistent state after an interruption or a corrupt file.

It never deletes the learner's work: a corrupt file is kept beside the restored one, an interrupted
start is either completed or undone (its files were clean when it started, so undoing loses nothing),
an interrupted end is finished.
"""

from __future__ import annotations

import json
from pathlib import Path

from lynx.activities import activity as activities
from lynx.core import clock, lock
from lynx.core.files import atomic_write_bytes, read_json
from lynx.i18n import Message
from lynx.learner import active_session, attempts
from lynx.learner.active_session import ACTIVE, Session
from lynx.learner.workspace import Workspace
from lynx.vcs.repo import Repo


def _corrupt(path: Path, text: str | None = None) -> bool:
    """Whether a state file (JSON, or YAML for quiz attempts) fails to parse."""
    try:
        text = path.read_bytes().decode("utf-8") if text is None else text
        if path.suffix == ".json":
            json.loads(text)
        elif path.name == "quiz.yaml" and not text.endswith(attempts.TRAILER):
            return True  # cut short: YAML alone might read it as fewer attempts
        else:
            from lynx.content.fields import bounded_yaml

            bounded_yaml(text)
        return False
    except (UnicodeDecodeError, ValueError, OSError, RecursionError):
        return True
    except Exception as exc:  # yaml.YAMLError, without importing yaml for JSON files
        if type(exc).__module__.startswith("yaml"):
            return True
        raise


def _learner_state_files(ws: Workspace) -> list[Path]:
    """The files lynx writes for the learner: progress, card states, quiz attempts (not the notes)."""
    if not ws.learner_dir.is_dir():
        return []
    return sorted(p for p in ws.learner_dir.rglob("*") if p.is_file() and p.suffix in (".json", ".yaml")
                  and ".corrupt-" not in p.name)


def _keep_aside(path: Path) -> Path:
    """A copy of the damaged file beside it (the original stays until its replacement is written)."""
    aside = path.with_name(f"{path.name}.corrupt-{clock.now().strftime('%Y%m%d-%H%M%S')}")
    atomic_write_bytes(aside, path.read_bytes())
    return aside


def recover(ws: Workspace) -> list[Message]:
    """Repair what can be repaired; returns what was done, one line each."""
    from lynx.vcs.repo import open_repo

    done: list[Message] = []
    with open_repo(ws.root) as repo:
        repo.require_idle()  # git in mid-operation, a detached HEAD, git's index lock: refuse before touching anything
    stale = ws.state_dir / "lock"
    if stale.exists():
        try:
            pid = int(stale.read_text().strip() or "0")
        except (OSError, ValueError):
            pid = 0
        if not pid or not lock.alive(pid):
            stale.unlink(missing_ok=True)
            done.append(Message("removed a stale lock left by pid {pid}", pid=pid))
    with lock.held(ws.state_dir), open_repo(ws.root) as repo:
        for path in _learner_state_files(ws):
            if not _corrupt(path):
                continue
            aside = _keep_aside(path)
            rel = str(path.relative_to(ws.root))
            committed = repo.show("HEAD", rel)
            if committed is not None and not _corrupt(path, committed):
                atomic_write_bytes(path, committed.encode("utf-8"))
                done.append(Message("{file} was corrupt: restored the last committed version (the broken one is {aside})",
                                    file=rel, aside=aside.name))
            else:
                path.unlink()
                done.append(Message("{file} was corrupt and has no good committed version: moved aside to {aside}", file=rel,
                                    aside=aside.name))
        state_file = active_session.path(ws.state_dir)
        if state_file.exists() and _corrupt(state_file):
            aside = _keep_aside(state_file)
            state_file.unlink()
            done.append(Message("{file} was corrupt: moved aside to {aside}", file=str(state_file.relative_to(ws.root)),
                                aside=aside.name))
        raw = read_json(state_file, default=None)
        session = None if raw is None else Session.from_json(raw, state_file)
        if session is None:
            rebuilt = _rebuild_state(ws, repo)
            if rebuilt:
                done.append(rebuilt)
        elif session.stage == active_session.STARTING:
            done.append(_finish_or_undo_start(ws, repo, session))
        elif session.ending:
            from lynx.activities.ending import finish

            finish(ws, None, None)
            done.append(Message("finished closing {kind} {id} ({outcome}); you are on {home}", kind=session.kind, id=session.id,
                                outcome=session.outcome, home=session.home))
        elif session.active and not repo.branch_exists(session.branch):
            active_session.clear(ws.state_dir)
            done.append(Message("forgot {kind} {id}: its branch {branch} no longer exists", kind=session.kind, id=session.id,
                                branch=session.branch))
    return done or [Message("nothing to repair: the workspace is consistent")]


def _fixed_tree(ws: Workspace, repo: Repo, session: Session) -> str:
    patch, fix = activities.of(session).patches(ws, session)
    return repo.tree_with(session.commit or repo.head(), fix or patch, reverse=fix is None)


def _finish_or_undo_start(ws: Workspace, repo: Repo, session: Session) -> Message:
    """A session killed while starting: complete it if its commit exists, otherwise undo it."""
    subject = f"lynx: {session.kind} {session.id}"
    on_branch = repo.branch() == session.branch
    if on_branch and repo.last_subject().startswith(subject):
        session.commit = repo.head()
        session.fixed_tree = _fixed_tree(ws, repo, session)
        session.stage = ACTIVE
        active_session.save(ws.state_dir, session)
        return Message("completed the interrupted start of {kind} {id} on {branch}", kind=session.kind, id=session.id,
                       branch=session.branch)
    saved = ""
    if on_branch:
        # The files were clean when the session started: what differs from HEAD now is the patch (maybe half
        # applied) and whatever the learner typed since the kill. Exactly the patch is undone; anything
        # else is committed on the session's branch before going home, so nothing typed is ever lost.
        if repo.dirty(session.files):
            patch, _ = activities.of(session).patches(ws, session)
            if repo.apply_check(patch, reverse=True) is None:
                repo.apply(patch, reverse=True)
            if repo.commit_only(session.files, f"lynx: your changes during the interrupted start of {session.kind} "
                                               f"{session.id}, saved by lynx recover"):
                saved = ", ".join(session.files)
        repo.switch(session.home)
    if repo.branch() != session.branch and repo.branch_exists(session.branch):
        if repo.ahead(session.home, session.branch) == 0:
            repo.delete_branch(session.branch)
    active_session.clear(ws.state_dir)
    if saved:
        return Message("undid the interrupted start of {kind} {id}; you are on {home}; what you changed in {files} "
                       "meanwhile is saved on {branch}", kind=session.kind, id=session.id, home=repo.branch(),
                       files=saved, branch=session.branch)
    return Message("undid the interrupted start of {kind} {id}; you are on {home}", kind=session.kind, id=session.id,
                   home=repo.branch())


def _rebuild_state(ws: Workspace, repo: Repo) -> Message | None:
    """On a lynx branch with no state (state file lost): rebuild the state from git history."""
    current = repo.branch()
    if not current or not current.startswith("lynx/"):
        return None
    parts = current.split("/")
    if len(parts) != 3 or parts[1] not in ("break", "practice", "build"):
        return None
    kind, ident = parts[1], parts[2]
    ident = ident.split("-")[0] if kind == "build" else "-".join(ident.split("-")[:2])
    subject = f"lynx: {kind} {ident}"
    hit = next(((c, p) for c, p, s in repo.recent(current) if s.startswith(subject)), None)
    if hit is None:
        return None
    commit, parent = hit
    homes = [b for b in repo.branches_containing(parent) if b and not b.startswith("lynx/")]
    home = "main" if "main" in homes else (homes[0] if homes else "main")
    session = Session(kind=kind, id=ident, phase=ident.split("-")[0], title="", branch=current, home=home,
                      base=parent, files=repo.files_of(commit), started=clock.stamp(), learner=ws.learner,
                      stage=ACTIVE, commit=commit)
    session.fixed_tree = _fixed_tree(ws, repo, session)
    active_session.save(ws.state_dir, session)
    return Message("rebuilt the state of {kind} {id} from branch {branch}", kind=kind, id=ident, branch=current)
