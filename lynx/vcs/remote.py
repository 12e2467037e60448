"""The teacher's side of git: ask a learner's remote what it has, fetch it into a bare cache
repository, and read files straight from git's object database (never a checkout).

Every call that can reach a network has a timeout: a remote that never answers becomes its
learner's note, never a stalled class.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from lynx.core.errors import LynxError
from lynx.vcs import git as gitrun

NETWORK_TIMEOUT = 300.0  # seconds, when the caller names none
# Fetches into one cache repository run side by side: no FETCH_HEAD, no auto-gc, no maintenance.
FETCH_CONFIG = ["-c", "gc.auto=0", "-c", "maintenance.auto=false", "-c", "fetch.writeCommitGraph=false"]


class Unreachable(Exception):
    """The remote could not be asked (down, refused, timed out, not a repository): the message says why."""


def ls_remote(url: str, timeout: float = NETWORK_TIMEOUT) -> tuple[dict[str, str], str | None]:
    """The remote's branches ``{name: commit}`` and the branch its HEAD points at."""
    if url.startswith("-"):  # would be read as an option of git (e.g. --upload-pack=...)
        raise Unreachable(f"{url!r} is not a repository URL")
    result = gitrun.run(["ls-remote", "--symref", url, "HEAD", "refs/heads/*"], None, timeout=timeout)
    if result.status != 0:
        raise Unreachable(gitrun.all_lines(result.err, 2) if result.status != 124 else result.err)
    heads: dict[str, str] = {}
    head = None
    for line in result.out.splitlines():
        left, _, ref = line.partition("\t")
        if left.startswith("ref: ") and ref == "HEAD":
            head = left[5:].removeprefix("refs/heads/")
        elif ref.startswith("refs/heads/"):
            heads[ref.removeprefix("refs/heads/")] = left
    return heads, head


def ensure_bare(repo: Path) -> None:
    """A bare repository at ``repo`` (made if missing)."""
    if (repo / "HEAD").exists():
        return
    result = gitrun.run(["init", "--bare", "--quiet", str(repo)], None)
    if result.status != 0:
        raise LynxError(f"cannot make the class cache in {repo}: {gitrun.first_line(result.err)}", "pass --cache DIR")


def fetch(repo: Path, url: str, specs: list[str], timeout: float = NETWORK_TIMEOUT) -> str | None:
    """Fetch ``specs`` from ``url`` into the bare ``repo``; None on success, else why not (one line)."""
    ensure_bare(repo)
    result = gitrun.run([*FETCH_CONFIG, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--no-auto-gc",
                         url, *specs], repo, timeout=timeout)
    if result.status == 0:
        return None
    return result.err if result.status == 124 else gitrun.all_lines(result.err, 2)


class CommitReader:
    """Files of commits in a (bare) repository, read from its object database through GitPython.

    ``with CommitReader(repo) as r: r.text(commit, "lynx.toml")``
    """

    def __init__(self, repo: Path) -> None:
        git = gitrun.gitpython()
        self._repo = git.Repo(repo)
        self._repo.git.update_environment(**gitrun.NO_PROMPT)

    def __enter__(self) -> "CommitReader":
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._repo.close()

    def _object(self, commit: str, path: str = ""):
        from gitdb.exc import ODBError

        try:
            tree = self._repo.commit(commit).tree
            return tree / path if path else tree
        except (KeyError, ValueError, ODBError):
            return None

    def text(self, commit: str, path: str) -> str | None:
        """The text of a file at ``commit``, or None when it is not a file there."""
        obj = self._object(commit, path)
        if obj is None or obj.type != "blob":
            return None
        return obj.data_stream.read().decode("utf-8", "replace")

    def folders(self, commit: str, path: str) -> list[str]:
        """The names of the folders inside ``path`` at ``commit``."""
        obj = self._object(commit, path)
        return [t.name for t in obj.trees] if obj is not None and obj.type == "tree" else []

    def committed_at(self, commit: str) -> str | None:
        from gitdb.exc import ODBError

        try:
            ts = self._repo.commit(commit).committed_date
        except (KeyError, ValueError, ODBError):
            return None
        return datetime.fromtimestamp(ts, timezone.utc).isoformat()
