"""The class list: `class.yaml` (or `--remote` URLs): the remotes to read, and optionally a roster of the
learners expected (name, id, email, remote), so that one who never pushed is a row too.

    title: ML 2026, group B
    learners:                                   # the roster (optional)
      - {name: Ana Pérez, id: s2026-014, email: ana@school.example, remote: /srv/git/ana.git}
      - {name: Bo Li, id: s2026-015}            # no remote yet: shown as "never pushed"
    remotes:                                    # more remotes, without roster details (optional)
      - git@school.example:ml/cam.git
      - {url: /srv/git/class.git, branches: "learner/*"}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lynx.content.fields import ContentError, Fields, load_yaml


@dataclass(frozen=True)
class Remote:
    url: str                      # "" for a roster learner who has no remote yet
    name: str | None = None       # shown name (default: the learner in the workspace's lynx.toml)
    branches: str | None = None   # a glob: one learner per matching branch; None = the default branch
    id: str | None = None         # the roster's id (a student number)
    email: str | None = None


def read_class_file(path: Path) -> list[Remote]:
    """``class.yaml``: ``learners: [{name, id?, email?, remote?}]`` and/or ``remotes: [{url, name?, branches?}]``."""
    try:
        data = load_yaml(path)
    except ContentError as exc:  # a teacher's list, not course content: `lynx validate` is no help here
        exc.fix = "write the class list as `remotes: [{url: ...}, ...]`, or pass --remote URL"
        raise
    top = Fields(path, data)
    top.only(("remotes", "learners", "title"))
    if not top.has("remotes") and not top.has("learners"):
        raise ContentError(path, "remotes", "missing: list the learners' remotes (or a `learners:` roster)")
    out = []
    for i, item in enumerate(top.list("learners") if top.has("learners") else []):
        f = Fields(path, item, f"learners[{i}]")
        f.only(("name", "id", "email", "remote", "branches"))
        name = f.str("name")
        url = _url(path, f.str("remote")) if f.has("remote") else ""
        out.append(Remote(url=url, name=name, branches=_branches(path, f"learners[{i}]", item.get("branches")),
                          id=f.str("id") if f.has("id") else None, email=f.str("email") if f.has("email") else None))
    for i, item in enumerate(top.list("remotes", min_len=0 if out else 1) if top.has("remotes") else []):
        if isinstance(item, str):
            out.append(Remote(url=_url(path, item)))
            continue
        f = Fields(path, item, f"remotes[{i}]")
        f.only(("url", "name", "branches"))
        url = _url(path, f.str("url"))
        name = f.str("name") if f.has("name") else None
        out.append(Remote(url=url, name=name, branches=_branches(path, f"remotes[{i}]", item.get("branches"))))
    return out


def _branches(path: Path, where: str, branches: object) -> str | None:
    if branches is True:
        return "*"
    if branches is not None and not (isinstance(branches, str) and branches.strip()):
        raise ContentError(path, f"{where}.branches", "expected true or a branch glob like learner/*")
    return branches


def _url(path: Path, url: str) -> str:
    """Relative paths in class.yaml are relative to the file."""
    if "://" in url or url.startswith("/") or (":" in url and not url.startswith(".")):
        return url
    return str((path.parent / url).resolve())


def absolute(url: str) -> str:
    """A local path given on the command line is made absolute (git runs elsewhere)."""
    p = Path(url).expanduser()
    return str(p.resolve()) if "://" not in url and p.exists() else url
