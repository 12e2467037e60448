"""A session: a break (or a build challenge) applied on a branch of its own, and the way back.

Start: the learner's notes are committed on their branch, a branch `lynx/<kind>/<id>` is made
from it, the patch is applied and committed there (only the patched files). End (`done`/`abort`):
the learner's work on the patched files is committed on that branch, lynx switches back, and the
notes and progress written meanwhile are committed on the learner's branch. Nothing the learner
wrote is ever discarded: unrelated staged, unstaged and untracked work rides along untouched.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable, Sequence

from lynx import gitops, progress
from lynx.errors import LynxError
from lynx.workspace import Workspace, bundled_course


def learner_paths(ws: Workspace) -> list[str]:
    """The learner's folder, committed by lynx on the learner's branch (never in a break commit)."""
    return [str(ws.learner_dir.relative_to(ws.root))]


def preflight(ws: Workspace, g: gitops.Git, files: Sequence[str], patch: Path, reference: bool, label: str) -> str:
    """Check everything before asking anything: returns the learner's branch (home)."""
    if progress.active(ws):
        a = progress.active(ws)
        raise LynxError(f"{a['kind']} {a['id']} is still active (on branch {a['branch']})",
                        "finish it with `lynx done` or leave it with `lynx abort`")
    home = g.branch()
    if home is None:
        raise LynxError("HEAD is detached (you are not on a branch)", "switch to your branch first, e.g. `git switch main`")
    if home.startswith("lynx/"):
        raise LynxError(f"you are on lynx's branch {home}, not your own", "switch to your branch, e.g. `git switch main`")
    busy = g.in_progress()
    if busy:
        raise LynxError(f"git is in the middle of {busy}", "finish or abort it first (see `git status`)")
    g.head()
    for rel in files:
        p = ws.root / rel
        if p.is_symlink() or not _inside(p, ws.root / "src"):
            raise LynxError(f"{rel} is a symlink or leaves src/", "lynx only patches regular files under src/")
    dirty = g.dirty(files)
    if dirty:
        raise LynxError(
            f"{', '.join(dirty)} has uncommitted changes that {label} would overwrite",
            "commit them (`git commit -am \"my work\"`) or stash them (`git stash`), then run the command again",
        )
    if not reference:
        reason = g.apply_check(patch)
        if reason:
            raise LynxError(
                f"{label} does not apply to your code ({reason}): your {', '.join(files)} differs from the reference",
                "add `--reference` to apply it on top of the reference version of those files instead",
            )
    return home


def start(ws: Workspace, g: gitops.Git, *, kind: str, item_id: str, phase: str, title: str, files: Sequence[str],
          patch: Path, fix_patch: Path | None, reference: bool, home: str,
          before_branch: Callable[[], None] | None = None, folder: str | None = None) -> dict[str, Any]:
    """Apply ``patch`` on a new branch `lynx/<kind>/<id>` and record the session in `.lynx/state.json`.

    ``folder``: the content folder's name (`13-00-tied-vocab`), kept so later commands find it directly.
    """
    if before_branch:
        before_branch()  # e.g. write the prediction into the notes
    g.commit_only(learner_paths(ws), f"lynx: notes before {kind} {item_id}")
    base = g.head()
    branch = _free_branch(g, f"lynx/{kind}/{item_id}")
    state = {"kind": kind, "id": item_id, "phase": phase, "title": title, "branch": branch, "home": home,
             "base": base, "files": list(files), "reference": reference, "started": progress.now(),
             "learner": ws.learner, "stage": "starting", "fix_applied": False, "diff_shown": False,
             **({"dir": folder} if folder else {})}
    progress.set_active(ws, state)
    g.new_branch(branch, base)
    try:
        if reference:
            _write_reference(ws, files)
        g.apply(patch)
        g.run("commit", "--quiet", "--no-verify", "--only", "-m", f"lynx: {kind} {item_id} — {title}", "--", *files)
    except BaseException:
        _undo_start(ws, g, state)
        raise
    state["commit"] = g.head()
    if fix_patch is None and not reference:
        # The break commit is `base` plus the patch on exactly these files (they were clean), so undoing the
        # patch gives base's version of them: no tree to build (4 git processes, each reading the index).
        state["fixed_tree"] = base
    else:
        state["fixed_tree"] = g.tree_with(state["commit"], fix_patch or patch, reverse=fix_patch is None)
    state["stage"] = "active"
    progress.set_active(ws, state)
    return state


def _undo_start(ws: Workspace, g: gitops.Git, state: dict[str, Any]) -> None:
    """A start that failed half-way: put the patched files back, return home, forget the branch."""
    g.run("checkout", "HEAD", "--", *state["files"], check=False)
    g.run("switch", "--quiet", state["home"], check=False)
    if g.branch() == state["home"]:
        g.run("branch", "-D", state["branch"], check=False)
        progress.clear_active(ws)


def _write_reference(ws: Workspace, files: Sequence[str]) -> None:
    ref_root = bundled_course()
    for rel in files:
        src = ref_root / rel
        if not src.is_file():
            raise LynxError(f"the reference version of {rel} is missing from the bundled course", "reinstall lynx")
        shutil.copyfile(src, ws.root / rel)


def _free_branch(g: gitops.Git, name: str) -> str:
    if not g.branch_exists(name):
        return name
    n = 2
    while g.branch_exists(f"{name}-{n}"):
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


def require_on_branch(g: gitops.Git, state: dict[str, Any], doing: str) -> None:
    current = g.branch()
    if current != state["branch"]:
        raise LynxError(
            f"{state['kind']} {state['id']} lives on branch {state['branch']}, but you are on {current or 'a detached HEAD'}",
            f"`git switch {state['branch']}` first, then {doing}",
        )


def save_work(g: gitops.Git, state: dict[str, Any], why: str,
              changes: list[tuple[str, str]] | None = None) -> bool:
    """Commit the learner's edits to the patched files on the session branch, so nothing is lost."""
    return g.commit_only(state["files"], f"lynx: your work on {state['kind']} {state['id']} ({why})", changes)


def finish(ws: Workspace, g: gitops.Git, state: dict[str, Any], why: str, record: Callable[[], None]) -> None:
    """Leave the session: save the learner's work on its branch, go home, record, commit the notes there.

    Each step can be interrupted: the state says "ending" from the first write on, and running this
    again (`lynx recover`, `lynx done`, `lynx abort`) picks up where it stopped.
    """
    if state.get("stage") != "ending":
        require_on_branch(g, state, "`lynx done`" if why == "done" else "`lynx abort`")
        state["stage"] = "ending"
        progress.set_active(ws, state)
    if g.branch() == state["branch"]:
        mine = learner_paths(ws)
        # One `git status` for both groups of paths (the patched files, the learner's folder).
        changes = g.changes([*state["files"], *mine])
        own = [c for c in changes if _under(c[1], mine)]
        save_work(g, state, why, [c for c in changes if c not in own])
        # The learner's folder is committed on the session branch, then the same folder is committed on
        # home too (plumbing, nothing checked out): the switch then leaves it untouched, and a kill at any
        # point finds the notes either in the working tree or in a commit.
        g.commit_only(mine, f"lynx: notes during {state['kind']} {state['id']}", own)
        g.copy_subtree(state["home"], state["branch"], mine[0], f"lynx: notes from {state['kind']} {state['id']}")
        status, _, err = g.run("switch", "--quiet", state["home"], check=False)
        if status != 0:
            raise LynxError(f"cannot switch back to {state['home']}: {gitops.first_line(err)}",
                            "commit or stash the files git names, then run the command again; nothing was lost")
    elif g.branch() != state["home"]:
        raise LynxError(f"{state['kind']} {state['id']} was being closed; you are on {g.branch() or 'a detached HEAD'}",
                        f"`git switch {state['home']}`, then `lynx recover`")
    record()
    g.commit_only(learner_paths(ws), f"lynx: {state['kind']} {state['id']} {why}")
    progress.clear_active(ws)
