"""The class list: `class.yaml` (or `--remote` URLs), one remote per learner or one branch per learner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lynx.content.fields import ContentError, Fields, load_yaml


@dataclass(frozen=True)
class Remote:
    url: str
    name: str | None = None  # shown name (default: the learner in the workspace's lynx.toml)
    branches: str | None = None  # a glob: one learner per matching branch; None = the default branch


def read_class_file(path: Path) -> list[Remote]:
    """``class.yaml``: ``remotes: [{url, name?, branches?}, ...]`` (a bare URL string is fine too)."""
    try:
        data = load_yaml(path)
    except ContentError as exc:  # a teacher's list, not course content: `lynx validate` is no help here
        exc.fix = "write the class list as `remotes: [{url: ...}, ...]`, or pass --remote URL"
        raise
    top = Fields(path, data)
    top.only(("remotes", "title"))
    remotes = []
    for i, item in enumerate(top.list("remotes", min_len=1)):
        if isinstance(item, str):
            remotes.append(Remote(url=_url(path, item)))
            continue
        f = Fields(path, item, f"remotes[{i}]")
        f.only(("url", "name", "branches"))
        url = _url(path, f.str("url"))
        name = f.str("name") if f.has("name") else None
        branches = item.get("branches")
        if branches is True:
            branches = "*"
        if branches is not None and not (isinstance(branches, str) and branches.strip()):
            raise ContentError(path, f"remotes[{i}].branches", "expected true or a branch glob like learner/*")
        remotes.append(Remote(url=url, name=name, branches=branches))
    return remotes


def _url(path: Path, url: str) -> str:
    """Relative paths in class.yaml are relative to the file."""
    if "://" in url or url.startswith("/") or (":" in url and not url.startswith(".")):
        return url
    return str((path.parent / url).resolve())


def absolute(url: str) -> str:
    """A local path given on the command line is made absolute (git runs elsewhere)."""
    p = Path(url).expanduser()
    return str(p.resolve()) if "://" not in url and p.exists() else url
