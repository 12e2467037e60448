"""The course inside a folder (a workspace or a checkout): where it is, and its phases and breaks by id.

Lookups go straight to the folder named after the id (`phases/13-*`, `breaks/13-00-*`),
so a command about one break never reads the whole course. :func:`locate` is the one
course-root finder; :func:`bundled` is the course shipped with lynx.
"""

from __future__ import annotations

import os
from pathlib import Path

from lynx.content import breaks as brk_mod
from lynx.content import phase as phase_mod
from lynx.content.cache import cache_dir_for, cached
from lynx.content.fields import ID_RE
from lynx.core.errors import LynxError

CONFIG = "lynx.toml"  # the file that marks a workspace


class Course:
    def __init__(self, root: Path, use_cache: bool = True) -> None:
        self.root = root
        self.cache = cache_dir_for(root) if use_cache else None
        self._indexes: dict[str, dict[str, list[str]]] = {}

    # -- phases -----------------------------------------------------------------
    def phase_ids(self) -> list[str]:
        """Phase ids in course order (numeric ids sort as numbers)."""
        return sorted(self._index("phases"), key=_order)

    def phase(self, pid: str) -> phase_mod.Phase:
        pid = pid.removeprefix("phase-")
        if not ID_RE.match(pid):
            raise LynxError(f"{pid!r} is not a phase id", "run `lynx phases` to list them")
        found = [d for d in self._dirs("phases", pid) if (d / "phase.yaml").is_file()]
        if not found:
            raise LynxError(f"unknown phase {pid!r} in {self.root / 'phases'}", "run `lynx phases` to list them")
        path = found[0] / "phase.yaml"
        return phase_mod.from_data(path, cached(self.cache, path, phase_mod.parse_phase))

    def phases(self) -> list[phase_mod.Phase]:
        return [self.phase(pid) for pid in self.phase_ids()]

    # -- breaks -----------------------------------------------------------------
    def break_dir(self, bid: str, folder: str | None = None) -> Path:
        """``breaks/<bid>-slug/``. ``folder``: the name lynx recorded when the break started, tried first, so
        the commands of an active break never list a `breaks/` of thousands of folders."""
        if folder and "/" not in folder and "-".join(folder.split("-")[:2]) == bid:
            d = self.root / "breaks" / folder
            if (d / "break.yaml").is_file():
                return d
        found = [d for d in self._dirs("breaks", bid) if (d / "break.yaml").is_file()]
        if not found:
            raise LynxError(f"unknown break {bid!r} (no breaks/{bid}-*/break.yaml)",
                            f"run `lynx phases` or `lynx break {bid.split('-')[0]}` to pick one")
        return found[0]

    def brk(self, bid: str, folder: str | None = None) -> brk_mod.Break:
        path = self.break_dir(bid, folder) / "break.yaml"
        return brk_mod.from_data(path, cached(self.cache, path, brk_mod.parse_break))

    def break_ids(self) -> list[str]:
        out = []
        for d in (self.root / "breaks").glob("*/break.yaml"):
            parts = d.parent.name.split("-")
            if len(parts) >= 2:
                out.append(f"{parts[0]}-{parts[1]}")
        return sorted(set(out), key=lambda b: tuple(_order(x) for x in b.split("-")))

    def _dirs(self, kind: str, ident: str) -> list[Path]:
        base = self.root / kind
        return [base / name for name in self._index(kind).get(ident, [])]

    def _index(self, kind: str) -> dict[str, list[str]]:
        """``{id: [folder names]}`` for `phases/` or `breaks/`, from one listing per command.

        A glob per lookup lists the whole folder each time: `lynx status` on 500 phases made it quadratic.
        """
        if kind not in self._indexes:
            idx: dict[str, list[str]] = {}
            try:
                names = sorted(e.name for e in os.scandir(self.root / kind) if e.is_dir())
            except FileNotFoundError:
                names = []
            for name in names:
                # the id is the first part of `13-embeddings`, the first two of `13-00-tied-vocab`
                # (so `13-00-x` never matches `13-001-y`); a folder may also be named by its id alone
                ident = "-".join(name.split("-")[:2]) if kind == "breaks" else name.split("-", 1)[0]
                idx.setdefault(ident, []).append(name)
            self._indexes[kind] = idx
        return self._indexes[kind]


def resolve_break_id(phase_or_id: str, which: str | None) -> tuple[str, str | None]:
    """`13` → ("13", None); `13 00` and `13-00` → ("13", "13-00")."""
    arg = phase_or_id.strip().lower().removeprefix("phase-")
    if which is not None:
        return arg, f"{arg}-{which.strip().lower()}"
    if "-" in arg:
        return arg.split("-", 1)[0], arg
    return arg, None


def _order(x: str) -> tuple[int, int | str]:
    return (0, int(x)) if x.isdigit() else (1, x)


def find_workspace_root(start: Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the current one) holding ``lynx.toml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return folder
    return None


def bundled() -> Path:
    """The course shipped with lynx: inside the wheel, or the checkout in an editable install."""
    pkg = Path(__file__).resolve().parents[1]
    inside = pkg / "_course"
    if (inside / "phases").is_dir():
        return inside
    checkout = pkg.parent
    if (checkout / "phases").is_dir() and (checkout / "breaks").is_dir():
        return checkout
    raise LynxError("the bundled course is missing from this lynx install", "reinstall lynx with `pip install .`")


def locate(course: Path | None, *, fallback_to_bundled: bool = True) -> Path:
    """The course a command works on: ``course`` (--course), else the workspace around us, else the
    checkout we stand in (a folder with phases/ and breaks/, or data/quizzes/), else the bundled course."""
    if course is not None:
        root = course.expanduser().resolve()
        if not ((root / "phases").is_dir() or (root / "data").is_dir()):
            raise LynxError(f"{root} has no phases/ folder", "point --course at a lynx course (a workspace or checkout)")
        return root
    here = find_workspace_root()
    if here:
        return here
    cwd = Path.cwd()
    if ((cwd / "phases").is_dir() and (cwd / "breaks").is_dir()) or (cwd / "data" / "quizzes").is_dir():
        return cwd
    if fallback_to_bundled:
        return bundled()
    raise LynxError(f"{cwd} is neither a lynx workspace nor a course checkout",
                    "run it from the repository root or a workspace, or pass --course PATH")
