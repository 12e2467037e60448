"""lynx's git calls, through GitPython: hooks off, `--` before paths, one clear error each.

`import git` costs ~110 ms, so it happens inside these functions, never at start-up.
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
BASE = ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", "-c", "core.quotePath=false"]


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
        import git

        argv = ["git", *BASE, *self.identity(args), *args]
        try:
            status, out, err = self.r.git.execute(
                argv, with_extended_output=True, with_exceptions=False, env=env,
                istream=None if stdin is None else _pipe(stdin), strip_newline_in_stdout=False,
            )
        except git.GitCommandNotFound:
            raise LynxError("git is not installed or not on PATH", "install git and try again") from None
        checkpoint(f"git {args[0]}")
        if check and status != 0:
            raise LynxError(f"git {args[0]} failed: {first_line(err or out)}", "see `git status`; your files are unchanged",
                            code=2)
        return status, out, err

    def out(self, *args: str) -> str:
        return self.run(*args)[1]

    def identity(self, args: Sequence[str]) -> list[str]:
        """A fallback author for lynx's commits when the learner has set none (e.g. on CI)."""
        if not args or args[0] not in ("commit", "commit-tree", "merge"):
            return []
        if self._ident is None:
            r = self.r.git.execute(["git", "config", "user.email"], with_exceptions=False, with_extended_output=True)
            if r[0] == 0 and r[1].strip():
                self._ident = []
            else:
                self._ident = ["-c", "user.name=lynx learner", "-c", "user.email=learner@lynx.invalid"]
        return self._ident

    # -- queries ----------------------------------------------------------------
    def branch(self) -> str | None:
        """The current branch, or None when HEAD is detached."""
        status, out, _ = self.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        return out.strip() if status == 0 else None

    def head(self) -> str:
        status, out, err = self.run("rev-parse", "--verify", "HEAD", check=False)
        if status != 0:
            raise LynxError(f"{self.root} has no commit yet", "commit something first (`git commit`)")
        return out.strip()

    def branch_exists(self, name: str) -> bool:
        return self.run("rev-parse", "--verify", "--quiet", f"refs/heads/{name}", check=False)[0] == 0

    def dirty(self, paths: Sequence[str]) -> list[str]:
        """Files among ``paths`` with uncommitted changes (staged, unstaged or untracked)."""
        out = self.out("status", "--porcelain", "--untracked-files=all", "--", *paths)
        return [line[3:].strip() for line in out.splitlines() if line.strip()]

    def in_progress(self) -> str | None:
        """A merge, rebase, cherry-pick or bisect the learner is in the middle of."""
        gitdir = Path(self.out("rev-parse", "--git-dir").strip())
        if not gitdir.is_absolute():
            gitdir = self.root / gitdir
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

    def commit_only(self, paths: Sequence[str], message: str) -> bool:
        """Commit exactly ``paths`` (never the learner's other staged work). False if nothing changed."""
        if not self.dirty(paths):
            return False
        self.run("add", "--", *paths)
        self.run("commit", "--quiet", "--no-verify", "--only", "-m", message, "--", *paths)
        return True

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

        theirs = self.run("rev-parse", "--verify", "--quiet", f"{source}:{prefix}", check=False)[1].strip()
        ours = self.run("rev-parse", "--verify", "--quiet", f"{branch}:{prefix}", check=False)[1].strip()
        if not theirs or theirs == ours:
            return False
        old = self.out("rev-parse", "--verify", f"refs/heads/{branch}").strip()
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
