"""`lynx class`: read a class whose learners push their workspaces to git remotes.

Each learner pushes their workspace to a remote: one bare repository per learner (its default branch is
read), or one repository with a branch per learner. lynx only reads them, never pushes, and reads only
what it needs:

- a repository on this machine (a plain path) is read in place: its branches from its ref files
  (:mod:`lynx.vcs.refs`, no process), lynx's files from its objects (:mod:`lynx.vcs.objects`);
- any other remote (``git://``, ``http(s)://``, ssh, ``file://``) is asked what it has (``git ls-remote``)
  and only a tip that moved is fetched, shallow, into the teacher's cache (one bare repository per remote,
  so parallel fetches never contend).

What was read is remembered (the commit of every branch, and the summary read from it), so a second run
reads nothing again, and the cache file is rewritten only when something changed. Every git call that
can reach a network has the ``--timeout``: a remote that never answers becomes its row's note.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from lynx.core.errors import LynxError
from lynx.teacher import reading
from lynx.teacher.due import CourseCards
from lynx.teacher.roster import Remote
from lynx.teacher.summary import SUMMARY_VERSION, read_learner
from lynx.vcs import refs as git_refs
from lynx.vcs import remote as git_remote
from lynx.vcs.objects import ObjectReader, ReadFailed


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


@dataclass(frozen=True)
class Options:
    timeout: float = git_remote.NETWORK_TIMEOUT   # seconds, for every git call that can reach a network
    as_of: datetime | None = None                 # read each branch as it stood then (from its history)
    code: bool = False                            # also the lynx/* branches: the code of each break and build


def _ref_key(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:16]


# -- one row -------------------------------------------------------------------------------------
@dataclass
class Learner:
    """One row: where it came from, the commit read, and what was read from it."""

    remote: Remote
    branch: str | None
    commit: str | None = None                                # the commit read (the tip, or the last one by --as-of)
    error: str | None = None
    summary: dict[str, Any] | None = None
    warning: str | None = None                               # history rewritten since the last read
    code_refs: dict[str, str] = field(default_factory=dict)  # lynx/break/..., lynx/build/... -> commit
    never_pushed: bool = False
    tip: str | None = None                                   # the branch's tip now
    pending: bool = False                                    # its objects are here, its summary still to read
    before: str | None = None                                # the tip read last time
    full: dict[str, Any] | None = None                       # the whole summary, once read or loaded

    def shown_name(self) -> str:
        if self.remote.name and not self.remote.branches:
            return self.remote.name
        if self.summary and self.summary.get("learner"):
            return self.summary["learner"]
        if self.remote.branches and self.branch:
            return self.branch.rsplit("/", 1)[-1]
        return Path(self.remote.url.rstrip("/")).name.removesuffix(".git") or self.remote.url


def _pick(remote: Remote, heads: dict[str, str], head: str | None) -> list[str]:
    """The learner branches of a remote: its default branch, or the branches matching its glob
    (lynx's own break and build branches are code, never a learner)."""
    mine = {b: c for b, c in heads.items() if not b.startswith("lynx/")}
    if remote.branches:
        return sorted(b for b in mine if fnmatch.fnmatchcase(b, remote.branches))
    pick = head if head in mine else next((b for b in ("main", "master") if b in mine), None)
    pick = pick or (sorted(mine)[0] if mine else None)
    return [pick] if pick else []


class ClassCache:
    """What was read from every remote (its branches' commits and the summaries read from them), and one
    bare repository per fetched remote."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.state_file = root / "class.json"
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LynxError(f"cannot make the class cache in {root}: {exc.strerror}", "pass --cache DIR") from None
        try:
            self.state = json.loads(self.state_file.read_text(encoding="utf-8"))
            if self.state.get("version") != SUMMARY_VERSION or not isinstance(self.state.get("summaries"), dict):
                raise ValueError
        except (OSError, ValueError):
            self.state = {"version": SUMMARY_VERSION, "remotes": {}, "summaries": {}}
        self._known = set(self.state["summaries"])

    def repo_for(self, url: str) -> Path:
        return self.root / "repos" / f"{_ref_key(url)}.git"

    def objects_of(self, remote: Remote) -> Path:
        """The repository holding a remote's objects: the learner's own (read in place) or the cache's."""
        if git_refs.is_local(remote.url):
            return git_refs.git_dir(Path(remote.url).expanduser()) or Path(remote.url)
        return self.repo_for(remote.url)

    def full(self, lr: Learner) -> dict[str, Any] | None:
        """A learner's whole summary: read this run, kept in the cache, or read again from the objects."""
        if lr.full is None and lr.commit:
            lr.full = reading.load_full(self.root, lr.commit)
            if lr.full is None:
                try:
                    with self.reader(lr.remote, 60.0) as reader:
                        lr.full = read_learner(reader, lr.commit) if reader.commit(lr.commit) else None
                except ReadFailed:
                    lr.full = None
                if lr.full is not None:
                    reading.store_full(self.root, lr.commit, lr.full)
        return lr.full

    def reader(self, remote: Remote, timeout: float) -> ObjectReader:
        return ObjectReader(self.objects_of(remote), timeout=max(timeout, 60.0))

    # -- one remote, in a worker thread ----------------------------------------------------------
    def sync(self, remote: Remote, opts: Options) -> list[Learner]:
        """Ask the remote what it has; fetch and read only what was never read before."""
        if not remote.url:
            return [Learner(remote, None, error="never pushed (no remote given)", never_pushed=True)]
        local = git_refs.is_local(remote.url)
        try:
            # The default branch alone, unless every branch matters (a glob, or the code branches for --verify)
            found = git_refs.local_heads(Path(remote.url).expanduser(), every=bool(remote.branches or opts.code)) \
                if local else None
            heads, head = found if found is not None else git_remote.ls_remote(remote.url, opts.timeout)
        except git_remote.Unreachable as exc:
            known = self.state["remotes"].get(remote.url, {})
            if known:  # the host is down: show what was read last time, and say so
                return [Learner(remote, b or None, commit=c, summary=self.state["summaries"].get(c),
                                error=f"unreachable now, showing the last fetch: {exc}") for b, c in sorted(known.items())]
            return [Learner(remote, None, error=f"unreachable: {exc}")]
        wanted = _pick(remote, heads, head)
        if not wanted:
            if not heads:
                return [Learner(remote, None, error="never pushed (the repository is empty)", never_pushed=True)]
            return [Learner(remote, None, error="no branch to read" if not remote.branches else
                            f"no branch matches {remote.branches}")]
        known = self.state["remotes"].get(remote.url, {})
        learners = [Learner(remote, b, commit=heads[b], tip=heads[b]) for b in wanted]
        code = {b: c for b, c in heads.items() if b.startswith("lynx/")} if opts.code else {}
        moved = [lr for lr in learners if known.get(lr.branch) not in (None, lr.commit)]
        stale = [lr for lr in learners if lr.commit not in self.state["summaries"]]
        if not (stale or moved or opts.as_of or code):
            for lr in learners:  # nothing moved since the last run: no fetch, no read
                lr.summary = self.state["summaries"][lr.commit]
            return learners
        if not local:
            error = self._fetch(remote, learners, known, code, opts)
            if error is not None:
                return [Learner(remote, lr.branch, error=f"fetch failed: {error}") for lr in learners]
        for lr in learners:  # read later, all together (read_pending): in processes when there are many
            lr.pending, lr.before, lr.code_refs = True, known.get(lr.branch), code
        return learners

    def _fetch(self, remote: Remote, learners: list[Learner], known: dict[str, str], code: dict[str, str],
               opts: Options) -> str | None:
        """Fetch the tips lynx has not got: shallow for a new branch, from the last commit read for one that
        moved (so a rewritten history shows), the whole history for ``--as-of``."""
        repo = self.repo_for(remote.url)
        spec = lambda b: f"+refs/heads/{b}:refs/lynx/{b}"  # noqa: E731
        have = set()
        if (repo / "HEAD").exists():
            with ObjectReader(repo) as r:
                have = {c for c in [*known.values(), *(lr.commit for lr in learners), *code.values()]
                        if c and r.commit(c) is not None}
        if opts.as_of:
            groups = [([spec(lr.branch) for lr in learners], None, True)]
        else:
            grown = [spec(lr.branch) for lr in learners if lr.commit not in have and known.get(lr.branch) in have]
            fresh = [spec(lr.branch) for lr in learners if lr.commit not in have and known.get(lr.branch) not in have]
            groups = [(grown, None, False), (fresh, 1, False)]
        groups.append(([spec(b) for b, c in sorted(code.items()) if c not in have], 1, False))
        for specs, depth, full in groups:
            if not specs:
                continue
            error = git_remote.fetch(repo, remote.url, specs, opts.timeout, depth=depth, unshallow=full)
            if error is not None and (repo / "HEAD").exists() and not have:
                shutil.rmtree(repo, ignore_errors=True)  # a damaged cache is only a cache: start it again once
                error = git_remote.fetch(repo, remote.url, specs, opts.timeout, depth=depth, unshallow=full)
            if error is not None:
                return error
        return None

    # -- remembering -------------------------------------------------------------------------------
    def save(self, learners: list[Learner], as_of: bool = False) -> bool:
        """Remember each branch's tip and the summaries read; forget summaries no branch points at any
        more. Writes the file only when something changed (returns whether it did). A ``--as-of`` run
        keeps the tips of the last ordinary run (its summaries are kept beside them)."""
        from lynx.core.files import atomic_write_text

        old = self.state
        remotes: dict[str, dict[str, str]] = {} if not as_of else {u: dict(b) for u, b in old["remotes"].items()}
        summaries = {}
        for lr in learners:
            if lr.commit and lr.summary is not None:
                summaries[lr.commit] = lr.summary
                if not as_of and lr.tip and not lr.error:
                    remotes.setdefault(lr.remote.url, {})[lr.branch or ""] = lr.tip
        for url, branches in old["remotes"].items():  # remotes not read in this run keep what they had
            if url not in remotes:
                remotes[url] = branches
        for branches in remotes.values():
            summaries.update({c: old["summaries"][c] for c in branches.values()
                              if c in old["summaries"] and c not in summaries})
        changed = remotes != old["remotes"] or set(summaries) != self._known  # a commit's summary never changes
        self.state = {"version": SUMMARY_VERSION, "remotes": remotes, "summaries": summaries}
        if not changed:
            return False
        atomic_write_text(self.state_file, json.dumps(self.state, ensure_ascii=False, sort_keys=True,
                                                       separators=(",", ":")) + "\n")
        self._known = set(summaries)
        return True


def read_pending(learners: list[Learner], cache: ClassCache, opts: Options, jobs: int, cards: CourseCards,
                 progress: Callable[[int, int], None] | None = None) -> None:
    """Read the summary of every pending learner (:mod:`lynx.teacher.reading`), one repository's together."""
    groups: dict[Path, list[Learner]] = {}
    for lr in learners:
        if lr.pending:
            groups.setdefault(cache.objects_of(lr.remote), []).append(lr)
    if not groups:
        return
    work = [(repo, [(lr.tip, lr.before, lr.branch) for lr in group], opts.timeout, opts.as_of)
            for repo, group in groups.items()]
    results = reading.read_all(work, cache.state["summaries"], cache.root, cards, jobs, progress)
    for group, got in zip(groups.values(), results):
        for lr, (commit, summary, full, warning, error) in zip(group, got):
            lr.pending = False
            lr.commit, lr.summary, lr.full, lr.warning = commit, summary, full, warning
            if error:
                lr.error = error


def recount(learners: list[Learner], cache: ClassCache, cards: CourseCards) -> None:
    """Summaries kept from another version of the course: their cards' due times worked out again."""
    from lynx.teacher.due import due_times

    for lr in learners:
        if lr.summary is not None and lr.summary.get("due_key") != cards.key:
            full = cache.full(lr)
            if full is not None:
                lr.summary = {**lr.summary, "due": due_times(full, cards), "due_key": cards.key}


def collect(remotes: list[Remote], cache: ClassCache, jobs: int, opts: Options, cards: CourseCards,
            progress: Callable[[int, int], None] | None = None) -> list[Learner]:
    """Ask every remote what it has and fetch what is new (threads: it waits on the network; a path is
    read at once), then read what was never read (processes), then remember it all."""
    import threading

    lock, done = threading.Lock(), [0]

    def one(remote: Remote) -> list[Learner]:
        try:
            got = cache.sync(remote, opts)
        except LynxError as exc:
            got = [Learner(remote, None, error=f"unreadable: {exc.message}")]
        with lock:
            done[0] += 1
            if progress is not None and (done[0] % 25 == 0 or done[0] == len(remotes)):
                progress(done[0], len(remotes))
        return got

    # A path's branches are two small files: read here, at once (a thread per remote would cost more).
    local = {i for i, r in enumerate(remotes) if r.url and git_refs.is_local(r.url) and not r.branches}
    groups: list[list[Learner] | None] = [one(r) if i in local else None for i, r in enumerate(remotes)]
    far = [r for i, r in enumerate(remotes) if i not in local]
    if far:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            fetched = iter(list(pool.map(one, far)))
        groups = [g if g is not None else next(fetched) for g in groups]
    learners = [lr for g in groups for lr in g]
    read_pending(learners, cache, opts, jobs, cards, progress)
    recount(learners, cache, cards)
    cache.save(learners, as_of=opts.as_of is not None)
    return learners
