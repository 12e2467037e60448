"""`lynx recover`: bring a workspace back to a consistent state after an interruption or a corrupt file.

It never deletes the learner's work: a corrupt file is kept beside the restored one, an interrupted
break is either completed or undone (its files were clean when it started, so undoing loses nothing).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from lynx import gitops, progress
from lynx.store import atomic_write_bytes, read_json
from lynx.workspace import Workspace


def _corrupt_json(path: Path) -> bool:
    return path.exists() and _corrupt_text(path, None)


def _corrupt_text(path: Path, text: str | None) -> bool:
    """Whether a state file (JSON, or YAML for quiz attempts) fails to parse."""
    try:
        text = path.read_bytes().decode("utf-8") if text is None else text
        if path.suffix == ".json":
            json.loads(text)
        elif path.name == "quiz.yaml" and not text.endswith(_quiz_trailer()):
            return True  # cut short: YAML alone might read it as fewer attempts
        else:
            import yaml

            yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return False
    except (UnicodeDecodeError, ValueError, OSError):
        return True
    except Exception as exc:  # yaml.YAMLError, without importing yaml for JSON files
        if type(exc).__module__.startswith("yaml"):
            return True
        raise


def _quiz_trailer() -> str:
    from lynx.quiz_attempts import TRAILER

    return TRAILER


def _corrupt(path: Path) -> bool:
    return _corrupt_text(path, None)


def _learner_state_files(ws: Workspace) -> list[Path]:
    """The files lynx writes for the learner: progress, card states, quiz attempts (not the notes)."""
    if not ws.learner_dir.is_dir():
        return []
    return sorted(p for p in ws.learner_dir.rglob("*") if p.is_file() and p.suffix in (".json", ".yaml")
                  and ".corrupt-" not in p.name)


def _keep_aside(path: Path) -> Path:
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(aside)
    return aside


def recover(ws: Workspace) -> list[str]:
    """Repair what can be repaired; returns what was done, one line each."""
    done: list[str] = []
    lock = ws.state_dir / "lock"
    if lock.exists():
        try:
            pid = int(lock.read_text().strip() or "0")
        except (OSError, ValueError):
            pid = 0
        from lynx.lock import _alive

        if not pid or not _alive(pid):
            lock.unlink(missing_ok=True)
            done.append(f"removed a stale lock left by pid {pid}")
    with gitops.repo(ws.root) as g:
        for path in _learner_state_files(ws):
            if not _corrupt(path):
                continue
            aside = _keep_aside(path)
            rel = str(path.relative_to(ws.root))
            committed = g.show("HEAD", rel)
            if committed is not None and not _corrupt_text(path, committed):
                atomic_write_bytes(path, committed.encode("utf-8"))
                done.append(f"{rel} was corrupt: restored the last committed version (the broken one is {aside.name})")
            else:
                done.append(f"{rel} was corrupt and has no good committed version: moved aside to {aside.name}")
        state_file = progress.state_path(ws)
        if _corrupt_json(state_file):
            aside = _keep_aside(state_file)
            done.append(f"{state_file.relative_to(ws.root)} was corrupt: moved aside to {aside.name}")
        state = read_json(state_file, default=None)
        if state is None:
            rebuilt = _rebuild_state(ws, g)
            if rebuilt:
                done.append(rebuilt)
        elif state.get("stage") == "starting":
            done.append(_finish_or_undo_start(ws, g, state))
        elif state.get("stage") == "ending":
            from lynx.loop import end

            end(ws, None, None)
            done.append(f"finished closing {state['kind']} {state['id']} ({state.get('outcome')}); you are on {state['home']}")
        elif state.get("stage") == "active" and not g.branch_exists(state["branch"]):
            progress.clear_active(ws)
            done.append(f"forgot {state['kind']} {state['id']}: its branch {state['branch']} no longer exists")
    return done or ["nothing to repair: the workspace is consistent"]


def _finish_or_undo_start(ws: Workspace, g: gitops.Git, state: dict) -> str:
    """A break killed while starting: complete it if its commit exists, otherwise undo it."""
    subject = f"lynx: {state['kind']} {state['id']}"
    on_branch = g.branch() == state["branch"]
    if on_branch and g.out("log", "-1", "--format=%s").startswith(subject):
        state["commit"] = g.head()
        patch, fix, reverse = _patches(ws, state)
        state["fixed_tree"] = g.tree_with(state["commit"], fix or patch, reverse=fix is None)
        state["stage"] = "active"
        progress.set_active(ws, state)
        return f"completed the interrupted start of {state['kind']} {state['id']} on {state['branch']}"
    if on_branch:
        # The patch may be half-applied; the files were clean at the start, so HEAD's version is the learner's.
        g.run("checkout", "HEAD", "--", *state["files"], check=False)
        g.run("switch", "--quiet", state["home"], check=False)
    if g.branch() != state["branch"] and g.branch_exists(state["branch"]):
        ahead = g.out("rev-list", "--count", f"{state['home']}..{state['branch']}").strip()
        if ahead == "0":
            g.run("branch", "-D", state["branch"], check=False)
    progress.clear_active(ws)
    return f"undid the interrupted start of {state['kind']} {state['id']}; you are on {g.branch()}"


def _patches(ws: Workspace, state: dict):
    if state["kind"] == "break":
        b = ws.course.brk(state["id"])
        return b.patch, b.fix_patch, True
    build_dir = ws.course.phase(state["id"]).build_dir
    return build_dir / "stub.patch", None, True


def _rebuild_state(ws: Workspace, g: gitops.Git) -> str | None:
    """On a lynx branch with no state (state file lost): rebuild the state from git history."""
    branch = g.branch()
    if not branch or not branch.startswith("lynx/"):
        return None
    parts = branch.split("/")
    if len(parts) != 3 or parts[1] not in ("break", "build"):
        return None
    kind, ident = parts[1], parts[2]
    ident = "-".join(ident.split("-")[:2]) if kind == "break" else ident.split("-")[0]
    subject = f"lynx: {kind} {ident}"
    log = g.out("log", "--format=%H %P %s", "-n", "200", branch).splitlines()
    hit = next((line for line in log if line.split(" ", 2)[2].startswith(subject)), None)
    if hit is None:
        return None
    commit, parent = hit.split(" ")[:2]
    homes = [b.strip().lstrip("* ") for b in g.out("branch", "--format=%(refname:short)", "--contains", parent).splitlines()]
    homes = [b for b in homes if b and not b.startswith("lynx/")]
    home = "main" if "main" in homes else (homes[0] if homes else "main")
    files = g.out("show", "--name-only", "--format=", commit).split()
    state = {"kind": kind, "id": ident, "phase": ident.split("-")[0], "title": "", "branch": branch, "home": home,
             "base": parent, "commit": commit, "files": files, "reference": False, "started": progress.now(),
             "learner": ws.learner, "stage": "active", "fix_applied": False, "diff_shown": False}
    patch, fix, _ = _patches(ws, state)
    state["fixed_tree"] = g.tree_with(commit, fix or patch, reverse=fix is None)
    progress.set_active(ws, state)
    return f"rebuilt the state of {kind} {ident} from branch {branch}"
