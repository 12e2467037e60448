"""Taking a quiz, as use cases: the questions in a (seeded) shuffled order, the attempt being answered
and saved, answers given as JSON graded at once. The terminal dialog is ``lynx.term.quiz_view``.

Every attempt, finished or not, is appended to the learner's quiz.yaml (``lynx.learner.attempts``).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lynx.activities.grading import Answer, Grade, InvalidAnswer, grade, parse
from lynx.content.fields import text
from lynx.content.quiz import LETTERS, Question, Quiz
from lynx.core import clock, lock
from lynx.core.errors import LynxError
from lynx.i18n import N_
from lynx.learner import attempts as quiz_attempts
from lynx.learner.attempts import AnswerRecord, QuizAttempt
from lynx.learner.workspace import Workspace


@dataclass(frozen=True)
class Step:
    """One question as asked: ``order[k]`` is the option index shown at letter ``k``."""

    question: Question
    order: tuple[int, ...]


def plan(quiz: Quiz, seed: int | None, only: list[str] | None = None) -> list[Step]:
    """Questions and options in a shuffled order; the same seed gives the same order.

    ``seed=None`` keeps the file order (JSON mode: letters mean what the mirror shows).
    """
    questions = [q for q in quiz.questions if only is None or q.id in only]
    if seed is None:
        return [Step(q, tuple(range(len(q.options)))) for q in questions]
    rng = random.Random(seed)
    rng.shuffle(questions)
    steps = []
    for q in questions:
        order = list(range(len(q.options)))
        rng.shuffle(order)
        steps.append(Step(q, tuple(order)))
    return steps


def review_ids(ws: Workspace, quiz: Quiz) -> list[str]:
    """The questions missed in the learner's latest attempt of ``quiz`` (may be empty)."""
    attempts = quiz_attempts.of_quiz(quiz_attempts.read(quiz_attempts.path_for(ws.phase_dir(quiz.phase))), quiz.id)
    missed = quiz_attempts.missed_last_time(attempts)
    if missed is None:
        raise LynxError(f"learner {ws.learner!r} has no earlier attempt of {quiz.id} to review",
                        f"take the quiz first: lynx quiz {quiz.id}")
    return [qid for qid in missed if quiz.question(qid) is not None]


# --- one attempt ----------------------------------------------------------------------


class Attempt:
    """The answers given so far, and how to save them."""

    def __init__(self, ws: Workspace, quiz: Quiz, steps: list[Step], lang: str, seed: int | None,
                 review: bool, mode: str) -> None:
        self.ws, self.quiz, self.steps, self.lang = ws, quiz, steps, lang
        self.seed, self.review, self.mode = seed, review, mode
        self.started = clock.stamp_z()
        self._t0 = time.monotonic()
        self.answers: list[AnswerRecord] = []
        self.commit_note = None  # lynx.activities.submit.NotCommitted | None:  # why the saved attempt could not be committed, if it could not
        self.path = quiz_attempts.path_for(ws.phase_dir(quiz.phase))
        # A damaged attempts file must stop us before the questions, not after the last answer.
        quiz_attempts.read(self.path)

    @property
    def score(self) -> int:
        return sum(1 for a in self.answers if a.correct)

    @property
    def seconds(self) -> float:
        return round(time.monotonic() - self._t0, 1)

    @property
    def missed(self) -> list[str]:
        return [a.id for a in self.answers if not a.correct]

    def add(self, q: Question, answer: Answer | None, g: Grade, given: str | None = None) -> None:
        """Record an answer; ``given``: the raw text when it could not be read as an answer."""
        chosen = None if q.kind == "free" else ([] if answer is None else list(answer.chosen))
        raw = answer.raw if answer is not None else given
        self.answers.append(AnswerRecord(q.id, raw, g.correct, chosen))

    def save(self, finished: bool) -> Path:
        record = QuizAttempt(quiz=self.quiz.id, started=self.started, seconds=self.seconds, lang=self.lang,
                             seed=self.seed, mode=self.mode, review=self.review, finished=finished,
                             score=self.score, total=len(self.steps), answers=list(self.answers))
        try:
            with lock.held(self.ws.state_dir, wait=10.0):  # two quizzes ending together must not drop an attempt
                quiz_attempts.append(self.path, record)
        except LynxError:
            quiz_attempts.append(self.path, record)  # a long command holds the lock: losing the answers would be worse
        from lynx.activities.submit import commit_own_files

        # Committed at once, as breaks are: the teacher's `lynx class` reads commits, never a working tree.
        self.commit_note = commit_own_files(self.ws, f"quiz {self.quiz.id} attempt")
        return self.path


# --- scripted: answers as JSON on stdin ----------------------------------------------------


MAX_ANSWERS_CHARS = 1_000_000  # all the answers piped to `lynx quiz --json`
MAX_ANSWER_CHARS = 2_000       # one answer: a few words, or letters


def read_json_answers(raw: str, quiz: Quiz) -> dict[str, str | None]:
    """Answers from JSON: ``{"q-13-01": "b", ...}``, ``{"answers": {...}}`` or ``[{"id":, "answer":}]``."""
    import json

    if len(raw) > MAX_ANSWERS_CHARS:
        raise LynxError(f"stdin: {len(raw)} characters of answers, over the limit of {MAX_ANSWERS_CHARS}",
                        'pipe a mapping like {"q-13-01": "b", "q-13-02": "a,c"}')
    try:
        data = json.loads(raw) if raw.strip() else None
    except RecursionError:
        raise LynxError("stdin: the JSON is nested too deeply to be answers", 'pipe a mapping like {"q-13-01": "b"}') from None
    except json.JSONDecodeError as exc:
        raise LynxError(f"stdin is not valid JSON ({exc.msg} at line {exc.lineno})",
                        'pipe a mapping like {"q-13-01": "b", "q-13-02": "a,c"}') from None
    if isinstance(data, dict) and isinstance(data.get("answers"), (dict, list)):
        data = data["answers"]
    if isinstance(data, list):
        try:
            data = {item["id"]: item.get("answer") for item in data}
        except (TypeError, KeyError):
            data = None
    if not isinstance(data, dict):
        raise LynxError("stdin: expected a JSON mapping of question ids to answers",
                        'pipe a mapping like {"q-13-01": "b", "q-13-02": "a,c"}')
    out: dict[str, str | None] = {}
    for qid, value in data.items():
        if quiz.question(str(qid)) is None:
            raise LynxError(f"stdin: {quiz.id} has no question {qid!r}", f"use the ids `lynx quiz {quiz.id}` shows")
        if isinstance(value, list):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        elif value is not None and not isinstance(value, str):
            raise LynxError(f"stdin: answer to {qid} must be a string, a number or a list", 'e.g. "b", 2 or ["a", "c"]')
        if value is not None and len(value) > MAX_ANSWER_CHARS:
            raise LynxError(f"stdin: the answer to {qid} has {len(value)} characters, over the limit of {MAX_ANSWER_CHARS}",
                            "a few words or letters are enough")
        out[str(qid)] = value
    return out


def run_json(attempt: Attempt, given: dict[str, str | None]) -> dict[str, Any]:
    """Grade scripted answers (letters as in the YAML file and the mirror); save; return the result."""
    lang, results = attempt.lang, []
    for step in attempt.steps:
        q = step.question
        raw = given.get(q.id)
        error = None
        answer: Answer | None = None
        try:
            if raw is None:
                raise InvalidAnswer(N_("no answer"))
            answer = parse(q, raw, list(step.order))
            g = grade(q, answer, lang)
        except InvalidAnswer as exc:
            error, g = exc.text(lang), Grade(correct=False)
        if raw is not None:  # unanswered questions are reported below but not recorded as answers
            attempt.add(q, answer, g, given=raw)
        item: dict[str, Any] = {"id": q.id, "kind": q.kind, "topic": text(q.topic, lang), "given": raw,
                                "valid": error is None, "error": error, "correct": g.correct}
        if q.kind == "free":
            item["expected"] = [list(group[lang]) for group in q.expect]
            item["missing"] = list(g.missing) if error is None else [group[lang][0] for group in q.expect]
            item["negated"], item["contradicted"] = list(g.negated), list(g.contradicted)
        else:
            item["correct_options"] = [LETTERS[step.order.index(i)] for i in sorted(q.correct_indices)]
            if q.kind == "multi":
                item["partial"] = {"right": g.right_picks, "of": len(q.correct_indices), "wrong": g.wrong_picks}
        item["explanation"] = text(q.explanation, lang)
        results.append(item)
    finished = all(r["valid"] for r in results)
    path = attempt.save(finished=finished) if attempt.answers else None
    return {
        "quiz": attempt.quiz.id, "lang": lang, "review": attempt.review, "finished": finished,
        "score": attempt.score, "total": len(attempt.steps), "seconds": attempt.seconds,
        "to_review": [r["id"] for r in results if not r["correct"]], "saved": attempt.ws.rel(path) if path else None,
        "questions": results,
    }


def overview(ws: Workspace, lang: str) -> list[dict[str, Any]]:
    """One row per quiz of the workspace: questions, attempts, best score (for `lynx quizzes`)."""
    from lynx.content.quiz import load_all

    rows = []
    for qz in load_all(ws.root):
        tries = quiz_attempts.of_quiz(quiz_attempts.read(quiz_attempts.path_for(ws.phase_dir(qz.phase))), qz.id)
        top = quiz_attempts.best(tries)
        rows.append({"id": qz.id, "phase": qz.phase, "title": text(qz.title, lang), "questions": len(qz.questions),
                     "attempts": len(tries), "best": {"score": top[0], "total": top[1]} if top else None})
    return rows
