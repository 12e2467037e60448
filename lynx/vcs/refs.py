"""A repository on this machine, its branches read from its files: no git process (a `git ls-remote` of a
path costs a process per learner, the whole of a second `lynx class` over a thousand of them).

Loose refs (``refs/heads/...``) win over ``packed-refs``, as in git. What this reader cannot follow (a
reftable repository, an odd file) makes :func:`local_heads` return None, and the caller asks git. A
learner's repository is untrusted: only regular files are read, each at most a few KiB (a FIFO or a
huge file never stalls it), and only values that look like object ids are kept.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lynx.vcs.objects import OID

MAX_REF = 4096            # bytes of a loose ref or HEAD
MAX_PACKED = 64 * 2**20   # bytes of packed-refs


def is_local(url: str) -> bool:
    """A plain path (not a URL, not ``host:path``) to a folder on this machine."""
    if "://" in url or url.startswith("-"):
        return False
    if ":" in url.split("/", 1)[0] and not url.startswith((".", "/", "~")):
        return False  # scp-like host:path
    return Path(url).expanduser().is_dir()


def git_dir(path: Path) -> Path | None:
    """The git folder of a bare repository, or of a working tree's ``.git`` (a folder or a ``gitdir:`` file)."""
    if (path / "HEAD").is_file() and (path / "objects").is_dir():
        return path
    dot = path / ".git"
    if dot.is_dir():
        return dot
    text = _small(dot)
    if text and text.startswith("gitdir:"):
        target = Path(text[7:].strip())
        target = target if target.is_absolute() else (path / target)
        return target.resolve() if (target / "HEAD").is_file() else None
    return None


def _small(path: Path, limit: int = MAX_REF) -> str | None:
    """A regular file's text, when it is one and small."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with open(path, "rb") as f:
            return f.read(limit).decode("utf-8", "replace")
    except OSError:
        return None


def _common(gd: Path) -> Path:
    common_text = _small(gd / "commondir")
    return (gd / common_text.strip()).resolve() if common_text else gd


def _refs(common: Path, prefix: str) -> dict[str, str] | None:
    """``{name under prefix: object id}`` from packed-refs and loose refs (loose ones win); None when a
    loose ref is something this reader does not know (let git say)."""
    out: dict[str, str] = {}
    packed = _small(common / "packed-refs", MAX_PACKED)
    if packed:
        for line in packed.splitlines():
            if line.startswith(("#", "^")):
                continue
            oid, _, ref = line.partition(" ")
            if ref.startswith(prefix) and OID.match(oid):
                out[ref.removeprefix(prefix)] = oid
    base = common / prefix
    symbolic: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if not Path(dirpath, d).is_symlink()]
        for name in filenames:
            full = Path(dirpath, name)
            value = _small(full)
            if value is None:
                continue
            ref = full.relative_to(base).as_posix()
            value = value.strip()
            if OID.match(value):
                out[ref] = value
            elif value.startswith("ref: " + prefix):
                symbolic[ref] = value[5 + len(prefix):]
            elif ref not in out and not value.startswith("ref: "):
                return None
    for ref, target in symbolic.items():  # a ref that names another one (refs/remotes/origin/HEAD)
        if target in out:
            out[ref] = out[target]
    return out


def local_heads(path: Path, every: bool = True) -> tuple[dict[str, str], str | None] | None:
    """``({branch: commit}, the branch HEAD names)`` of the repository at ``path``; None when its refs
    cannot be read from files (not a repository, a reftable store, a damaged file): ask git then.

    ``every=False``: only the branch HEAD names, when it has a commit (two small files read, where a
    listing of every branch reads one file per branch).
    """
    gd = git_dir(path)
    if gd is None:
        return None
    common = _common(gd)
    head_text = (_small(gd / "HEAD") or "").strip()
    head = head_text[16:] if head_text.startswith("ref: refs/heads/") else None
    if not every and head and ".." not in head:
        loose = (_small(common / "refs" / "heads" / head) or "").strip()
        if OID.match(loose):
            return {head: loose}, head
    if (common / "reftable").exists():
        return None
    heads = _refs(common, "refs/heads/")
    if heads is None:
        return None
    return heads, head


def branch_refs(path: Path) -> dict[str, str]:
    """Every branch of a workspace, its own and its remotes' (a CI runner's checkout holds a learner's
    break branches as ``refs/remotes/origin/lynx/break/...``): ``{branch: commit}``, its own first."""
    gd = git_dir(path)
    if gd is None:
        return {}
    common = _common(gd)
    out: dict[str, str] = {}
    for name, oid in sorted((_refs(common, "refs/remotes/") or {}).items()):
        remote, _, branch = name.partition("/")
        if branch and branch != "HEAD":
            out.setdefault(branch, oid)
    out.update(_refs(common, "refs/heads/") or {})
    return out
