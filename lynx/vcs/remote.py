"""The teacher's side of git: ask a learner's remote what it has and fetch only what lynx reads (the tip of
each branch, shallow) into a bare cache repository; files are then read from the objects
(:mod:`lynx.vcs.objects`), never a checkout.

Every call that can reach a network has a timeout: a remote that never answers becomes its
learner's note, never a stalled class.
"""

from __future__ import annotations

from pathlib import Path

from lynx.core.errors import LynxError
from lynx.vcs import git as gitrun

NETWORK_TIMEOUT = 30.0  # seconds, when the caller names none (`lynx class --timeout`)
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
        raise Unreachable(gitrun.all_lines(result.err, 3) if result.status != 124 else result.err)
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


def fetch(repo: Path, url: str, specs: list[str], timeout: float = NETWORK_TIMEOUT, depth: int | None = 1,
          unshallow: bool = False) -> str | None:
    """Fetch ``specs`` from ``url`` into the bare ``repo``; None on success, else why not (one line).

    ``depth``: 1 fetches each branch's tip alone (what lynx reads: about one workspace's tree, however long
    the history); None fetches what is new since the commits the repository has (a learner's later commits,
    or their whole history when it was rewritten). ``unshallow``: the whole history (``--as-of``).
    """
    ensure_bare(repo)
    shallow = (repo / "shallow").exists()
    how = ["--unshallow"] if unshallow and shallow else [f"--depth={depth}"] if depth and not unshallow else []
    result = gitrun.run([*FETCH_CONFIG, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--no-auto-gc",
                         *how, url, *specs], repo, timeout=timeout)
    if result.status == 0:
        return None
    return result.err if result.status == 124 else gitrun.all_lines(result.err, 3)
