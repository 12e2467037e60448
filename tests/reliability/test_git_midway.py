"""Git in mid-operation: a merge, rebase, cherry-pick, revert or bisect waiting for the learner, a detached HEAD,
an `index.lock` left by another git process. Every lynx command that commits, switches or applies refuses
before changing anything (`.lynx/state.json` included), in one line that names the operation and how to
finish or abort it; `lynx recover` too. Read-only commands (`lynx status`) still work.

Each state is made by real git (a real conflict for merge, rebase, cherry-pick and revert; `git bisect start`),
on the learner's branch for the commands that start something and on the break's branch for those that
end or change one. The workspace hash (working tree, index, HEAD, every ref, the stash, lynx's state and the
files git keeps for the operation) must not change.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from harness import fast_workspace, in_process, record
from kit import git, tree_hash

pytestmark = pytest.mark.slow

CONFLICT = "scratch/conflict.txt"


def _commit(ws: Path, text: str, msg: str) -> None:
    p = ws / CONFLICT
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    git("add", "--", CONFLICT, cwd=ws)
    git("commit", "-qm", msg, "--", CONFLICT, cwd=ws)


def _fails(ws: Path, *args: str) -> None:
    import subprocess

    from kit import ENV

    r = subprocess.run(["git", *args], cwd=ws, env=ENV, capture_output=True, text=True)
    assert r.returncode != 0, f"git {args} was expected to stop on a conflict: {r.stdout}{r.stderr}"


def _diverge(ws: Path) -> str:
    """A side branch whose commit conflicts with the current branch's last one; returns its name."""
    here = git("branch", "--show-current", cwd=ws).strip()
    _commit(ws, "base\n", "base of the conflict")
    git("switch", "-q", "-c", "side", cwd=ws)
    _commit(ws, "theirs\n", "theirs")
    git("switch", "-q", here, cwd=ws)
    _commit(ws, "ours\n", "ours")
    return "side"


def merge(ws):
    _fails(ws, "merge", "--no-edit", _diverge(ws))


def rebase(ws):
    _fails(ws, "rebase", _diverge(ws))


def cherry_pick(ws):
    _fails(ws, "cherry-pick", _diverge(ws))


def cherry_pick_many(ws):
    side = _diverge(ws)
    git("switch", "-q", side, cwd=ws)
    (ws / "scratch/other.txt").write_text("one more\n")
    git("add", "scratch/other.txt", cwd=ws)
    git("commit", "-qm", "one more", cwd=ws)
    git("switch", "-q", "-", cwd=ws)
    _fails(ws, "cherry-pick", f"{side}~1", side)


def revert(ws):
    _commit(ws, "one\n", "one")
    _commit(ws, "two\n", "two")
    _fails(ws, "revert", "--no-edit", "HEAD~1")


def bisect(ws):
    git("bisect", "start", cwd=ws)


def detached(ws):
    git("switch", "-q", "--detach", cwd=ws)


def index_lock(ws):
    (ws / ".git" / "index.lock").write_text("")


STATES = {"merge": (merge, "merge"), "rebase": (rebase, "rebase"), "cherry-pick": (cherry_pick, "cherry-pick"),
          "cherry-pick of several": (cherry_pick_many, "cherry-pick"), "revert": (revert, "revert"),
          "bisect": (bisect, "bisect"), "detached HEAD": (detached, "detached"),
          "index.lock": (index_lock, "index.lock")}
# command: does it need an active break (the state is then made on the break's branch)
COMMANDS = {"break": (False, ["break", "13", "--predict", "p"]), "build": (False, ["build", "13"]),
            "fix --apply": (True, ["fix", "--apply"]), "reset": (True, ["reset"]),
            "done": (True, ["done", "-c", "y"]), "abort": (True, ["abort"]), "recover": (True, ["recover"]),
            "recover, nothing active": (False, ["recover"])}


def _git_state(ws: Path) -> str:
    """The files git keeps for an operation in progress (their names and bytes)."""
    h = hashlib.sha256()
    gd = ws / ".git"
    for name in ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "BISECT_LOG", "BISECT_START", "index.lock",
                 "rebase-merge/done", "rebase-merge/git-rebase-todo", "sequencer/todo", "HEAD"):
        p = gd / name
        h.update(name.encode() + (p.read_bytes() if p.is_file() else b"-"))
    return h.hexdigest()


@pytest.fixture(scope="module")
def ready(tmp_path_factory):
    """A fresh workspace (phase 13, fast checks), and a copy with break 13 active."""
    base = tmp_path_factory.mktemp("midway")
    fresh = fast_workspace(base)
    active = base / "active"
    shutil.copytree(fresh, active, symlinks=True)
    assert in_process(active, ["break", "13", "--predict", "p"])[0] == 0
    return fresh, active


@pytest.mark.parametrize("state", list(STATES))
def test_git_in_mid_operation_refuses_before_changing_anything(state, ready, tmp_path):
    make, word = STATES[state]
    problems = []
    for name, (needs_break, argv) in COMMANDS.items():
        ws = tmp_path / name.replace(" ", "_").replace(",", "")
        shutil.copytree(ready[1] if needs_break else ready[0], ws, symlinks=True)
        make(ws)
        before = tree_hash(ws), _git_state(ws)
        code, out, err = in_process(ws, argv)
        after = tree_hash(ws), _git_state(ws)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        where = f"{state}, lynx {' '.join(argv)}"
        if code != 2 or len(lines) != 1 or not lines[0].startswith("lynx: ") or "Traceback" in out + err:
            problems.append(f"{where}: exit {code}, stderr {err.strip()!r}")
        elif word not in lines[0]:
            problems.append(f"{where}: the line does not name the {word}: {lines[0]}")
        elif state not in ("detached HEAD",) and not any(w in lines[0] for w in ("--abort", "reset", "delete")):
            problems.append(f"{where}: the line does not say how to finish or abort it: {lines[0]}")
        if after != before:
            problems.append(f"{where}: the workspace changed")
        st = in_process(ws, ["status"])
        if st[0] != 0:
            problems.append(f"{where}: `lynx status` failed meanwhile: {st[2].strip()}")
        shutil.rmtree(ws, ignore_errors=True)
    record("git_midway", state, {"commands": len(COMMANDS), "problems": len(problems)})
    assert not problems, "\n".join(problems)
