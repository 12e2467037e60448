"""lynx's git calls, through GitPython: hooks off, `--` before paths, one clear error each.

`import git` costs ~110 ms, so it happens inside these functions, never at start-up. Every git
process costs 2-4 ms (more on a big course, whose index each one reads), so questions GitPython can
answer from `.git` itself (the branch, HEAD, whether a branch exists) start no process at all.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from lynx.errors import LynxError
from lynx.faults import checkpoint

# Hooks off for lynx's own calls: a learner's pre-commit hook must not block or alter a break commit.
# No auto-maintenance after lynx's small commits (one extra process each): the learner's own commits
# still run it, and it is what they would wait for otherwise.
BASE = ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", "-c", "core.quotePath=false",
        "-c", "maintenance.auto=false"]
# Read-only commands skip the optional index write-back (on a big course, a rewrite of a 1 MB index).
READ_ONLY = {"status": ["--no-optional-locks"]}
# Commands that record an author: without one configured (e.g. on CI), git refuses, and lynx retries
# once with a fallback identity rather than asking `git config` before every commit.
WRITES_IDENTITY = ("commit", "commit-tree", "merge")
FALLBACK_IDENT = ["-c", "user.name=lynx learner", "-c", "user.email=learner@lynx.invalid"]
NO_IDENT = ("Author identity unknown", "Committer identity unknown", "Please tell me who you are",
            "unable to auto-detect email address", "empty ident name")


def require_git() -> None:
    if shutil.which("git") is None:
        raise LynxError("git is not installed or not on PATH", "install git (https://git-scm.com) and try again")


@contextmanager
def repo(root: Path) -> Iterator["Git"]:
    """``with gitops.repo(root) as g:`` — a Repo opened and closed around lynx's calls."""
    require_git()
    try:
        import git
    except ImportError as exc:  # GitPython refuses to import without a git binary
        raise LynxError(f"GitPython cannot start: {exc}", "install git and GitPython") from None
    try:
        r = git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise LynxError(f"{root} is not a git repository", "run `lynx init DIR --learner NAME` to make a workspace") from None
    with r:
        yield Git(r, root)


class Git:
    def __init__(self, r, root: Path) -> None:  # r: git.Repo
        self.r = r
        self.root = root
        self._ident: list[str] | None = None

    def run(self, *args: str, check: bool = True, env: dict[str, str] | None = None, stdin: str | None = None) -> tuple[int, str, str]:
        """Run `git <args>` in the workspace with hooks off; returns (status, stdout, stderr)."""
        status, out, err = self._execute(args, env, stdin)
        if status != 0 and args[0] in WRITES_IDENTITY and self._ident is None and any(m in err for m in NO_IDENT):
            self._ident = FALLBACK_IDENT  # nothing was written: git checks the identity first
            status, out, err = self._execute(args, env, stdin)
        checkpoint(f"git {args[0]}")
        if check and status != 0:
            raise LynxError(f"git {args[0]} failed: {first_line(err or out)}", "see `git status`; your files are unchanged",
                            code=2)
        return status, out, err

    def _execute(self, args: Sequence[str], env: dict[str, str] | None, stdin: str | None) -> tuple[int, str, str]:
        import git

        ident = (self._ident or []) if args[0] in WRITES_IDENTITY else []
        argv = ["git", *BASE, *ident, *READ_ONLY.get(args[0], []), *args]
        try:
            return self.r.git.execute(
                argv, with_extended_output=True, with_exceptions=False, env=env,
                istream=None if stdin is None else _pipe(stdin), strip_newline_in_stdout=False,
            )
        except git.GitCommandNotFound:
            raise LynxError("git is not installed or not on PATH", "install git and try again") from None

    def out(self, *args: str) -> str:
        return self.run(*args)[1]

    # -- queries (read from .git by GitPython: no process) ----------------------------
    def branch(self) -> str | None:
        """The current branch, or None when HEAD is detached."""
        head = self.r.head
        if head.is_detached:
            return None
        return head.reference.path.removeprefix("refs/heads/")

    def head(self) -> str:
        from git.refs.symbolic import SymbolicReference

        try:
            return SymbolicReference.dereference_recursive(self.r, "HEAD")
        except ValueError:  # HEAD names a branch that has no commit yet
            raise LynxError(f"{self.root} has no commit yet", "commit something first (`git commit`)") from None

    def branch_commit(self, name: str) -> str | None:
        """The commit branch ``name`` points at, or None if there is no such branch."""
        from git.refs.symbolic import SymbolicReference

        try:
            return SymbolicReference.dereference_recursive(self.r, f"refs/heads/{name}")
        except ValueError:
            return None

    def branch_exists(self, name: str) -> bool:
        return self.branch_commit(name) is not None

    def dirty(self, paths: Sequence[str]) -> list[str]:
        """Files among ``paths`` with uncommitted changes (staged, unstaged or untracked)."""
        return [path for _, path in self.changes(paths)]

    def changes(self, paths: Sequence[str]) -> list[tuple[str, str]]:
        """``(porcelain code, path)`` for each file among ``paths`` with uncommitted changes; "??" is untracked."""
        out = self.out("status", "--porcelain", "--untracked-files=all", "--", *paths)
        return [(line[:2], line[3:].strip()) for line in out.splitlines() if line.strip()]

    def in_progress(self) -> str | None:
        """A merge, rebase, cherry-pick or bisect the learner is in the middle of."""
        gitdir = Path(self.r.git_dir)
        for name, what in (("MERGE_HEAD", "a merge"), ("rebase-merge", "a rebase"), ("rebase-apply", "a rebase"),
                           ("CHERRY_PICK_HEAD", "a cherry-pick"), ("REVERT_HEAD", "a revert")):
            if (gitdir / name).exists():
                return what
        return None

    # -- changes ----------------------------------------------------------------
    def apply_check(self, patch: Path, reverse: bool = False) -> str | None:
        """None if ``patch`` applies cleanly to the working tree, else git's reason."""
        args = ["apply", "--check", *(["-R"] if reverse else []), str(patch)]
        status, out, err = self.run(*args, check=False)
        return None if status == 0 else first_line(err or out)

    def apply(self, patch: Path, reverse: bool = False) -> None:
        self.run("apply", *(["-R"] if reverse else []), str(patch))

    def commit_only(self, paths: Sequence[str], message: str, changes: list[tuple[str, str]] | None = None) -> bool:
        """Commit exactly ``paths`` (never the learner's other staged work). False if nothing changed.

        ``changes``: what :meth:`changes` said of these paths, when the caller has already asked.
        """
        changes = self.changes(paths) if changes is None else changes
        if not changes:
            return False
        if any(code == "??" for code, _ in changes):  # `commit --only` takes tracked files only
            self.run("add", "--", *paths)
        self.run("commit", "--quiet", "--no-verify", "--only", "-m", message, "--", *paths)
        return True

    def new_branch(self, name: str, at: str) -> None:
        """`git switch -c NAME` from commit ``at`` (HEAD): the same refs and reflog entries, but by plumbing.

        The new branch is the commit already checked out, so neither the files nor the index change, and
        these two commands skip the refresh of the whole index that `switch` does (15-20 ms on a big course).
        """
        home = self.branch() or "HEAD"
        # An empty old value: fail if the branch exists (never move someone's branch)
        self.run("update-ref", "-m", "branch: Created from HEAD", f"refs/heads/{name}", at, "")
        self.run("symbolic-ref", "-m", f"checkout: moving from {home} to {name}", "HEAD", f"refs/heads/{name}")

    def tree_with(self, commit: str, patch: Path, reverse: bool) -> str:
        """The tree of ``commit`` with ``patch`` applied, built in a private index (the learner's is untouched)."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="lynx-index-") as tmp:
            env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
            self.run("read-tree", commit, env=env)
            self.run("apply", "--cached", *(["-R"] if reverse else []), str(patch), env=env)
            return self.run("write-tree", env=env)[1].strip()

    def copy_subtree(self, branch: str, source: str, prefix: str, message: str) -> bool:
        """Commit on ``branch`` (not checked out) the folder ``prefix`` as it is in ``source``.

        Built in a private index with plumbing, so neither the working tree nor the learner's index
        is touched. False when the folder is already the same there.
        """
        import tempfile

        status, out, _ = self.run("rev-parse", f"{source}:{prefix}", f"{branch}:{prefix}", check=False)
        if status == 0:  # both exist, the usual case: one process
            theirs, ours = out.split()
        else:
            theirs = self.run("rev-parse", "--verify", "--quiet", f"{source}:{prefix}", check=False)[1].strip()
            ours = self.run("rev-parse", "--verify", "--quiet", f"{branch}:{prefix}", check=False)[1].strip()
        if not theirs or theirs == ours:
            return False
        old = self.branch_commit(branch)
        if old is None:
            raise LynxError(f"branch {branch} is gone", f"recreate it (`git branch {branch}`), then run the command again")
        with tempfile.TemporaryDirectory(prefix="lynx-index-") as tmp:
            env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
            self.run("read-tree", old, env=env)
            self.run("rm", "-r", "-q", "-f", "--cached", "--ignore-unmatch", "--", prefix, env=env)
            self.run("read-tree", f"--prefix={prefix.rstrip('/')}/", theirs, env=env)
            tree = self.run("write-tree", env=env)[1].strip()
        commit = self.run("commit-tree", tree, "-p", old, "-m", message)[1].strip()
        self.run("update-ref", "-m", message, f"refs/heads/{branch}", commit, old)
        return True

    def diff_to_tree(self, tree: str, paths: Sequence[str]) -> str:
        """A unified diff that turns the working files into ``tree``'s version (applies with `git apply`)."""
        # -R swaps the sides; the swapped prefixes give the usual a/ (now) and b/ (fixed) headers.
        return self.run("diff", "--no-color", "--no-ext-diff", "-R", "--src-prefix=b/", "--dst-prefix=a/",
                        tree, "--", *paths)[1]

    def restore_from(self, tree: str, paths: Sequence[str]) -> None:
        self.run("checkout", tree, "--", *paths)

    def show(self, rev: str, path: str) -> str | None:
        status, out, _ = self.run("show", f"{rev}:{path}", check=False)
        return out if status == 0 else None


def first_line(text: str) -> str:
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("error: ").removeprefix("fatal: ")
    return "unknown error"


def _pipe(text: str):
    import io

    return io.BytesIO(text.encode("utf-8"))
