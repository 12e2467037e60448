"""The learner's quiz attempts: ``learners/<name>/phase-NN/quiz.yaml``.

The file only grows: every attempt, finished or not, is appended and none is
rewritten. Other features read it (flashcards schedule the cards of missed
questions), so each answer keeps the question ``id`` and ``correct: true/false``:

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

from pathlib import Path
from typing import Any

from lynx.errors import LynxError
from lynx.workspace import Workspace

HEADER = "# Quiz attempts, appended by `lynx quiz`. Each attempt is kept; edit nothing here.\n"


TRAILER = "# end of attempts\n"


def path_for(ws: Workspace, phase: str) -> Path:
    return ws.phase_dir(phase) / "quiz.yaml"


def read(path: Path) -> list[dict[str, Any]]:
    """All attempts in the file (oldest first); a damaged file is an error, never silently replaced."""
    import yaml

    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
        # lynx always ends the file with TRAILER: without it the file was cut short (a crash, a full disk)
        # and YAML alone could read it as fewer attempts, silently.
        if not text.endswith(TRAILER):
            raise LynxError(f"{path} is damaged (cut short or emptied)",
                            "run `lynx recover` or restore it with `git checkout -- <file>`")
        data = yaml.safe_load(text)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LynxError(f"{path} is damaged ({exc.__class__.__name__})",
                        "run `lynx recover` or restore it with `git checkout -- <file>`") from None
    if data is None:
        return []
    attempts = data.get("attempts") if isinstance(data, dict) else None
    if not isinstance(attempts, list) or not all(isinstance(a, dict) for a in attempts):
        raise LynxError(f"{path}: expected `attempts:` holding a list of attempts",
                        "run `lynx recover` or restore it with `git checkout -- <file>`")
    return attempts


def append(path: Path, attempt: dict[str, Any]) -> None:
    """Add one attempt, keeping every earlier one (atomic rewrite of the whole file)."""
    import yaml

    from lynx.store import atomic_write_text

    attempts = read(path) + [attempt]
    body = yaml.safe_dump({"attempts": attempts}, allow_unicode=True, sort_keys=False, width=100)
    atomic_write_text(path, HEADER + body + TRAILER)


def of_quiz(attempts: list[dict[str, Any]], quiz_id: str) -> list[dict[str, Any]]:
    return [a for a in attempts if a.get("quiz") == quiz_id]


def missed_last_time(attempts: list[dict[str, Any]]) -> list[str] | None:
    """Ids answered wrongly in the latest attempt that has answers; None if there is none."""
    for a in reversed(attempts):
        answers = a.get("answers") or []
        if answers:
            return [x["id"] for x in answers if isinstance(x, dict) and x.get("correct") is False and "id" in x]
    return None


def best(attempts: list[dict[str, Any]]) -> tuple[int, int] | None:
    """The best finished full attempt as (score, total); review attempts do not count."""
    full = [a for a in attempts if a.get("finished") and not a.get("review")
            and isinstance(a.get("score"), int) and isinstance(a.get("total"), int) and a["total"] > 0]
    if not full:
        return None
    top = max(full, key=lambda a: (a["score"] / a["total"], a["total"]))
    return top["score"], top["total"]


def overview(ws: Workspace, lang: str) -> list[dict[str, Any]]:
    """One row per quiz of the workspace: questions, attempts, best score (for `lynx quizzes`)."""
    from lynx.content import text
    from lynx.quiz import load_all

    rows = []
    for qz in load_all(ws.root):
        attempts = of_quiz(read(path_for(ws, qz.phase)), qz.id)
        top = best(attempts)
        rows.append({"id": qz.id, "phase": qz.phase, "title": text(qz.title, lang), "questions": len(qz.questions),
                     "attempts": len(attempts), "best": {"score": top[0], "total": top[1]} if top else None})
    return rows
