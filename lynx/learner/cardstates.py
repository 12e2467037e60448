"""The learner's spaced-repetition states: ``learners/<name>/cards.json`` (FSRS state per flashcard, a review
log with how long each review took, the results of --test and --match sessions, and the FSRS parameters
fitted to this learner's log by ``lynx cards --optimize``) and, in the same format, ``practice.json`` (the
finished breaks that come back in `lynx practice`).

Typed records; the FSRS state itself stays the ``fsrs`` package's own dictionary (``CardState.fsrs``),
so a newer fsrs reads what an older one wrote. The same parser reads a file from a learner's commit
(``strict=False``). Keys this version does not know are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lynx.core.errors import LynxError
from lynx.core.files import read_json, write_json

FIX = "run `lynx recover` to restore it from git history"


@dataclass
class CardState:
    fsrs: dict[str, Any]      # fsrs.Card.to_dict() without its card_id: due, state, stability, last_review, ...
    introduced: str
    reps: int = 0
    lapses: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def due(self) -> str:
        return self.fsrs["due"]

    @property
    def last_review(self) -> str | None:
        return self.fsrs.get("last_review")

    def to_json(self) -> dict[str, Any]:
        return {**self.extra, "fsrs": self.fsrs, "introduced": self.introduced, "reps": self.reps, "lapses": self.lapses}


@dataclass
class Review:
    """One rating in the log: which card, 1-4, when, its FSRS state before (0: new) and how many
    milliseconds the learner took (None in logs written before lynx measured it)."""

    card: str
    rating: int
    at: str
    before: int
    ms: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = {**self.extra, "card": self.card, "rating": self.rating, "at": self.at, "before": self.before}
        if self.ms is not None:
            out["ms"] = self.ms
        return out


@dataclass
class Fitted:
    """FSRS parameters fitted to this learner's own log (``lynx cards --optimize``)."""

    parameters: list[float]
    at: str
    reviews: int
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {**self.extra, "parameters": self.parameters, "at": self.at, "reviews": self.reviews}

    @classmethod
    def from_json(cls, data: Any) -> "Fitted | None":
        if not isinstance(data, dict):
            return None
        params = data.get("parameters")
        if not (isinstance(params, list) and params and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                            for x in params)):
            return None
        return cls(parameters=[float(x) for x in params], at=str(data.get("at") or ""), reviews=_int(data.get("reviews")),
                   extra={k: v for k, v in data.items() if k not in ("parameters", "at", "reviews")})


@dataclass
class CardStates:
    cards: dict[str, CardState] = field(default_factory=dict)
    log: list[Review] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)  # --test / --match results, as written
    fitted: Fitted | None = None
    version: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    def test_misses(self) -> list[list]:
        """``[[card id, when], ...]`` for the cards missed in ``lynx cards --test``."""
        return [[cid, s.get("at")] for s in self.sessions if isinstance(s, dict) and s.get("mode") == "test"
                for cid in s.get("missed") or []]

    @classmethod
    def from_json(cls, data: Any, where: Path | str = "cards.json", strict: bool = True) -> "CardStates":
        if not isinstance(data, dict) or not isinstance(data.get("cards", {}), dict):
            if strict:
                raise LynxError(f"{where} has an unexpected shape", FIX)
            return cls()
        cards = {}
        for cid, e in (data.get("cards") or {}).items():
            f = e.get("fsrs") if isinstance(e, dict) else None
            if not (isinstance(f, dict) and isinstance(f.get("due"), str) and isinstance(e.get("introduced"), str)):
                if strict:
                    raise LynxError(f"{where}: card {cid} has an unexpected shape", FIX)
                continue
            cards[cid] = CardState(fsrs=f, introduced=e["introduced"], reps=_int(e.get("reps")),
                                   lapses=_int(e.get("lapses")),
                                   extra={k: v for k, v in e.items() if k not in ("fsrs", "introduced", "reps", "lapses")})
        log = [Review(str(r.get("card")), _int(r.get("rating")), str(r.get("at") or ""), _int(r.get("before")),
                      _ms(r.get("ms")), {k: v for k, v in r.items() if k not in ("card", "rating", "at", "before", "ms")})
               for r in data.get("log") or [] if isinstance(r, dict)]
        sessions = [s for s in data.get("sessions") or [] if isinstance(s, dict)]
        fitted = Fitted.from_json(data.get("fitted"))
        if fitted is None and data.get("fitted") is not None and strict:
            raise LynxError(f"{where}: `fitted` has an unexpected shape",
                            "run `lynx cards --optimize` again, or `lynx recover`")
        return cls(cards=cards, log=log, sessions=sessions, fitted=fitted, version=_int(data.get("version")) or 1,
                   extra={k: v for k, v in data.items() if k not in ("cards", "log", "sessions", "version", "fitted")})

    def to_json(self) -> dict[str, Any]:
        out = {**self.extra, "version": self.version, "cards": {c: s.to_json() for c, s in self.cards.items()},
               "log": [r.to_json() for r in self.log], "sessions": self.sessions}
        if self.fitted is not None:
            out["fitted"] = self.fitted.to_json()
        return out


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _ms(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


CARDS, PRACTICE = "cards.json", "practice.json"  # the flashcards' states; the finished breaks' (lynx practice)


def path(learner_dir: Path, name: str = CARDS) -> Path:
    return learner_dir / name


def load(learner_dir: Path, name: str = CARDS) -> CardStates:
    p = path(learner_dir, name)
    data = read_json(p, default=None)
    return CardStates() if data is None else CardStates.from_json(data, p)


def save(learner_dir: Path, states: CardStates, name: str = CARDS) -> None:
    write_json(path(learner_dir, name), states.to_json())
