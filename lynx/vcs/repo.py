"""The learner's workspace as a git repository: the questions and changes the break loop needs.

Every git process costs 2-4 ms (more on a big course, whose index each one reads), so questions
GitPython can answer from `.git` itself (the branch, HEAD, whether a branch exists) start no
process at all. Every process goes through :func:`lynx.vcs.git.run` (hooks off, `--` before paths).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NamedTuple, Sequence

from lynx.core.errors import LynxError
from lynx.vcs import git as gitrun

class Snapshot(NamedTuple):
    """Where the repository stood before lynx changed it: the branch, its commit, the index's bytes."""

    branch: str
    head: str
    index: bytes | None


# What git leaves in .git while an operation waits for the learner, and how they finish or abort it.
IN_PROGRESS = (("MERGE_HEAD", "a merge", "`git commit` to finish it, or `git merge --abort`"),
               ("rebase-merge", "a rebase", "`git rebase --continue` to finish it, or `git rebase --abort`"),
               ("rebase-apply", "a rebase or `git am`", "`git rebase --continue` (or `git am --continue`), or --abort"),
               ("CHERRY_PICK_HEAD", "a cherry-pick", "`git cherry-pick --continue` to finish it, or `git cherry-pick --abort`"),
               ("REVERT_HEAD", "a revert", "`git revert --continue` to finish it, or `git revert --abort`"),
               ("sequencer", "a cherry-pick or revert of several commits", "`git cherry-pick --continue` (or `git revert "
                "--continue`), or --abort"),
               ("BISECT_LOG", "a bisect", "`git bisect reset` when you are done bisecting"))
INDEX_LOCK_WAIT = 2.0  # seconds: another git process (an editor's `git status`) usually lets go at once


@contextmanager
def open_repo(root: Path) -> Iterator["Repo"]:
    """``with open_repo(root) as repo:`` — a GitPython Repo opened and closed around lynx's calls."""
    git = gitrun.gitpython()
    try:
        r = git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise LynxError(f"{root} is not a git repository", "run `lynx init DIR --learner NAME` to make a workspace") from None
    with r:
        yield Repo(r, root)


# git's words for a write that failed: on a full disk it often names only the file it could not write.
WRITE_FAILED = ("no space left on device", "disk quota exceeded", "couldn't write", "could not write",
                "unable to write", "failed to write", "short write")


def failure(command: str, text: str) -> LynxError:
    """A failed git command as one line: git's own first error line, and a fix that fits it (a full disk
    when git says it could not write, which is how a full disk usually shows)."""
    said = text.lower()
    if any(words in said for words in WRITE_FAILED):
        full = "no space left on device" in said or "disk quota exceeded" in said
        why = "" if full else " (git could not write a file: is the disk full?)"
        return LynxError(f"git {command} failed: {gitrun.first_line(text)}{why}",
                         "free some space on that disk (`df -h` shows how much is left), then run the command again",
                         code=2)
    return LynxError(f"git {command} failed: {gitrun.first_line(text)}", "see `git status`; your files are unchanged",
                     code=2)


class Repo:
    def __init__(self, r, root: Path) -> None:  # r: git.Repo
        self.r = r
        self.root = root

    def run(self, *args: str, check: bool = True, env: dict[str, str] | None = None) -> gitrun.Result:
        """`git <args>` in the workspace; a failure raises LynxError unless ``check`` is False."""
        result = gitrun.run(args, self.root, env=env, runner=self.r.git)
        if check and result.status != 0:
            raise failure(args[0], result.err or result.out)
        return result

    def out(self, *args: str) -> str:
        return self.run(*args).out

    # -- questions (read from .git by GitPython: no process) -----------------------------
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

    def in_progress(self) -> str | None:
        """A merge, rebase, cherry-pick, revert or bisect the learner is in the middle of."""
        busy = self._busy()
        return busy[0] if busy else None

    def _busy(self) -> tuple[str, str] | None:
        gitdir = Path(self.r.git_dir)
        return next(((what, how) for name, what, how in IN_PROGRESS if (gitdir / name).exists()), None)

    def require_idle(self) -> None:
        """Refuse, before anything changes, while git is in the middle of an operation, HEAD is detached, or
        another git process holds the index: a commit, a switch or an apply would mix into it."""
        import time

        busy = self._busy()
        if busy:
            raise LynxError(f"git is in the middle of {busy[0]} in {self.root}", f"finish or abort it first: {busy[1]}")
        if self.r.head.is_detached:
            raise LynxError("HEAD is detached (you are not on a branch)",
                            "switch to your branch first, e.g. `git switch main`")
        lock = Path(self.r.git_dir) / "index.lock"
        deadline = time.monotonic() + INDEX_LOCK_WAIT
        while lock.exists():
            if time.monotonic() > deadline:
                raise LynxError(f"another git process is using this repository ({lock} exists)",
                                f"wait for it to end; if no git is running, delete {lock}")
            time.sleep(0.1)

    # -- questions that need a process -----------------------------------------------------
    def changes(self, paths: Sequence[str]) -> list[tuple[str, str]]:
        """``(porcelain code, path)`` for each file among ``paths`` with uncommitted changes; "??" is untracked."""
        out = self.out("status", "--porcelain", "--untracked-files=all", "--", *paths)
        return [(line[:2], line[3:].strip()) for line in out.splitlines() if line.strip()]

    def dirty(self, paths: Sequence[str]) -> list[str]:
        """Files among ``paths`` with uncommitted changes (staged, unstaged or untracked)."""
        return [path for _, path in self.changes(paths)]

    def differs(self, tree: str, paths: Sequence[str]) -> bool:
        """Whether the working ``paths`` differ from their version in ``tree``."""
        return self.run("diff", "--quiet", tree, "--", *paths, check=False).status != 0

    def last_subject(self) -> str:
        return self.out("log", "-1", "--format=%s")

    def ahead(self, base: str, branch: str) -> int:
        """Commits on ``branch`` that ``base`` does not have."""
        return int(self.out("rev-list", "--count", f"{base}..{branch}").strip() or 0)

    def recent(self, branch: str, n: int = 200) -> list[tuple[str, str, str]]:
        """``(commit, first parent, subject)`` of the last ``n`` commits of ``branch``."""
        rows = []
        for line in self.out("log", "--format=%H %P %s", "-n", str(n), branch).splitlines():
            commit, parent, subject = (line.split(" ", 2) + ["", ""])[:3]
            rows.append((commit, parent, subject))
        return rows

    def branches_containing(self, commit: str) -> list[str]:
        out = self.out("branch", "--format=%(refname:short)", "--contains", commit)
        return [b.strip().lstrip("* ") for b in out.splitlines() if b.strip()]

    def files_of(self, commit: str) -> list[str]:
        return self.out("show", "--name-only", "--format=", commit).split()

    def show(self, rev: str, path: str) -> str | None:
        """The text of ``path`` at ``rev``, or None when it is not there."""
        result = self.run("show", f"{rev}:{path}", check=False)
        return result.out if result.status == 0 else None

    # -- changes -------------------------------------------------------------------------
    def apply_check(self, patch: Path, reverse: bool = False) -> str | None:
        """None if ``patch`` applies cleanly to the working tree, else git's reason."""
        result = self.run("apply", "--check", *(["-R"] if reverse else []), str(patch), check=False)
        return None if result.status == 0 else gitrun.first_line(result.err or result.out)

    def apply(self, patch: Path, reverse: bool = False) -> None:
        self.run("apply", *(["-R"] if reverse else []), str(patch))

    def commit_only(self, paths: Sequence[str], message: str, changes: list[tuple[str, str]] | None = None) -> bool:
        """Commit exactly ``paths`` (never the learner's other staged work). False if nothing changed.

        ``changes``: what :meth:`changes` said of these paths, when the caller has already asked.
        """
        changes = self.changes(paths) if changes is None else changes
        if not changes:
            return False
        if not any(code == "??" for code, _ in changes):
            self.commit_paths(paths, message)
            return True
        self.add_and_commit(paths, message)  # `commit --only` takes tracked files only
        return True

    def commit_paths(self, paths: Sequence[str], message: str) -> None:
        """`git commit --only -- PATHS`: the learner's index keeps everything else it holds."""
        self.run("commit", "--quiet", "--no-verify", "--only", "-m", message, "--", *paths)

    def add_and_commit(self, paths: Sequence[str], message: str) -> None:
        """Commit ``paths``, untracked files among them included, when the caller knows they changed.

        A commit that fails leaves the index as it was: nothing lynx added stays staged for the learner."""
        from lynx.core.files import Room

        saved = self.index_bytes()
        # Room to write the index back: on a disk that fills up meanwhile the undo would fail too and leave
        # lynx's files staged in the learner's index. No room: refused here, nothing staged.
        room = Room(Path(self.r.git_dir) / "lynx-index-room", 2 * len(saved or b"") + (1 << 16))
        room.take()
        try:
            self.run("add", "--", *paths)
            self.commit_paths(paths, message)
        except (LynxError, OSError):
            room.give()
            self.put_index(saved)
            raise
        room.give()

    # -- undo (only of what lynx itself changed a moment ago, under its lock) -------------------
    def index_bytes(self) -> bytes | None:
        try:
            return (Path(self.r.git_dir) / "index").read_bytes()
        except FileNotFoundError:
            return None

    def put_index(self, data: bytes | None) -> bool:
        """Put the index back as ``data`` (read by :meth:`index_bytes`); False when git holds it now."""
        from lynx.core.files import atomic_write_bytes

        gitdir = Path(self.r.git_dir)
        if data is None or (gitdir / "index.lock").exists():
            return False
        try:
            atomic_write_bytes(gitdir / "index", data, journal=False)
        except OSError:
            return False
        return True

    def snapshot(self) -> Snapshot:
        home = self.branch()
        if home is None:
            raise LynxError("HEAD is detached (you are not on a branch)", "switch to your branch first, e.g. `git switch main`")
        return Snapshot(home, self.head(), self.index_bytes())

    def rollback(self, snap: Snapshot, files: Sequence[str], drop: str | None = None) -> bool:
        """Undo lynx's own changes since ``snap``: back on its branch, the branch back at its commit, ``files``
        (clean then) as they were, branch ``drop`` deleted, the index as it was. False if a step failed
        (what is left is for `lynx recover`)."""
        try:
            if self.branch() != snap.branch:
                self.restore_head(files)
                if self.switch(snap.branch) is not None:
                    return False
            now = self.branch_commit(snap.branch)
            if now is not None and now != snap.head:
                self.run("update-ref", "-m", "lynx: undo a command that failed", f"refs/heads/{snap.branch}",
                         snap.head, now)
            if files:
                self.run("checkout", snap.head, "--", *files)
            if drop and self.branch_exists(drop) and drop != snap.branch:
                self.run("branch", "-D", drop)
            return self.put_index(snap.index)
        except (LynxError, OSError):
            return False

    def new_branch(self, name: str, at: str) -> None:
        """`git switch -c NAME` from commit ``at`` (HEAD): the same refs and reflog entries, but by plumbing.

        The new branch is the commit already checked out, so neither the files nor the index change, and
        these two commands skip the refresh of the whole index that `switch` does (15-20 ms on a big course).
        """
        home = self.branch() or "HEAD"
        # An empty old value: fail if the branch exists (never move someone's branch)
        self.run("update-ref", "-m", "branch: Created from HEAD", f"refs/heads/{name}", at, "")
        self.run("symbolic-ref", "-m", f"checkout: moving from {home} to {name}", "HEAD", f"refs/heads/{name}")

    def switch(self, branch: str) -> str | None:
        """Switch to ``branch``; None on success, else git's reason (nothing changed)."""
        result = self.run("switch", "--quiet", branch, check=False)
        return None if result.status == 0 else gitrun.first_line(result.err)

    def delete_branch(self, name: str) -> None:
        self.run("branch", "-D", name, check=False)

    def restore_head(self, paths: Sequence[str]) -> None:
        """Put ``paths`` back as HEAD has them (only for files lynx itself changed a moment ago)."""
        self.run("checkout", "HEAD", "--", *paths, check=False)

    def restore_from(self, tree: str, paths: Sequence[str]) -> None:
        self.run("checkout", tree, "--", *paths)

    def tree_with(self, commit: str, patch: Path, reverse: bool) -> str:
        """The tree of ``commit`` with ``patch`` applied, built in a private index (the learner's is untouched)."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="lynx-index-") as tmp:
            env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
            self.run("read-tree", commit, env=env)
            self.run("apply", "--cached", *(["-R"] if reverse else []), str(patch), env=env)
            return self.run("write-tree", env=env).out.strip()

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
            theirs = self.run("rev-parse", "--verify", "--quiet", f"{source}:{prefix}", check=False).out.strip()
            ours = self.run("rev-parse", "--verify", "--quiet", f"{branch}:{prefix}", check=False).out.strip()
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
            tree = self.run("write-tree", env=env).out.strip()
        commit = self.run("commit-tree", tree, "-p", old, "-m", message).out.strip()
        self.run("update-ref", "-m", message, f"refs/heads/{branch}", commit, old)
        return True

    def remote_url(self, name: str) -> str | None:
        """The URL of remote ``name``, or None when there is no such remote."""
        result = self.run("remote", "get-url", "--", name, check=False)
        return result.out.strip() or None if result.status == 0 else None

    def local_branches(self, prefix: str) -> list[str]:
        out = self.out("for-each-ref", "--format=%(refname:short)", f"refs/heads/{prefix}")
        return [b.strip() for b in out.splitlines() if b.strip()]

    def push(self, remote: str, branches: Sequence[str], timeout: float) -> tuple[bool, str]:
        """Push ``branches`` (each to the branch of the same name) to ``remote``, never forced:
        (True, "") or (False, git's reason in one line). Nothing local changes either way."""
        specs = [f"refs/heads/{b}:refs/heads/{b}" for b in branches]
        result = gitrun.run(["push", "--porcelain", "--", remote, *specs], self.root, timeout=timeout, runner=self.r.git)
        if result.status == 0:
            return True, ""
        rejected = []
        for line in result.out.splitlines():
            parts = line.split("\t")
            if line.startswith("!") and len(parts) >= 3:
                rejected.append(f"{parts[1].split(':')[0].removeprefix('refs/heads/')} {parts[2].strip()}")
        if rejected:
            return False, "rejected: " + ", ".join(rejected[:3])
        return False, result.err.strip() if result.status == 124 else gitrun.all_lines(result.err, 3)

    def diff_to_tree(self, tree: str, paths: Sequence[str]) -> str:
        """A unified diff that turns the working files into ``tree``'s version (applies with `git apply`)."""
        # -R swaps the sides; the swapped prefixes give the usual a/ (now) and b/ (fixed) headers.
        return self.run("diff", "--no-color", "--no-ext-diff", "-R", "--src-prefix=b/", "--dst-prefix=a/",
                        tree, "--", *paths).out


def init(target: Path) -> None:
    """`git init` with `main` as the first branch (git < 2.28 has no -b: then the default name)."""
    result = gitrun.run(["init", "--quiet", "-b", "main", str(target)], None)
    if result.status != 0:
        result = gitrun.run(["init", "--quiet", str(target)], None)
        if result.status != 0:
            raise LynxError(f"git init failed: {gitrun.first_line(result.err)}", "check that git works in that folder")
