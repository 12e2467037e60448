"""The learner's workspace: a git repository holding the course and the learner's folder.

A workspace is found by walking up from the current directory to the folder
holding ``lynx.toml``. Reading it costs no git, no YAML: start-up stays fast.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lynx.errors import LynxError

CONFIG = "lynx.toml"
LEARNER_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Workspace:
    root: Path
    learner: str
    lang: str = "en"

    @property
    def state_dir(self) -> Path:
        """Machine-local state, ignored by git (the active break, caches, the lock)."""
        return self.root / ".lynx"

    @property
    def learner_dir(self) -> Path:
        return self.root / "learners" / self.learner

    def phase_dir(self, phase: str) -> Path:
        """The learner's folder for one phase: notes, quiz attempts, build results."""
        return self.learner_dir / f"phase-{phase}"

    @property
    def phases_dir(self) -> Path:
        return self.root / "phases"

    @property
    def breaks_dir(self) -> Path:
        return self.root / "breaks"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def src_dir(self) -> Path:
        return self.root / "src"

    @cached_property
    def course(self) -> "Course":  # noqa: F821 - imported lazily
        from lynx.course import Course

        return Course(self.root)


def find_root(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return folder
    return None


def load(start: Path | None = None, learner: str | None = None) -> Workspace:
    """The workspace around ``start`` (default: the current directory)."""
    env_root = os.environ.get("LYNX_WORKSPACE")
    root = Path(env_root).resolve() if env_root else find_root(start)
    if root is None or not (root / CONFIG).is_file():
        raise LynxError(
            f"not inside a lynx workspace ({Path.cwd()} has no {CONFIG} above it)",
            "run `lynx init DIR --learner NAME`, then `cd DIR`",
        )
    cfg = read_config(root)
    name = learner or os.environ.get("LYNX_LEARNER") or cfg.get("learner")
    if not isinstance(name, str) or not LEARNER_RE.match(name):
        raise LynxError(
            f"{root / CONFIG}: learner {name!r} is not a valid name",
            "set `learner = \"your-name\"` (lowercase letters, digits, dashes) under [workspace]",
        )
    lang = cfg.get("lang", "en")
    return Workspace(root=root, learner=name, lang=lang if lang in ("en", "es") else "en")


def read_config(root: Path) -> dict:
    path = root / CONFIG
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LynxError(f"{path} is not valid TOML ({exc})", f"fix {CONFIG} by hand or re-run `lynx init`") from None
    ws = data.get("workspace", {})
    if not isinstance(ws, dict):
        raise LynxError(f"{path}: [workspace] must be a table", f"fix {CONFIG}")
    return ws


def write_config(root: Path, learner: str, lang: str = "en") -> None:
    from lynx.store import atomic_write_text

    atomic_write_text(
        root / CONFIG,
        "# lynx workspace settings\n[workspace]\n"
        f'learner = "{learner}"\n'
        f'lang = "{lang}"   # en or es; LYNX_LANG or --lang override it\n',
    )


def bundled_course() -> Path:
    """The course shipped with lynx: inside the wheel, or the checkout in an editable install."""
    pkg = Path(__file__).resolve().parent
    inside = pkg / "_course"
    if (inside / "phases").is_dir():
        return inside
    checkout = pkg.parent
    if (checkout / "phases").is_dir() and (checkout / "breaks").is_dir():
        return checkout
    raise LynxError("the bundled course is missing from this lynx install", "reinstall lynx with `pip install .`")
