"""The learner's progress: ``learners/<name>/progress.json``, committed with the notes.

Typed records over a small JSON file read without git, so `lynx hint` and `lynx status` stay fast.
The same parser reads a learner's file from a commit the teacher fetched (``strict=False``: an odd
entry is skipped, never fatal). Keys this version does not know are kept (``extra``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lynx.core.errors import LynxError
from lynx.core.files import read_json, write_json

DONE = ("fixed", "solution")  # outcomes that finish a break; "aborted" does not
BEST_FIRST = ("fixed", "solution", "aborted")


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@dataclass
class BreakAttempt:
    """One go at a break: from `lynx break` to `done` or `abort`."""

    started: str | None = None
    prediction: str | None = None
    outcome: str | None = None       # fixed, solution or aborted; None while it is open
    hints: int = 0
    calibration: str | None = None   # y, partly or n: the learner's own verdict on the prediction
    ended: str | None = None
    diff_shown: bool | None = None
    branch: str | None = None
    # A scored prediction (the break's outcome): the option's letter or the number, and how sure (50-100 %)
    expect: str | None = None
    confidence: int | None = None
    measured: str | None = None      # what the program showed: the right option's letter, or the number
    hit: bool | None = None          # the expectation was right (a number: within 25 %)
    log_error: float | None = None   # a number: |ln(expected / measured)|
    extra: dict[str, Any] = field(default_factory=dict)

    KEYS = ("started", "prediction", "outcome", "hints", "calibration", "ended", "diff_shown", "branch", "expect",
            "confidence", "measured", "hit", "log_error")
    OPTIONAL = ("ended", "diff_shown", "branch", "expect", "confidence", "measured", "hit", "log_error")

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "BreakAttempt":
        conf = d.get("confidence")
        err = d.get("log_error")
        return cls(started=_str(d.get("started")), prediction=_str(d.get("prediction")), outcome=_str(d.get("outcome")),
                   hints=_int(d.get("hints")), calibration=_str(d.get("calibration")), ended=_str(d.get("ended")),
                   diff_shown=d.get("diff_shown") if isinstance(d.get("diff_shown"), bool) else None,
                   branch=_str(d.get("branch")), expect=_str(d.get("expect")),
                   confidence=conf if isinstance(conf, int) and not isinstance(conf, bool) else None,
                   measured=_str(d.get("measured")), hit=d.get("hit") if isinstance(d.get("hit"), bool) else None,
                   log_error=float(err) if isinstance(err, (int, float)) and not isinstance(err, bool) else None,
                   extra={k: v for k, v in d.items() if k not in cls.KEYS})

    def to_json(self) -> dict[str, Any]:
        out = {**self.extra, "started": self.started, "prediction": self.prediction, "outcome": self.outcome,
               "hints": self.hints, "calibration": self.calibration}
        out.update({k: getattr(self, k) for k in self.OPTIONAL if getattr(self, k) is not None})
        return out


@dataclass
class BreakRecord:
    hints: int = 0  # hints revealed so far (they stay revealed across attempts)
    attempts: list[BreakAttempt] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return any(a.outcome in DONE for a in self.attempts)

    @property
    def best_outcome(self) -> str | None:
        """The best outcome so far: fixed > solution > aborted."""
        found = {a.outcome for a in self.attempts}
        return next((o for o in BEST_FIRST if o in found), None)

    @property
    def open_attempt(self) -> BreakAttempt | None:
        return next((a for a in reversed(self.attempts) if a.outcome is None), None)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "BreakRecord":
        attempts = [BreakAttempt.from_json(a) for a in d.get("attempts") or [] if isinstance(a, dict)]
        return cls(hints=_int(d.get("hints")), attempts=attempts,
                   extra={k: v for k, v in d.items() if k not in ("hints", "attempts")})

    def to_json(self) -> dict[str, Any]:
        return {**self.extra, "hints": self.hints, "attempts": [a.to_json() for a in self.attempts]}


@dataclass
class BuildSession:
    """One go at a build challenge, from `lynx build` to `done` or `abort`."""

    started: str | None = None
    ended: str | None = None
    outcome: str | None = None         # passed or aborted
    checks: int = 0
    branch: str | None = None
    last_check: dict[str, Any] | None = None
    answers: list[dict[str, Any]] = field(default_factory=list)  # [{id, correct}]
    extra: dict[str, Any] = field(default_factory=dict)

    KEYS = ("started", "ended", "outcome", "checks", "branch", "last_check", "answers")

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "BuildSession":
        return cls(started=_str(d.get("started")), ended=_str(d.get("ended")), outcome=_str(d.get("outcome")),
                   checks=_int(d.get("checks")), branch=_str(d.get("branch")),
                   last_check=d.get("last_check") if isinstance(d.get("last_check"), dict) else None,
                   answers=[a for a in d.get("answers") or [] if isinstance(a, dict)],
                   extra={k: v for k, v in d.items() if k not in cls.KEYS})

    def to_json(self) -> dict[str, Any]:
        return {**self.extra, **{k: getattr(self, k) for k in self.KEYS}}


@dataclass
class BuildRecord:
    """A build challenge: passed once and for all, its last check, and every session on it."""

    passed: bool = False
    started: str | None = None
    at: str | None = None                       # when it was first passed
    last_check: dict[str, Any] | None = None
    checks: int = 0
    sessions: list[BuildSession] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    KEYS = ("passed", "started", "at", "last_check", "checks", "sessions")

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "BuildRecord":
        return cls(passed=bool(d.get("passed")), started=_str(d.get("started")), at=_str(d.get("at")),
                   last_check=d.get("last_check") if isinstance(d.get("last_check"), dict) else None,
                   checks=_int(d.get("checks")),
                   sessions=[BuildSession.from_json(x) for x in d.get("sessions") or [] if isinstance(x, dict)],
                   extra={k: v for k, v in d.items() if k not in cls.KEYS})

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {**self.extra, "passed": self.passed}
        for key in ("started", "at", "last_check"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.checks:
            out["checks"] = self.checks
        if self.sessions:
            out["sessions"] = [x.to_json() for x in self.sessions]
        return out


@dataclass
class Progress:
    learner: str
    breaks: dict[str, BreakRecord] = field(default_factory=dict)
    builds: dict[str, BuildRecord] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def brk(self, bid: str) -> BreakRecord:
        """The record of break ``bid``, made empty if there is none yet."""
        return self.breaks.setdefault(bid, BreakRecord())

    def build(self, pid: str) -> BuildRecord:
        return self.builds.setdefault(pid, BuildRecord())

    def is_done(self, bid: str) -> bool:
        r = self.breaks.get(bid)
        return bool(r and r.done)

    def outcome(self, bid: str) -> str | None:
        r = self.breaks.get(bid)
        return r.best_outcome if r else None

    def hints(self, bid: str) -> int:
        r = self.breaks.get(bid)
        return r.hints if r else 0

    def build_passed(self, pid: str) -> bool:
        b = self.builds.get(pid)
        return bool(b and b.passed)

    @classmethod
    def from_json(cls, data: Any, learner: str = "", where: Path | str = "progress.json",
                  strict: bool = True) -> "Progress":
        if not isinstance(data, dict) or not isinstance(data.get("breaks", {}), dict):
            if strict:
                raise LynxError(f"{where} has an unexpected shape", "run `lynx recover`")
            return cls(learner=learner)
        breaks = {str(b): BreakRecord.from_json(e) for b, e in (data.get("breaks") or {}).items() if isinstance(e, dict)}
        raw_builds = data.get("builds") if isinstance(data.get("builds"), dict) else {}
        builds = {str(p): BuildRecord.from_json(e) for p, e in raw_builds.items() if isinstance(e, dict)}
        return cls(learner=data.get("learner") if isinstance(data.get("learner"), str) else learner,
                   breaks=breaks, builds=builds,
                   extra={k: v for k, v in data.items() if k not in ("learner", "breaks", "builds")})

    def to_json(self) -> dict[str, Any]:
        return {**self.extra, "learner": self.learner,
                "breaks": {b: r.to_json() for b, r in self.breaks.items()},
                "builds": {p: r.to_json() for p, r in self.builds.items()}}


def path(learner_dir: Path) -> Path:
    return learner_dir / "progress.json"


def load(learner_dir: Path, learner: str) -> Progress:
    p = path(learner_dir)
    data = read_json(p, default=None)
    if data is None:
        return Progress(learner=learner)
    return Progress.from_json(data, learner, p)


def save(learner_dir: Path, progress: Progress) -> None:
    write_json(path(learner_dir), progress.to_json())
