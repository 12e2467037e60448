"""Taking a quiz: in a terminal, with answers piped in, or scripted as JSON.

Every prompt ends in ``> `` and is read with ``input()``, so the same loop works
in a real terminal and with stdin redirected. Ctrl-C and Ctrl-D (or the piped
answers running out) end the quiz cleanly: the answers so far are kept as an
unfinished attempt, and the exit code is 130 or 1.
"""

from __future__ import annotations

import random
import sys
import textwrap
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lynx import quiz_attempts
from lynx.errors import LynxError
from lynx.quiz import LETTERS, Answer, Grade, InvalidAnswer, Question, Quiz, grade, parse
from lynx.workspace import Workspace

T: dict[str, dict[str, str]] = {
    "question": {"en": "Question {n} of {total}", "es": "Pregunta {n} de {total}"},
    "single": {"en": "single: one answer", "es": "single: una respuesta"},
    "multi": {"en": "multi: every right option", "es": "multi: todas las opciones correctas"},
    "free": {"en": "free: a few words", "es": "free: unas palabras"},
    "ask_single": {"en": "Your answer (a-{last} or 1-{n}) > ", "es": "Tu respuesta (a-{last} o 1-{n}) > "},
    "ask_multi": {"en": "Your answers, e.g. a,c (a-{last}) > ", "es": "Tus respuestas, p. ej. a,c (a-{last}) > "},
    "ask_free": {"en": "Your answer in a few words > ", "es": "Tu respuesta en pocas palabras > "},
    "again": {"en": "  {reason}; try again.", "es": "  {reason}; inténtalo de nuevo."},
    "right": {"en": "✓ Right.", "es": "✓ Correcto."},
    "wrong": {"en": "✗ Wrong.", "es": "✗ Incorrecto."},
    "answer_is": {"en": "Correct answer", "es": "Respuesta correcta"},
    "answers_are": {"en": "Correct answers", "es": "Respuestas correctas"},
    "partial": {"en": "Partial credit {right}/{of} right options, {wrong} wrong pick(s); graded all-or-nothing.",
                "es": "Crédito parcial {right}/{of} opciones correctas, {wrong} de más; se califica todo o nada."},
    "expected": {"en": "Expected to contain", "es": "Debía contener"},
    "missing": {"en": "missing", "es": "falta"},
    "or": {"en": "or", "es": "o"},
    "why": {"en": "Why", "es": "Por qué"},
    "intro": {"en": "{title} — {n} questions. Ctrl-C stops and keeps your answers so far.",
              "es": "{title} — {n} preguntas. Ctrl-C para y guarda tus respuestas hasta ahora."},
    "intro_review": {"en": "{title} — review of the {n} question(s) you missed last time.",
                     "es": "{title} — repaso de las {n} pregunta(s) que fallaste la última vez."},
    "score": {"en": "Score {score}/{total} in {time}.", "es": "Puntuación {score}/{total} en {time}."},
    "review_ids": {"en": "To review: {ids}. Run `lynx quiz {quiz} --review`.",
                   "es": "Para repasar: {ids}. Ejecuta `lynx quiz {quiz} --review`."},
    "all_right": {"en": "Nothing to review.", "es": "Nada que repasar."},
    "saved": {"en": "Attempt saved in {path}.", "es": "Intento guardado en {path}."},
    "stopped": {"en": "Quiz stopped after {done} of {total} questions ({score} right). Kept as an unfinished attempt in {path}.",
                "es": "Cuestionario detenido tras {done} de {total} preguntas ({score} bien). Guardado como intento sin terminar en {path}."},
    "stopped_empty": {"en": "Quiz stopped before any answer; nothing saved.",
                      "es": "Cuestionario detenido antes de responder; no se guardó nada."},
    "nothing_missed": {"en": "Nothing to review: you got every question right last time.",
                       "es": "Nada que repasar: acertaste todas las preguntas la última vez."},
}


def t(key: str, lang: str, **kw: Any) -> str:
    entry = T[key]
    return (entry.get(lang) or entry["en"]).format(**kw)


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
    attempts = quiz_attempts.of_quiz(quiz_attempts.read(quiz_attempts.path_for(ws, quiz.phase)), quiz.id)
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
        self.started = datetime.now(timezone.utc).replace(microsecond=0)
        self._t0 = time.monotonic()
        self.answers: list[dict[str, Any]] = []
        # A damaged attempts file must stop us before the questions, not after the last answer.
        quiz_attempts.read(quiz_attempts.path_for(ws, quiz.phase))

    @property
    def score(self) -> int:
        return sum(1 for a in self.answers if a["correct"])

    @property
    def seconds(self) -> float:
        return round(time.monotonic() - self._t0, 1)

    @property
    def missed(self) -> list[str]:
        return [a["id"] for a in self.answers if not a["correct"]]

    def add(self, q: Question, answer: Answer | None, g: Grade) -> None:
        entry: dict[str, Any] = {"id": q.id, "given": None if answer is None else answer.raw}
        if q.kind != "free":
            entry["chosen"] = [] if answer is None else list(answer.chosen)
        entry["correct"] = g.correct
        self.answers.append(entry)

    def save(self, finished: bool) -> Path:
        from lynx import lock

        path = quiz_attempts.path_for(self.ws, self.quiz.phase)
        try:
            with lock.held(self.ws.state_dir, wait=10.0):  # two quizzes ending together must not drop an attempt
                self._append(path, finished)
        except LynxError:
            self._append(path, finished)  # a long command holds the lock: losing the answers would be worse
        return path

    def _append(self, path: Path, finished: bool) -> None:
        quiz_attempts.append(path, {
            "quiz": self.quiz.id,
            "started": self.started.isoformat().replace("+00:00", "Z"),
            "seconds": self.seconds,
            "lang": self.lang,
            "seed": self.seed,
            "mode": self.mode,
            "review": self.review,
            "finished": finished,
            "score": self.score,
            "total": len(self.steps),
            "answers": self.answers,
        })

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.ws.root))
        except ValueError:
            return str(path)


# --- in a terminal (or with answers piped in) -------------------------------------------


def run_terminal(attempt: Attempt) -> int:
    """Ask every question, give feedback, save the attempt; return the exit code."""
    from lynx.content import text
    from lynx.ui import console

    con, lang, quiz = console(), attempt.lang, attempt.quiz
    title = text(quiz.title, lang)
    intro = "intro_review" if attempt.review else "intro"
    con.print(t(intro, lang, title=title, n=len(attempt.steps)), style="bold", markup=False)
    code = 0
    try:
        for n, step in enumerate(attempt.steps, 1):
            _show_question(con, step, n, len(attempt.steps), lang)
            answer = _ask(con, step, lang)
            g = grade(step.question, answer, lang)
            attempt.add(step.question, answer, g)
            _show_feedback(con, step, answer, g, lang)
    except KeyboardInterrupt:
        code = 130
    except EOFError:
        code = 1
    if code:
        sys.stdout.write("\n")
        if not attempt.answers:
            con.print(t("stopped_empty", lang), markup=False)
            return code
        path = attempt.save(finished=False)
        con.print(t("stopped", lang, done=len(attempt.answers), total=len(attempt.steps), score=attempt.score,
                    path=attempt.rel(path)), markup=False)
        return code
    path = attempt.save(finished=True)
    con.print()
    con.print(t("score", lang, score=attempt.score, total=len(attempt.steps), time=_duration(attempt.seconds)),
              style="bold", markup=False)
    if attempt.missed:
        con.print(t("review_ids", lang, ids=", ".join(attempt.missed), quiz=quiz.id), markup=False)
    else:
        con.print(t("all_right", lang), markup=False)
    con.print(t("saved", lang, path=attempt.rel(path)), style="dim", markup=False)
    return 0


def _show_question(con: Any, step: Step, n: int, total: int, lang: str) -> None:
    from lynx.content import text

    q = step.question
    con.print()
    con.print(f"{t('question', lang, n=n, total=total)} · {q.id} · {text(q.topic, lang)} ({t(q.kind, lang)})",
              style="bold cyan", markup=False)
    con.print(text(q.prompt, lang).strip(), markup=False)
    # Options wrap with a hanging indent under their own text, and no trailing padding.
    width = max(30, (con.width or 80) - 1)
    for k, idx in enumerate(step.order):
        lines = textwrap.wrap(text(q.options[idx].text, lang).strip(), width=width,
                              initial_indent=f"  {LETTERS[k]}) ", subsequent_indent="     ")
        con.print("\n".join(lines), markup=False, soft_wrap=True)


def _ask(con: Any, step: Step, lang: str) -> Answer:
    q, n = step.question, len(step.order)
    key = {"single": "ask_single", "multi": "ask_multi", "free": "ask_free"}[q.kind]
    prompt = t(key, lang, last=LETTERS[max(n - 1, 0)], n=n)
    piped = not sys.stdin.isatty()
    while True:
        raw = input(prompt)
        if piped:  # echo, so a transcript of piped answers reads like a session
            sys.stdout.write(raw + "\n")
        try:
            return parse(q, raw, list(step.order))
        except InvalidAnswer as exc:
            con.print(t("again", lang, reason=exc.reason.get(lang) or exc.reason["en"]), style="yellow", markup=False)


def _show_feedback(con: Any, step: Step, answer: Answer, g: Grade, lang: str) -> None:
    from lynx.content import text

    q = step.question
    if g.correct:
        con.print(t("right", lang), style="bold green", markup=False)
    else:
        con.print(t("wrong", lang), style="bold red", markup=False)
        if q.kind == "free":
            con.print(f"{t('expected', lang)}: {_keywords(q, lang)} ({t('missing', lang)}: {', '.join(g.missing)})",
                      markup=False)
        else:
            shown = {idx: LETTERS[k] for k, idx in enumerate(step.order)}
            right = sorted(q.correct_indices, key=lambda i: shown[i])
            label = t("answer_is" if len(right) == 1 else "answers_are", lang)
            con.print(f"{label}: " + "; ".join(f"{shown[i]}) {text(q.options[i].text, lang).strip()}" for i in right),
                      markup=False)
            if q.kind == "multi":
                con.print(t("partial", lang, right=g.right_picks, of=len(right), wrong=g.wrong_picks), markup=False)
    from rich.text import Text

    con.print(Text.assemble((f"{t('why', lang)}: ", "bold"), text(q.explanation, lang).strip()))


def _keywords(q: Question, lang: str) -> str:
    other = t("or", lang)
    return "; ".join(f" {other} ".join(group[lang]) for group in q.expect)


def _duration(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 60}m {s % 60:02d}s" if s >= 60 else f"{s}s"


# --- scripted: answers as JSON on stdin ----------------------------------------------------


def read_json_answers(raw: str, quiz: Quiz) -> dict[str, str | None]:
    """Answers from JSON: ``{"q-13-01": "b", ...}``, ``{"answers": {...}}`` or ``[{"id":, "answer":}]``."""
    import json

    try:
        data = json.loads(raw) if raw.strip() else None
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
        out[str(qid)] = value
    return out


def run_json(attempt: Attempt, given: dict[str, str | None]) -> dict[str, Any]:
    """Grade scripted answers (letters as in the YAML file and the mirror); save; return the result."""
    from lynx.content import text

    lang, results = attempt.lang, []
    for step in attempt.steps:
        q = step.question
        raw = given.get(q.id)
        error = None
        answer: Answer | None = None
        try:
            if raw is None:
                raise InvalidAnswer({"en": "no answer", "es": "sin respuesta"})
            answer = parse(q, raw, list(step.order))
            g = grade(q, answer, lang)
        except InvalidAnswer as exc:
            error, g = exc.reason.get(lang) or exc.reason["en"], Grade(correct=False)
        if raw is not None:  # unanswered questions are reported below but not recorded as answers
            attempt.add(q, answer, g)
            if answer is None:
                attempt.answers[-1]["given"] = raw
        item: dict[str, Any] = {"id": q.id, "kind": q.kind, "topic": text(q.topic, lang), "given": raw,
                                "valid": error is None, "error": error, "correct": g.correct}
        if q.kind == "free":
            item["expected"] = [list(group[lang]) for group in q.expect]
            item["missing"] = list(g.missing) if error is None else [group[lang][0] for group in q.expect]
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
        "to_review": [r["id"] for r in results if not r["correct"]], "saved": attempt.rel(path) if path else None, "questions": results,
    }
