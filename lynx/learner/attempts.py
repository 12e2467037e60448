"""The learner's quiz attempts: ``learners/<name>/phase-NN/quiz.yaml``.

The file only grows: every attempt, finished or not, is appended and none is rewritten.
Other features read it (flashcards schedule the cards of missed questions, the class view
tallies it), all through :func:`parse`, so each answer keeps the question ``id`` and
``correct: true/false``:

    attempts:
    - quiz: phase-13
      started: '2026-11-24T06:00:00Z'
      seconds: 81.4
      lang: en
      seed: 7
      mode: terminal          # terminal | piped | json
      review: false           # true when only earlier misses were asked
      finished: true
      score: 7                # questions right
      total: 10               # questions asked
      answers:
      - {id: q-13-01, given: b, chosen: [1], correct: true}   # chosen: option indices in the YAML file
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lynx.core.errors import LynxError

HEADER = "# Quiz attempts, appended by `lynx quiz`. Each attempt is kept; edit nothing here.\n"
TRAILER = "# end of attempts\n"
DAMAGED_FIX = "run `lynx recover` or restore it with `git checkout -- <file>`"


@dataclass
class AnswerRecord:
    id: str
    given: str | None
    correct: bool
    chosen: list[int] | None = None  # single / multi only

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "given": self.given}
        if self.chosen is not None:
            out["chosen"] = self.chosen
        out["correct"] = self.correct
        return out


@dataclass
class QuizAttempt:
    quiz: str
    started: str | None
    seconds: float = 0.0
    lang: str = "en"
    seed: int | None = None
    mode: str = "terminal"
    review: bool = False
    finished: bool = False
    score: int = 0
    total: int = 0
    answers: list[AnswerRecord] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    KEYS = ("quiz", "started", "seconds", "lang", "seed", "mode", "review", "finished", "score", "total", "answers")

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "QuizAttempt":
        started = _when(d.get("started"))
        answers = []
        for a in d.get("answers") or []:
            if isinstance(a, dict) and isinstance(a.get("id"), str):
                chosen = a.get("chosen")
                answers.append(AnswerRecord(a["id"], a.get("given") if "given" in a else "", a.get("correct") is True,
                                            list(chosen) if isinstance(chosen, list) else None))
        score, total = d.get("score"), d.get("total")
        return cls(quiz=str(d.get("quiz") or ""), started=started if isinstance(started, str) else None,
                   seconds=d.get("seconds") if isinstance(d.get("seconds"), (int, float)) else 0.0,
                   lang=str(d.get("lang") or "en"), seed=d.get("seed") if isinstance(d.get("seed"), int) else None,
                   mode=str(d.get("mode") or ""), review=d.get("review") is True,
                   finished=d.get("finished") is True,
                   score=score if isinstance(score, (int, float)) and not isinstance(score, bool) else 0,
                   total=total if isinstance(total, int) and not isinstance(total, bool) else 0,
                   answers=answers, extra={k: v for k, v in d.items() if k not in cls.KEYS})

    def to_json(self) -> dict[str, Any]:
        return {"quiz": self.quiz, "started": self.started, "seconds": self.seconds, "lang": self.lang,
                "seed": self.seed, "mode": self.mode, "review": self.review, "finished": self.finished,
                "score": self.score, "total": self.total, "answers": [a.to_json() for a in self.answers],
                **self.extra}

    @property
    def when(self) -> str | None:
        """When it happened, for the misses it holds: its end if recorded, else its start."""
        return _when(self.extra.get("ended")) or self.started or _when(self.extra.get("at"))

    def wrong(self) -> list[str]:
        """Question ids answered wrongly (a question left unanswered, ``given: null``, is not a miss)."""
        return [a.id for a in self.answers if not a.correct and a.given is not None]


def _when(value: Any) -> str | None:
    if isinstance(value, datetime):  # YAML hands back datetimes for unquoted timestamps
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()
    return value if isinstance(value, str) else None


def path_for(phase_dir: Path) -> Path:
    return phase_dir / "quiz.yaml"


def parse(text: str, where: Path | str, strict: bool = True) -> list[QuizAttempt]:
    """The attempts in a quiz.yaml's text. ``strict``: a damaged file is an error (the learner's own file);
    otherwise (a file read from a learner's commit) it reads as what could be read."""
    import yaml

    try:
        # lynx always ends the file with TRAILER: without it the file was cut short (a crash, a full disk)
        # and YAML alone could read it as fewer attempts, silently.
        if strict and not text.endswith(TRAILER):
            raise LynxError(f"{where} is damaged (cut short or emptied)", DAMAGED_FIX)
        from lynx.content.fields import bounded_yaml

        data = bounded_yaml(text)
    except yaml.YAMLError as exc:
        if not strict:
            return []
        raise LynxError(f"{where} is damaged ({exc.__class__.__name__})", DAMAGED_FIX) from None
    if data is None:
        return []
    raw = data.get("attempts") if isinstance(data, dict) else data if not strict else None
    if not isinstance(raw, list) or (strict and not all(isinstance(a, dict) for a in raw)):
        if not strict:
            return []
        raise LynxError(f"{where}: expected `attempts:` holding a list of attempts", DAMAGED_FIX)
    return [QuizAttempt.from_json(a) for a in raw if isinstance(a, dict)]


def read(path: Path) -> list[QuizAttempt]:
    """All attempts in the file (oldest first); a damaged file is an error, never silently replaced."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except UnicodeDecodeError as exc:
        raise LynxError(f"{path} is damaged ({exc.__class__.__name__})", DAMAGED_FIX) from None
    return parse(text, path)


def append(path: Path, attempt: QuizAttempt) -> None:
    """Add one attempt, keeping every earlier one (atomic rewrite of the whole file)."""
    import yaml

    from lynx.core.files import atomic_write_text

    attempts = [a.to_json() for a in read(path)] + [attempt.to_json()]
    body = yaml.safe_dump({"attempts": attempts}, allow_unicode=True, sort_keys=False, width=100)
    atomic_write_text(path, HEADER + body + TRAILER)


def of_quiz(attempts: list[QuizAttempt], quiz_id: str) -> list[QuizAttempt]:
    return [a for a in attempts if a.quiz == quiz_id]


def missed_last_time(attempts: list[QuizAttempt]) -> list[str] | None:
    """Ids answered wrongly in the latest attempt that has answers; None if there is none."""
    for a in reversed(attempts):
        if a.answers:
            return [x.id for x in a.answers if not x.correct]
    return None


def best(attempts: list[QuizAttempt]) -> tuple[int, int] | None:
    """The best finished full attempt as (score, total); review attempts do not count."""
    full = [a for a in attempts if a.finished and not a.review and a.total > 0]
    if not full:
        return None
    top = max(full, key=lambda a: (a.score / a.total, a.total))
    return top.score, top.total


def best_in_file(path: Path) -> list[int] | None:
    """:func:`best` of a quiz.yaml, JSON-able (cached by `lynx status`, which must not import YAML)."""
    top = best(read(path))
    return list(top) if top else None


def wrong_answers(attempts: list[QuizAttempt]) -> list[list]:
    """``[[question id, when], ...]`` for every wrong answer (when: the attempt's start)."""
    return [[qid, a.when] for a in attempts for qid in a.wrong()]


def wrong_in_file(path: Path) -> list[list]:
    """:func:`wrong_answers` of a quiz.yaml (cached: flashcards read it on every session)."""
    return wrong_answers(parse(path.read_text(encoding="utf-8"), path, strict=False))
