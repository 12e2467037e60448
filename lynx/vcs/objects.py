"""Reading a repository's objects (commits, trees, files) through one `git cat-file --batch` process.

The teacher reads lynx's own files of a learner's commit without a checkout, and a scratch copy of a
learner's `src/` is written from a tree. A learner's repository is untrusted, so paths are walked tree by
tree by object id (a name is never handed to git as text), every read is bounded in size, names that
could leave a folder (``..``, ``/``, ``.git``) are refused, and one deadline bounds the whole reader.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from lynx.vcs import git as gitrun

MAX_OBJECT = 16 * 1024 * 1024  # bytes: a bigger file (or tree) of a learner's is not read
OID = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
SAFE_NAME = re.compile(r"^[^/\x00]+$")


_TOO_BIG = ("too big", b"")


class ReadFailed(Exception):
    """The object store could not be read (git died, the deadline passed): the message says why."""


@dataclass(frozen=True)
class Entry:
    mode: str   # 100644, 100755, 120000 (symlink), 40000 (tree), 160000 (submodule)
    name: str
    oid: str

    @property
    def is_tree(self) -> bool:
        return self.mode == "40000"

    @property
    def is_file(self) -> bool:
        return self.mode in ("100644", "100755", "100664")


@dataclass(frozen=True)
class CommitInfo:
    tree: str
    parents: tuple[str, ...]
    committed: int  # seconds since the epoch (the committer's date)

    @property
    def committed_iso(self) -> str:
        return datetime.fromtimestamp(self.committed, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class ObjectReader:
    """``with ObjectReader(repo) as r: r.text(commit, "lynx.toml")`` — one process for every read."""

    def __init__(self, repo: Path, timeout: float = gitrun.LOCAL_TIMEOUT) -> None:
        self.repo = repo
        self._proc = None
        self._timeout = timeout
        self._timer: threading.Timer | None = None
        self._expired = False
        self._commits: dict[str, CommitInfo | None] = {}

    def __enter__(self) -> "ObjectReader":
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._proc is not None:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
            self._proc.kill()
            self._proc.wait()
            self._proc.stdout.close()
            self._proc = None

    def _kill(self) -> None:
        self._expired = True
        if self._proc is not None:
            self._proc.kill()

    def _process(self):
        if self._expired:
            raise ReadFailed(f"reading {self.repo} took longer than {self._timeout:g} s")
        if self._proc is None:
            self._proc = gitrun.start_batch(self.repo)
            if self._timer is None:
                self._timer = threading.Timer(self._timeout, self._kill)
                self._timer.daemon = True
                self._timer.start()
        return self._proc

    # -- raw objects ----------------------------------------------------------------------------
    def read(self, oid: str) -> tuple[str, bytes] | None:
        """``(type, data)`` of the object ``oid``, or None when it is missing or too big to read."""
        return self.read_many([oid])[0]

    def read_many(self, oids: list[str]) -> list[tuple[str, bytes] | None]:
        """Several objects through one round trip: every request written, then every answer read (the
        requests are a few dozen bytes each, far below what a pipe holds, so git never waits on them)."""
        want = [o for o in oids if OID.match(o)]
        out: dict[str, tuple[str, bytes] | None] = {}
        if want:
            proc = self._process()
            try:
                proc.stdin.write(b"".join(o.encode() + b"\n" for o in want))
                proc.stdin.flush()
                for i, oid in enumerate(want):
                    out[oid] = self._answer(proc)
                    if out[oid] is _TOO_BIG:
                        out[oid] = None
                        for rest in want[i + 1:]:  # the pipe holds the rest of that object: start again
                            out.setdefault(rest, None)
                        self.close()
                        missing = [o for o in want[i + 1:] if o not in out or out[o] is None]
                        for o, got in zip(missing, self.read_many(missing) if missing else []):
                            out[o] = got
                        break
            except (OSError, ValueError) as exc:
                raise ReadFailed(self._why() if self._expired else f"git cat-file failed in {self.repo}: {exc}") from None
        return [out.get(o) for o in oids]

    def _answer(self, proc):
        head = proc.stdout.readline().split()
        if len(head) == 2 and head[1] == b"missing":
            return None
        if len(head) != 3:
            raise ReadFailed(self._why())
        kind, size = head[1].decode(), int(head[2])
        if size > MAX_OBJECT:
            return _TOO_BIG
        data = proc.stdout.read(size + 1)
        if len(data) != size + 1:
            raise ReadFailed(self._why())
        return kind, data[:-1]

    def _why(self) -> str:
        if self._expired:
            return f"reading {self.repo} took longer than {self._timeout:g} s"
        return f"git cannot read the objects of {self.repo}"

    def commit(self, oid: str) -> CommitInfo | None:
        if oid in self._commits:
            return self._commits[oid]
        got = self.read(oid)
        info = None
        if got is not None and got[0] == "commit":
            tree, parents, when = "", [], 0
            for line in got[1].split(b"\n"):
                if not line:
                    break  # the message starts after the first empty line
                key, _, rest = line.partition(b" ")
                if key == b"tree":
                    tree = rest.decode("ascii", "replace")
                elif key == b"parent":
                    parents.append(rest.decode("ascii", "replace"))
                elif key == b"committer":
                    m = re.search(rb"> (\d+) [+-]\d{4}$", rest)
                    when = int(m.group(1)) if m else 0
            info = CommitInfo(tree, tuple(parents), when) if OID.match(tree) else None
        self._commits[oid] = info
        return info

    def entries(self, tree: str, got: tuple[str, bytes] | None | bool = False) -> list[Entry]:
        """The entries of a tree object (empty when it is not one); ``got``: the object, already read."""
        got = self.read(tree) if got is False else got
        if got is None or got[0] != "tree":
            return []
        data, out, i = got[1], [], 0
        width = 32 if len(tree) == 64 else 20
        while i < len(data):
            space = data.find(b" ", i)
            nul = data.find(b"\0", space)
            if space < 0 or nul < 0 or nul + 1 + width > len(data):
                break
            name = data[space + 1:nul].decode("utf-8", "replace")
            out.append(Entry(data[i:space].decode("ascii", "replace"), name, data[nul + 1:nul + 1 + width].hex()))
            i = nul + 1 + width
        return out

    # -- paths in a commit ----------------------------------------------------------------------
    def lookup(self, commit: str, path: str = "") -> Entry | None:
        """The entry at ``path`` (``a/b/c``) in ``commit``'s tree; the root is a tree entry named ''."""
        info = self.commit(commit)
        if info is None:
            return None
        here = Entry("40000", "", info.tree)
        for part in [p for p in path.split("/") if p]:
            if not here.is_tree:
                return None
            here = next((e for e in self.entries(here.oid) if e.name == part), None)
            if here is None:
                return None
        return here

    def text(self, commit: str, path: str) -> str | None:
        """The text of a file at ``commit``, or None when it is not a (readable) file there."""
        e = self.lookup(commit, path)
        if e is None or not e.is_file:
            return None
        got = self.read(e.oid)
        return got[1].decode("utf-8", "replace") if got and got[0] == "blob" else None

    def blob(self, commit: str, path: str) -> bytes | None:
        """The bytes of a file at ``commit``, or None when it is not a (readable) file there."""
        e = self.lookup(commit, path)
        got = self.read(e.oid) if e is not None and e.is_file else None
        return got[1] if got and got[0] == "blob" else None

    def folders(self, commit: str, path: str) -> list[str]:
        """The names of the folders inside ``path`` at ``commit``."""
        e = self.lookup(commit, path)
        return [x.name for x in self.entries(e.oid) if x.is_tree] if e is not None and e.is_tree else []

    def tree_id(self, commit: str, path: str = "") -> str | None:
        e = self.lookup(commit, path)
        return e.oid if e is not None and e.is_tree else None

    def committed_at(self, commit: str) -> str | None:
        info = self.commit(commit)
        return info.committed_iso if info else None

    # -- history ---------------------------------------------------------------------------------
    def last_before(self, commit: str, when: int, limit: int = 100_000) -> str | None:
        """The newest commit on ``commit``'s first-parent line committed at or before ``when``
        (None when there is none in the history this repository holds)."""
        here: str | None = commit
        for _ in range(limit):
            info = self.commit(here) if here else None
            if info is None:
                return None
            if info.committed <= when:
                return here
            here = info.parents[0] if info.parents else None
        return None

    # -- a tree written out -------------------------------------------------------------------------
    def export(self, tree: str, dest: Path, max_files: int = 20_000, max_bytes: int = 256 * 1024 * 1024) -> int:
        """Write the files of ``tree`` under ``dest`` (regular files only: symlinks and submodules are
        left out, names that could leave ``dest`` refused). Returns the number of files written."""
        budget = [max_files, max_bytes]

        def walk(oid: str, here: Path) -> int:
            n = 0
            for e in self.entries(oid):
                if not SAFE_NAME.match(e.name) or e.name in (".", "..") or e.name.lower() == ".git":
                    continue
                if e.is_tree:
                    (here / e.name).mkdir(exist_ok=True)
                    n += walk(e.oid, here / e.name)
                elif e.is_file:
                    got = self.read(e.oid)
                    if got is None or got[0] != "blob":
                        continue
                    budget[0] -= 1
                    budget[1] -= len(got[1])
                    if budget[0] < 0 or budget[1] < 0:
                        raise ReadFailed(f"the tree {tree[:12]} is larger than lynx copies "
                                         f"({max_files} files, {max_bytes // 2**20} MiB)")
                    target = here / e.name
                    target.write_bytes(got[1])
                    if e.mode == "100755":
                        target.chmod(0o755)
                    n += 1
            return n

        dest.mkdir(parents=True, exist_ok=True)
        return walk(tree, dest)
