"""`lynx class`: fetch a class whose learners push their workspaces to git remotes.

Each learner pushes their workspace to a remote: one bare repository per learner (its
default branch is read), or one repository with a branch per learner. lynx only reads
them (``git ls-remote`` and ``git fetch``, never a push) into the teacher's cache, one bare
repository per remote so parallel fetches never contend, then reads lynx's own files of each
learner's branch straight from git's object database (``lynx.teacher.summary``), never a checkout.

What was fetched is remembered (the commit of every branch, and the summary read from
it), so a second run asks each remote what it has (``ls-remote``, in parallel), fetches
nothing when nothing moved, and reads nothing again.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lynx.core.errors import LynxError
from lynx.teacher.roster import Remote
from lynx.teacher.summary import SUMMARY_VERSION, read_learner
from lynx.vcs import remote as git_remote


@dataclass(frozen=True)
class Setting:
    """Where `lynx class` runs: in the teacher's own workspace (its course, language and `.lynx/class`
    cache), or anywhere else (the installed course, English, ``~/.cache/lynx/class``)."""

    cache: Path
    course: Path | None
    lang: str | None
    in_workspace: bool

    @classmethod
    def find(cls, cache: Path | None) -> "Setting":
        from lynx.content.course import bundled
        from lynx.learner import workspace

        try:
            ws = workspace.load()
        except LynxError:
            ws = None
        if ws is not None:
            return cls(cache or ws.state_dir / "class", ws.root, ws.lang, True)
        try:
            course = bundled()
        except LynxError:
            course = None
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return cls(cache or base / "lynx" / "class", course, None, False)


def _ref_key(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:16]


# -- fetching ----------------------------------------------------------------------------------
@dataclass
class Learner:
    """One row: where it came from, the commit read, and what was read from it."""

    remote: Remote
    branch: str | None
    commit: str | None = None
    error: str | None = None
    summary: dict[str, Any] | None = None

    def shown_name(self) -> str:
        if self.remote.name and not self.remote.branches:
            return self.remote.name
        if self.summary and self.summary.get("learner"):
            return self.summary["learner"]
        if self.remote.branches and self.branch:
            return self.branch.rsplit("/", 1)[-1]
        return Path(self.remote.url.rstrip("/")).name.removesuffix(".git")


class ClassCache:
    """One bare repository per remote (fetches never contend), and the summaries read from each commit."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.state_file = root / "class.json"
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LynxError(f"cannot make the class cache in {root}: {exc.strerror}", "pass --cache DIR") from None
        try:
            self.state = json.loads(self.state_file.read_text(encoding="utf-8"))
            if self.state.get("version") != SUMMARY_VERSION:
                raise ValueError
        except (OSError, ValueError):
            self.state = {"version": SUMMARY_VERSION, "remotes": {}, "summaries": {}}

    def repo_for(self, url: str) -> Path:
        return self.root / "repos" / f"{_ref_key(url)}.git"

    def sync(self, remote: Remote) -> list[Learner]:
        """Ask the remote what it has; fetch and read only commits never read before. Runs in a worker thread."""
        try:
            heads, head = git_remote.ls_remote(remote.url)
        except git_remote.Unreachable as exc:
            known = self.state["remotes"].get(remote.url, {})
            if known:  # the host is down: show what was fetched last time, and say so
                return [Learner(remote, b or None, commit=c, summary=self.state["summaries"].get(c),
                                error=f"unreachable now, showing the last fetch: {exc}") for b, c in sorted(known.items())]
            return [Learner(remote, None, error=f"unreachable: {exc}")]
        if remote.branches:
            wanted = sorted(b for b in heads if fnmatch.fnmatchcase(b, remote.branches))
        else:
            pick = head if head in heads else next((b for b in ("main", "master") if b in heads), None)
            pick = pick or (sorted(heads)[0] if heads else None)
            wanted = [pick] if pick else []
        if not wanted:
            return [Learner(remote, None, error="no branch to read" if not remote.branches else
                            f"no branch matches {remote.branches}")]
        learners = [Learner(remote, b, commit=heads[b], summary=self.state["summaries"].get(heads[b])) for b in wanted]
        stale = [lr for lr in learners if lr.summary is None]
        if not stale:
            return learners  # nothing moved since the last run: no fetch, no read
        repo = self.repo_for(remote.url)
        specs = [f"+refs/heads/{lr.branch}:refs/lynx/{lr.branch}" for lr in stale]
        error = git_remote.fetch(repo, remote.url, specs)
        if error is not None and (repo / "HEAD").exists():
            shutil.rmtree(repo, ignore_errors=True)  # a damaged cache is only a cache: start it again once
            error = git_remote.fetch(repo, remote.url, specs)
        if error is not None:
            return [Learner(remote, lr.branch, error=f"fetch failed: {error}") for lr in learners]
        with git_remote.CommitReader(repo) as reader:
            for lr in stale:
                lr.summary = read_learner(reader, lr.commit)
        return learners

    def save(self, learners: list[Learner]) -> None:
        """Remember each branch's commit and its summary; forget summaries no branch points at any more."""
        from lynx.core.files import write_json

        remotes: dict[str, dict[str, str]] = {}
        summaries = {}
        for lr in learners:
            if lr.commit and lr.summary is not None:
                remotes.setdefault(lr.remote.url, {})[lr.branch or ""] = lr.commit
                summaries[lr.commit] = lr.summary
        for url, refs in self.state["remotes"].items():  # remotes not in this run keep what they had
            if url not in remotes:
                remotes[url] = refs
                summaries.update({c: self.state["summaries"][c] for c in refs.values() if c in self.state["summaries"]})
        self.state = {"version": SUMMARY_VERSION, "remotes": remotes, "summaries": summaries}
        write_json(self.state_file, self.state)


def collect(remotes: list[Remote], cache: ClassCache, jobs: int) -> list[Learner]:
    """Sync every remote in parallel (ls-remote, fetch and read what is new), then remember it all."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        learners = [lr for group in pool.map(cache.sync, remotes) for lr in group]
    cache.save(learners)
    return learners


