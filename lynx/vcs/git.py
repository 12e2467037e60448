"""The one place lynx starts a git process: one policy for hooks, identity, prompts, timeouts and the
fault checkpoint, for the learner's workspace, scratch folders and the teacher's cache alike.

Processes start through GitPython (``git.Git.execute``). `import git` costs ~110 ms, so it happens
inside these functions, never at start-up.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NamedTuple, Sequence

from lynx.core.errors import LynxError
from lynx.core.faults import checkpoint, fault

# Hooks off for lynx's own calls: a learner's pre-commit hook must not block or alter a break commit.
# No auto-maintenance after lynx's small commits (one extra process each): the learner's own commits
# still run it, and it is what they would wait for otherwise.
POLICY = ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", "-c", "core.quotePath=false",
          "-c", "maintenance.auto=false"]
# Read-only commands skip the optional index write-back (on a big course, a rewrite of a 1 MB index).
READ_ONLY = {"status": ["--no-optional-locks"]}
# Never a prompt: a remote asking for a password fails at once instead of waiting for a terminal.
NO_PROMPT = {"GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true", "SSH_ASKPASS": "true",
             "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")}
LOCAL_TIMEOUT = 600.0  # seconds; a local command that takes longer is stuck (a lock held by a dead process)
# Commands that record an author: without one configured (e.g. on CI), git refuses, and lynx retries
# once with a fallback identity rather than asking `git config` before every commit.
WRITES_IDENTITY = ("commit", "commit-tree", "merge")
FALLBACK_IDENT = ["-c", "user.name=lynx learner", "-c", "user.email=learner@lynx.invalid"]
NO_IDENT = ("Author identity unknown", "Committer identity unknown", "Please tell me who you are",
            "unable to auto-detect email address", "empty ident name")
_fallback_ident = False  # set once git refused to guess an identity in this process


class Result(NamedTuple):
    status: int
    out: str
    err: str


def require_git() -> None:
    if shutil.which("git") is None:
        raise LynxError("git is not installed or not on PATH", "install git (https://git-scm.com) and try again")


def gitpython():
    """The GitPython package (imported on first use)."""
    require_git()
    try:
        import git
    except ImportError as exc:  # GitPython refuses to import without a git binary
        raise LynxError(f"GitPython cannot start: {exc}", "install git and GitPython") from None
    return git


def run(args: Sequence[str], cwd: Path | None, *, env: dict[str, str] | None = None,
        timeout: float | None = None, binary: bool = False, runner=None) -> Result:
    """`git <args>` in ``cwd`` under lynx's policy; returns (status, stdout, stderr), never raises for a git error.

    ``timeout``: seconds before the process is killed (status 124, stderr says so); default LOCAL_TIMEOUT.
    ``runner``: a ``git.Git`` bound to the repository (a workspace's ``Repo.git``), else one is made for ``cwd``.
    """
    global _fallback_ident
    fault(f"git {args[0]}", cwd)
    result = _execute(args, cwd, env, timeout, binary, runner)
    if (result.status != 0 and args[0] in WRITES_IDENTITY and not _fallback_ident
            and any(m in _text(result.err) for m in NO_IDENT)):
        _fallback_ident = True  # nothing was written: git checks the identity first
        result = _execute(args, cwd, env, timeout, binary, runner)
    checkpoint(f"git {args[0]}")
    return result


def _execute(args: Sequence[str], cwd: Path | None, env: dict[str, str] | None, timeout: float | None,
             binary: bool, runner) -> Result:
    git = gitpython()
    ident = FALLBACK_IDENT if _fallback_ident and args[0] in WRITES_IDENTITY else []
    argv = ["git", *POLICY, *ident, *READ_ONLY.get(args[0], []), *args]
    g = runner if runner is not None else git.Git(str(cwd) if cwd is not None else None)
    limit = LOCAL_TIMEOUT if timeout is None else timeout
    try:
        status, out, err = g.execute(
            argv, with_extended_output=True, with_exceptions=False, env={**(env or os.environ), **NO_PROMPT},
            strip_newline_in_stdout=False,
            kill_after_timeout=limit, stdout_as_string=not binary,
        )
    except git.GitCommandNotFound:
        raise LynxError("git is not installed or not on PATH", "install git and try again") from None
    if isinstance(err, bytes):
        err = err.decode("utf-8", "replace")
    if "did not complete in" in err and err.startswith("Timeout:"):
        return Result(124, out, f"timed out after {limit:g} s")
    return Result(status, out, err)


def start_batch(repo: Path, args: Sequence[str] = ("cat-file", "--batch")):
    """A long-lived `git cat-file --batch` in ``repo`` under the same policy (no hooks, no prompts), for
    reading many objects through one process; the caller owns it and bounds each read by a deadline
    (:class:`lynx.vcs.objects.ObjectReader`). ``safe.directory`` names the repository: a learner's
    repository on this machine may belong to another user (a git host's), and reading it is read-only."""
    import subprocess

    require_git()
    argv = ["git", *POLICY, "-c", f"safe.directory={repo}", *args]
    try:
        proc = subprocess.Popen(argv, cwd=repo, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env={**os.environ, **NO_PROMPT})
    except OSError as exc:
        raise LynxError(f"cannot start git in {repo}: {exc.strerror}", "check that git works there") from None
    checkpoint(f"git {args[0]}")
    return proc


def _text(value: str | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def first_line(text: str) -> str:
    """git's message in one line: its first error line, without the `error:`/`fatal:` prefix."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    pick = next((ln for ln in lines if ln.startswith(("fatal:", "error:"))), lines[0] if lines else None)
    return (pick or "unknown error").removeprefix("error: ").removeprefix("fatal: ")


def all_lines(text: str, limit: int = 3) -> str:
    """Up to ``limit`` of git's non-empty lines joined with ``; `` (a second line often says why)."""
    lines = [ln.strip().removeprefix("error: ").removeprefix("fatal: ") for ln in (text or "").splitlines() if ln.strip()]
    return "; ".join(lines[:limit]) or "unknown error"
