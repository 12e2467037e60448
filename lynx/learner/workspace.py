"""The learner's workspace: a git repository holding the course and the learner's folder, and its
settings file ``lynx.toml`` (the one reader and writer of that file: :func:`read_config`, :func:`parse_config`).

A workspace is found by walking up from the current directory to the folder holding
``lynx.toml``. Reading it costs no git and no YAML: start-up stays fast.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lynx.content.course import CONFIG, find_workspace_root
from lynx.core.errors import LynxError

if TYPE_CHECKING:
    from lynx.content.course import Course

LEARNER_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}\Z")  # a folder and a branch name on every file system
# Names Windows refuses for a file or folder, whatever follows the dot.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
LEARNER_RULE = "1 to 40 lowercase letters, digits and dashes, starting with a letter or digit (not con, nul, aux...)"


def valid_learner(name: object) -> bool:
    """A learner name every supported file system holds as a folder (and git as part of a branch name)."""
    return isinstance(name, str) and LEARNER_RE.match(name) is not None and name not in RESERVED


@dataclass(frozen=True)
class Config:
    """The ``[workspace]`` table of lynx.toml. ``table`` keeps every key, known or not."""

    learner: str | None = None
    lang: str | None = None
    table: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.table.get(key, default)


@dataclass(frozen=True)
class Workspace:
    root: Path
    learner: str
    lang: str = "en"

    @property
    def state_dir(self) -> Path:
        """Machine-local state, ignored by git (the active session, caches, the lock)."""
        return self.root / ".lynx"

    @property
    def learner_dir(self) -> Path:
        return self.root / "learners" / self.learner

    def phase_dir(self, phase: str) -> Path:
        """The learner's folder for one phase: notes, quiz attempts, build results."""
        return self.learner_dir / f"phase-{phase}"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @cached_property
    def course(self) -> "Course":
        from lynx.content.course import Course

        return Course(self.root)

    @cached_property
    def config(self) -> Config:
        return read_config(self.root)

    def rel(self, path: Path) -> str:
        """``path`` relative to the workspace when it is inside it (what a learner reads)."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


def load(start: Path | None = None, learner: str | None = None) -> Workspace:
    """The workspace around ``start`` (default: the current directory), or ``LYNX_WORKSPACE``."""
    env_root = os.environ.get("LYNX_WORKSPACE")
    root = Path(env_root).resolve() if env_root else find_workspace_root(start)
    if env_root and (root is None or not (root / CONFIG).is_file()):  # say which setting is wrong
        raise LynxError(f"LYNX_WORKSPACE={env_root}: no {CONFIG} there",
                        "point LYNX_WORKSPACE at a workspace folder, or unset it to use the current folder's")
    if root is None or not (root / CONFIG).is_file():
        raise LynxError(
            f"not inside a lynx workspace ({Path.cwd()} has no {CONFIG} above it)",
            "run `lynx init DIR --learner NAME`, then `cd DIR`",
        )
    cfg = read_config(root)
    name = learner or os.environ.get("LYNX_LEARNER") or cfg.get("learner")
    if not valid_learner(name):
        shown = repr(name if not isinstance(name, str) or len(name) <= 60 else name[:60] + "…")
        source = "--learner" if learner else "LYNX_LEARNER" if os.environ.get("LYNX_LEARNER") else str(root / CONFIG)
        raise LynxError(f"{source}: learner {shown} is not a valid name",
                        f"use {LEARNER_RULE}, e.g. `learner = \"your-name\"` under [workspace]")
    from lynx.i18n import languages

    known = languages()
    if "lang" in cfg.table and cfg.table["lang"] not in known:  # a typo would otherwise switch language silently
        value = cfg.table["lang"]
        shown = repr(value if not isinstance(value, str) or len(value) <= 20 else value[:20] + "…")
        raise LynxError(f"{root / CONFIG}: lang = {shown} is not a language lynx speaks",
                        " or ".join(f'`lang = "{code}"`' for code in known) + " under [workspace]")
    return Workspace(root=root, learner=name, lang=cfg.lang if cfg.lang in known else "en")


def read_config(root: Path) -> Config:
    path = root / CONFIG
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LynxError(f"{path} is not valid TOML ({exc})", f"fix {CONFIG} by hand or re-run `lynx init`") from None
    return parse_config(text, path)


def parse_config(text: str, path: Path | str = CONFIG) -> Config:
    """lynx.toml's text (from the workspace, or from a commit the teacher fetched) as a Config."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LynxError(f"{path} is not valid TOML ({exc})", f"fix {CONFIG} by hand or re-run `lynx init`") from None
    table = data.get("workspace", {})
    if not isinstance(table, dict):
        raise LynxError(f"{path}: [workspace] must be a table", f"fix {CONFIG}")
    learner, lang = table.get("learner"), table.get("lang", "en")
    return Config(learner=learner if isinstance(learner, str) else None,
                  lang=lang if isinstance(lang, str) else None, table=table)


def write_config(root: Path, learner: str, lang: str = "en") -> None:
    from lynx.core.files import atomic_write_text

    atomic_write_text(
        root / CONFIG,
        "# lynx workspace settings\n[workspace]\n"
        f'learner = "{learner}"\n'
        f'lang = "{lang}"   # en or es; LYNX_LANG or --lang override it\n',
    )
