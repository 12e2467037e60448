"""The one helper kit every test imports (`from kit import lynx, git, ...`): the real CLI in a subprocess or a
pseudo-terminal, real git, and snapshots of a workspace to tell "unchanged" and "nothing lost".

A module of its own, not conftest.py: several test folders have a conftest, and `from conftest import`
finds whichever comes first on the path.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
QUIZ_FILE = Path("data") / "quizzes" / "phase-13-embeddings.yaml"


def env(**extra: str) -> dict[str, str]:
    """The environment a learner's shell would give lynx: no lynx settings inherited, plain output, one BLAS
    thread, a git identity, a pager that does not wait."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("LYNX_")}
    e.update({"NO_COLOR": "1", "COLUMNS": "120", "PAGER": "cat", "OPENBLAS_NUM_THREADS": "1",
              "PYTHONIOENCODING": "utf-8",
              "GIT_AUTHOR_NAME": "test learner", "GIT_AUTHOR_EMAIL": "learner@example.org",
              "GIT_COMMITTER_NAME": "test learner", "GIT_COMMITTER_EMAIL": "learner@example.org"})
    e.update(extra)
    return e


ENV = env()


def lynx(*args: str, cwd: Path | None = None, input: str | None = None, env: dict | None = None,
         timeout: float = 600, check: bool = False) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess, as a learner's shell would. ``check``: fail the test on a non-zero exit."""
    proc = subprocess.run([sys.executable, "-m", "lynx", *args], cwd=cwd, input=input, capture_output=True,
                          text=True, env={**ENV, **(env or {})}, timeout=timeout,
                          stdin=None if input is not None else subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise AssertionError(f"lynx {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=ENV).stdout


def spawn(args: str, cwd: Path, env: dict | None = None, dimensions: tuple[int, int] = (50, 120)):
    """`lynx ARGS` in a real pseudo-terminal (pexpect), as a learner types it."""
    import pexpect

    # a pseudo-terminal has a terminal type, as an emulator sets it (CI may have no TERM at all)
    return pexpect.spawn(f"{sys.executable} -m lynx {args}", cwd=str(cwd), env={**ENV, "TERM": "xterm", **(env or {})},
                         encoding="utf-8", timeout=60, dimensions=dimensions)


def finish(p) -> int:
    """Wait for a spawned lynx to end; no traceback allowed. Returns its exit status."""
    import pexpect

    p.expect(pexpect.EOF)
    p.close()
    assert "Traceback" not in (p.before or "")
    return p.exitstatus


def attempts(ws: Path, learner: str = "borja") -> list[dict]:
    """The learner's recorded attempts of the phase-13 quiz."""
    path = ws / "learners" / learner / "phase-13" / "quiz.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["attempts"]


# -- snapshots: "unchanged" and "nothing lost" ---------------------------------------------------------
def tree(ws: Path) -> dict[str, bytes]:
    """Every file of the working tree except git's and lynx's private folders."""
    out = {}
    skip = {"__pycache__", ".pytest_cache"}
    for folder, dirs, files in os.walk(ws):  # git's and lynx's folders pruned, not walked and filtered
        here = Path(folder)
        if here == ws:
            dirs[:] = [d for d in dirs if d not in (".git", ".lynx")]
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            p = here / name
            if p.is_file():
                out[p.relative_to(ws).as_posix()] = p.read_bytes()
    return out


def tree_hash(ws: Path) -> str:
    """A hash of the working tree, the index, HEAD, every ref and lynx's state: "unchanged" means byte-for-byte."""
    h = hashlib.sha256()
    for rel, data in sorted(tree(ws).items()):
        h.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    state = ws / ".lynx" / "state.json"
    if state.is_dir():  # a damaged workspace may hold a folder there: its listing stands for it
        h.update(b"dir:" + "\0".join(sorted(os.listdir(state))).encode())
    else:
        h.update(state.read_bytes() if state.exists() else b"-")
    if (ws / ".git").is_dir():
        for args in (("rev-parse", "HEAD"), ("symbolic-ref", "-q", "HEAD"), ("show-ref",), ("ls-files", "-s"),
                     ("stash", "list")):
            r = subprocess.run(["git", *args], cwd=ws, capture_output=True, env=ENV)
            h.update(r.stdout)
    return h.hexdigest()


def recoverable(ws: Path, marker: str, where: list[str] | None = None) -> bool:
    """Is ``marker`` in the working tree, the index, or any commit reachable from a ref or reflog (every stash)?

    ``where``: the files to look in first (a fast path); the whole tree is searched before history.
    """
    for rel in where or []:
        p = ws / rel
        if p.is_file() and marker.encode() in p.read_bytes():
            return True
    for data in tree(ws).values():
        if marker.encode() in data:
            return True
    r = subprocess.run(["git", "grep", "-q", "--cached", "-F", marker], cwd=ws, env=ENV, capture_output=True)
    if r.returncode == 0:
        return True
    revs = subprocess.run(["git", "rev-list", "--all", "--reflog"], cwd=ws, env=ENV, capture_output=True, text=True).stdout.split()
    for i in range(0, len(revs), 200):
        r = subprocess.run(["git", "grep", "-q", "-F", marker, *revs[i:i + 200]], cwd=ws, env=ENV, capture_output=True)
        if r.returncode == 0:
            return True
    return False


def lost(ws: Path, markers: list[str], where: list[str] | None = None) -> list[str]:
    """The markers found nowhere. With ``where``, a marker found in those files costs no further search."""
    if where:
        texts = [(ws / rel).read_bytes() for rel in where if (ws / rel).is_file()]
        markers = [m for m in markers if not any(m.encode() in t for t in texts)]
    return [m for m in markers if not recoverable(ws, m)]


def branch(ws: Path) -> str:
    return git("branch", "--show-current", cwd=ws).strip()


def state(ws: Path) -> dict | None:
    p = ws / ".lynx" / "state.json"
    return json.loads(p.read_text()) if p.exists() else None


def consistency_problem(ws: Path) -> str | None:
    """lynx's state must agree with git: an active session means HEAD is on its branch; none, not on a lynx branch."""
    s = state(ws)
    cur = branch(ws)
    if s is None:
        return f"no active session but HEAD is on lynx's branch {cur}" if cur.startswith("lynx/") else None
    if s.get("stage") != "active":
        return f"state stage is {s.get('stage')!r}"
    if cur != s["branch"]:
        return f"state says {s['kind']} {s['id']} is active on {s['branch']}, but HEAD is on {cur or 'detached'}"
    r = subprocess.run(["git", "rev-parse", "--verify", "-q", f"refs/heads/{s['branch']}"], cwd=ws, env=ENV,
                       capture_output=True)
    return None if r.returncode == 0 else f"state names branch {s['branch']}, which does not exist"


def no_traceback(r: subprocess.CompletedProcess) -> bool:
    return "Traceback" not in r.stderr and "Traceback" not in r.stdout


# -- a class of learners served over git ---------------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def quiz_answers(ws: Path, wrong: dict[str, int | None] | None = None) -> dict[str, str]:
    """Right answers to every question of the phase-13 quiz, except ``wrong``: {question id: option index picked}."""
    from lynx.content import quiz

    q13 = quiz.load_quiz(ws / QUIZ_FILE)
    out = {}
    for q in q13.questions:
        if q.kind == "free":
            out[q.id] = " ".join(k["en"][0] for k in q.expect)
        else:
            picks = sorted(q.correct_indices)
            if wrong and q.id in wrong:  # None: the first option that is not right
                picks = [wrong[q.id] if wrong[q.id] is not None else min(set(range(len(q.options))) - set(picks))]
            out[q.id] = ",".join("abcdefgh"[i] for i in picks)
    return out


def push_all(ws: Path, bare: Path) -> None:
    """What a learner does by hand: push every branch to their bare repository (made if missing)."""
    if not bare.exists():
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True, env=ENV)
    git("push", "-q", str(bare), "--all", cwd=ws)


_OPTION = re.compile(r"^\s*([a-z])\) (.*?)\s*$")
_ANSWER_PROMPT = re.compile(r"Your answers?")


def options_in(body: str) -> dict[str, str]:
    """{letter: text} of the options in ``body``; a long option wraps onto indented lines, joined again."""
    found: dict[str, str] = {}
    letter = None
    for line in body.splitlines():
        m = _OPTION.match(line)
        if m:
            letter = m.group(1)
            found[letter] = m.group(2)
        elif letter and line.startswith("   ") and line.strip() and not _ANSWER_PROMPT.match(line.strip()):
            found[letter] += " " + line.strip()
        else:
            letter = None
    return found
