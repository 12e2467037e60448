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
from lynx.term.console import console


def brief(b: Build, lang: str) -> None:
    from rich.markdown import Markdown
    from rich.panel import Panel

    def items(values) -> str:
        return "\n".join(f"{i}. {text(v, lang).strip()}" for i, v in enumerate(values, 1))

    md = "\n\n".join([
        f"## {t('Objective', lang)}\n\n{text(b.objective, lang).strip()}",
        f"## {t('Background', lang)}\n\n{text(b.background, lang).strip()}",
        f"## {t('Constraints', lang)}\n\n{items(b.constraints)}",
        f"## {t('Steps', lang)}\n\n{items(b.steps)}",
        f"## {t('Pitfalls', lang)}\n\n{items(b.pitfalls)}",
    ])
    console().print(Panel(Markdown(md), title=f"Build {b.id} — {text(b.title, lang)}", title_align="left"))


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


def check_table(b: Build, res: CheckResult, lang: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    con = console()
    table = Table(title=f"lynx build {b.id} --check", title_justify="left")
    table.add_column("")
    table.add_column(t("test", lang))
    table.add_column(t("result", lang))
    for x in res.tests:
        table.add_row("[green]✓[/green]" if x.passed else "[red]✗[/red]", escape(x.name),
                      "[green]pass[/green]" if x.passed else "[red]FAIL[/red]")
    con.print(table)
    if not res.passed:
        first = res.failed[0]
        con.print(f"[bold red]{escape(t('✗ {k} of {n} tests failed.', lang, k=len(res.failed), n=len(res.tests)))}[/bold red]")
        con.print(f"{escape(t('First failure', lang))}: [bold]{escape(first.name)}[/bold]: {escape(first.message)}")
        con.print(escape(t("Fix your code and run `lynx build {id} --check` again.", lang, id=b.id)))
        return
    con.print(f"[bold green]{escape(t('✓ all {n} tests pass.', lang, n=len(res.tests)))}[/bold green]")


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
