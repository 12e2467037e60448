"""What `lynx build` prints and asks: the brief, the validator's table, the conceptual questions."""

from __future__ import annotations

from typing import Any

from lynx.activities.checks import CheckResult
from lynx.activities.grading import grade
from lynx.activities.quizzes import Step
from lynx.content.challenge import Build
from lynx.content.fields import text
from lynx.content.quiz import LETTERS
from lynx.i18n import t
from lynx.learner.active_session import BuildAnswer, Session
from lynx.term.console import console, out, style
from lynx.term.text import say


def brief(b: Build, lang: str) -> None:
    """The challenge's brief: objective, background, constraints, steps, pitfalls; through the pager when it is
    longer than the terminal (as `lynx learn` pages do)."""
    from lynx.term.text import rule, wrap

    lines = [rule(t("Build {id} — {title}", lang, id=b.id, title=text(b.title, lang))), ""]

    def section(head: str, body: list[str]) -> None:
        lines.extend([style(head, bold=True), *body, ""])

    def items(values) -> list[str]:
        out: list[str] = []
        for i, v in enumerate(values, 1):
            out += wrap(text(v, lang), "     ", first=f"  {i}. ")
        return out

    section(t("Objective", lang), wrap(text(b.objective, lang), "  "))
    section(t("Background", lang), wrap(text(b.background, lang), "  "))
    section(t("Constraints", lang), items(b.constraints))
    section(t("Steps", lang), items(b.steps))
    section(t("Pitfalls", lang), items(b.pitfalls))
    page(lines)


def page(lines: list[str]) -> None:
    """Print ``lines``; through the pager ($PAGER, `less -R`) when on a terminal and longer than it is tall."""
    import os
    import shutil
    import sys

    if sys.stdout.isatty() and len(lines) + 2 > shutil.get_terminal_size((80, 24)).lines:
        import pydoc

        os.environ.setdefault("LESS", "-R")  # colours, not their codes, in less
        pydoc.pager("\n".join(lines) + "\n")
        return
    for line in lines:
        out(line)


def started(b: Build, session: Session, lang: str) -> None:
    from rich.markup import escape

    console().print(escape(t("Stub applied on branch {branch} (your own code stays on {home}).", lang,
                             branch=session.branch, home=session.home)))
    console().print(escape(t("Edit {files}, then run {command}. Leave with `lynx abort`.", lang,
                             files=", ".join(b.files), command=f"lynx build {b.id} --check")))


def left(session: Session, lang: str) -> None:
    console().print(t("Left build {id}; your work on it is kept on {branch}. Back on {home}.", lang, id=session.id,
                      branch=session.branch, home=session.home), markup=False)


def check_json(b: Build, res: CheckResult) -> dict[str, Any]:
    return {"build": b.id, **res.summary(),
            "tests": [{"name": x.name, "passed": x.passed, "message": x.message} for x in res.tests]}


def check_result(b: Build, res: CheckResult, lang: str) -> None:
    """The validator's verdict, as `lynx check` gives a break's (one line per test, the first failure's message)."""
    from lynx.term import check_view
    from lynx.term.console import out, style

    check_view.show(res, f"build {b.id}", lang, verbose_hint=False, count=False)
    if not res.passed:
        out(style(t("✗ {k} of {n} tests failed.", lang, k=len(res.failed), n=len(res.tests)), fg="red", bold=True))
        say(t("Fix your code and run `lynx build {id} --check` again.", lang, id=b.id))
        return
    out(style(t("✓ all {n} tests pass.", lang, n=len(res.tests)), fg="green", bold=True))


def questions_next(b: Build, lang: str) -> None:
    console().print(t("Now three conceptual questions; your answers go to your notes.", lang), markup=False)


def questions_later(b: Build, lang: str) -> None:
    console().print(t("Answer the conceptual questions with `lynx build {id} --questions`, then finish with `lynx done`.",
                      lang, id=b.id), markup=False)


def finish_hint(notes: str, lang: str) -> None:
    console().print(t("Finish with `lynx done` (your answers are written to {notes}).", lang, notes=notes), markup=False)


def ask_questions(b: Build, lang: str) -> list[BuildAnswer]:
    """The conceptual questions, asked like a quiz; Ctrl-C or end of input raise KeyboardInterrupt/EOFError."""
    from lynx.term import quiz_view

    con = console()
    answers = []
    steps = [Step(q, tuple(range(len(q.options)))) for q in b.questions]
    for n, step in enumerate(steps, 1):
        quiz_view.show_question(con, step, n, len(steps), lang)
        answer = quiz_view.ask(con, step, lang)
        g = grade(step.question, answer, lang)
        quiz_view.show_feedback(con, step, answer, g, lang)
        q = step.question
        shown = answer.raw if q.kind == "free" else "\n> ".join(
            f"{LETTERS[i]}) {text(q.options[i].text, lang).strip()}" for i in answer.chosen)
        answers.append(BuildAnswer(id=q.id, topic=text(q.topic, lang), prompt=text(q.prompt, lang).strip(),
                                   answer=shown, correct=g.correct))
    return answers
