"""The active session: the break or build the learner is on, in `.lynx/state.json` (machine-local).

:class:`Session` is the only way code reads or writes that file. The on-disk format is a flat JSON
object; keys this version does not know are kept as they were (``extra``), so an older or newer
lynx never loses what the other wrote.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from lynx.core.errors import LynxError
from lynx.core.files import read_json, write_json

STARTING, ACTIVE, ENDING = "starting", "active", "ending"  # a session's stages, in order


@dataclass
class CheckRecord:
    """The last `lynx build --check`: what passed, and a digest of the code it passed on."""

    at: str
    passed: bool
    total: int
    failed: int
    first_failure: str | None = None
    digest: str = ""

    def public(self) -> dict[str, Any]:
        """What progress.json keeps of it (the digest stays machine-local)."""
        return {k: v for k, v in asdict(self).items() if k != "digest"}


@dataclass
class BuildAnswer:
    """A build challenge's conceptual question, as the learner answered it."""

    id: str
    topic: str
    prompt: str
    answer: str
    correct: bool


@dataclass
class Session:
    kind: str            # "break", "practice" or "build": which activity (lynx.activities.activity)
    id: str              # 13-00 for a break, 13 for a build
    phase: str
    title: str
    branch: str          # lynx/<kind>/<id>, where the learner works on it
    home: str            # the learner's own branch, where lynx returns
    base: str            # the commit of home the branch was made from
    files: list[str]     # the files the break or stub patches
    reference: bool = False
    started: str = ""
    learner: str = ""
    stage: str = STARTING
    fix_applied: bool = False
    diff_shown: bool = False
    dir: str | None = None           # the content folder's name (13-00-tied-vocab), to find it directly
    commit: str | None = None        # the break or stub commit on `branch`
    fixed_tree: str | None = None    # the tree whose `files` are the fixed version
    outcome: str | None = None       # set when ending: fixed, solution or aborted
    calibration: str | None = None   # set when ending: y, partly or n
    check: CheckRecord | None = None  # builds: the last --check
    checks: int = 0                   # builds: how many --check runs
    answers: list[BuildAnswer] = field(default_factory=list)  # builds: the conceptual questions
    passed_digest: str | None = None  # the patched files' digest when the check last passed on them
    hints: int = 0                    # practice: hints revealed in this session (a break keeps them in progress)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.stage == ACTIVE

    @property
    def ending(self) -> bool:
        return self.stage == ENDING

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        for f in fields(self):
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            if f.name in _OPTIONAL and value in (None, [], 0):
                continue  # written only once it means something, as before
            if f.name == "check":
                value = asdict(value)
            elif f.name == "answers":
                value = [asdict(a) for a in value]
            out[f.name] = value
        return out

    @classmethod
    def from_json(cls, data: Any, where: Path | str) -> "Session":
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("kind"), str):
            raise LynxError(f"{where} is not a lynx state file", "run `lynx recover`")
        known = {f.name for f in fields(cls)} - {"extra"}
        values = {k: v for k, v in data.items() if k in known}
        try:
            if isinstance(values.get("check"), dict):
                values["check"] = CheckRecord(**values["check"])
            values["answers"] = [BuildAnswer(**a) for a in values.get("answers") or []]
            for key in ("phase", "title", "branch", "home", "base"):
                values.setdefault(key, "")
            values.setdefault("files", [])
            return cls(**values, extra={k: v for k, v in data.items() if k not in known})
        except TypeError:
            raise LynxError(f"{where} is not a lynx state file", "run `lynx recover`") from None


_OPTIONAL = {"dir", "commit", "fixed_tree", "outcome", "calibration", "check", "checks", "answers", "passed_digest",
             "hints"}


def path(state_dir: Path) -> Path:
    return state_dir / "state.json"


def load(state_dir: Path) -> Session | None:
    """The active session, or None when there is none."""
    p = path(state_dir)
    data = read_json(p, default=None)
    return None if data is None else Session.from_json(data, p)


def save(state_dir: Path, session: Session) -> None:
    write_json(path(state_dir), session.to_json())


def clear(state_dir: Path) -> None:
    try:
        path(state_dir).unlink()
    except FileNotFoundError:
        pass
