"""Taking a quiz in a terminal (or with answers piped in), and the list of quizzes.

Every prompt ends in ``> `` and is read with ``input()``, so the same loop works in a real
terminal and with stdin redirected. Ctrl-C and Ctrl-D (or the piped answers running out) end
the quiz cleanly: the answers so far are kept as an unfinished attempt, and the exit code is 130 or 1.
"""

from __future__ import annotations

import sys
from typing import Any

from lynx.activities.grading import Answer, Grade, InvalidAnswer, grade, parse
from lynx.activities.quizzes import Attempt, Step
from lynx.content.fields import text
from lynx.content.quiz import LETTERS, Question
from lynx.i18n import t
from lynx.term.console import console, out, style
from lynx.term.text import wrap
from lynx.core.untrusted import visible


def run(attempt: Attempt) -> int:
    """Ask every question, give feedback, save the attempt; return the exit code."""
    con, lang, quiz = console(), attempt.lang, attempt.quiz
    title = text(quiz.title, lang)
    intro = (t("{title} — review of the {n} question(s) you missed last time.", lang, title=title, n=len(attempt.steps))
             if attempt.review else
             t("{title} — {n} questions. Ctrl-C stops and keeps your answers so far.", lang, title=title,
               n=len(attempt.steps)))
    con.print(intro, style="bold", markup=False)
    code = 0
    try:
        for n, step in enumerate(attempt.steps, 1):
            show_question(con, step, n, len(attempt.steps), lang)
            answer = ask(con, step, lang)
            g = grade(step.question, answer, lang)
            attempt.add(step.question, answer, g)
            show_feedback(con, step, answer, g, lang)
    except KeyboardInterrupt:
        code = 130
    except EOFError:
        code = 1
    if code:
        sys.stdout.write("\n")
        if not attempt.answers:
            con.print(t("Quiz stopped before any answer; nothing saved.", lang), markup=False)
            return code
        path = attempt.save(finished=False)
        con.print(t("Quiz stopped after {done} of {total} questions ({score} right). Kept as an unfinished attempt in "
                    "{path}.", lang, done=len(attempt.answers), total=len(attempt.steps), score=attempt.score,
                    path=attempt.ws.rel(path)), markup=False)
        return code
    path = attempt.save(finished=True)
    con.print()
    con.print(t("Score {score}/{total} in {time}.", lang, score=attempt.score, total=len(attempt.steps),
                time=_duration(attempt.seconds)), style="bold", markup=False)
    if attempt.missed:
        con.print(t("To review: {ids}. Run `lynx quiz {quiz} --review`.", lang, ids=", ".join(attempt.missed),
                    quiz=quiz.id), markup=False)
    else:
        con.print(t("Nothing to review.", lang), markup=False)
    con.print(t("Attempt saved in {path}.", lang, path=attempt.ws.rel(path)), style="dim", markup=False)
    return 0


def kind_label(kind: str, lang: str) -> str:
    return {"single": t("single: one answer", lang), "multi": t("multi: every right option", lang),
            "free": t("free: a few words", lang)}[kind]


def show_question(con: Any, step: Step, n: int, total: int, lang: str) -> None:
    q = step.question
    con.print()
    con.print(f"{t('Question {n} of {total}', lang, n=n, total=total)} · {q.id} · {text(q.topic, lang)} "
              f"({kind_label(q.kind, lang)})", style="bold cyan", markup=False)
    for line in wrap(text(q.prompt, lang)):
        out(line)
    # Options wrap with a hanging indent under their own text, and no trailing padding.
    for k, idx in enumerate(step.order):
        for line in wrap(text(q.options[idx].text, lang), "     ", first=f"  {LETTERS[k]}) "):
            out(line)


def ask(con: Any, step: Step, lang: str) -> Answer:
    q, n = step.question, len(step.order)
    last = LETTERS[max(n - 1, 0)]
    prompt = {"single": t("Your answer (a-{last} or 1-{n}) > ", lang, last=last, n=n),
              "multi": t("Your answers, e.g. a,c (a-{last}) > ", lang, last=last, n=n),
              "free": t("Your answer in a few words > ", lang)}[q.kind]
    piped = not sys.stdin.isatty()
    while True:
        raw = input(prompt)
        if piped:  # echo, so a transcript of piped answers reads like a session
            sys.stdout.write(visible(raw) + "\n")
        try:
            return parse(q, raw, list(step.order))
        except InvalidAnswer as exc:
            con.print(t("  {reason}; try again.", lang, reason=exc.text(lang)), style="yellow", markup=False)


def show_feedback(con: Any, step: Step, answer: Answer, g: Grade, lang: str) -> None:
    q = step.question
    if g.correct:
        con.print(t("✓ Right.", lang), style="bold green", markup=False)
    else:
        con.print(t("✗ Wrong.", lang), style="bold red", markup=False)
        if q.kind == "free":
            missing = f" ({t('missing', lang)}: {', '.join(g.missing)})" if g.missing else ""
            con.print(f"{t('Expected to contain', lang)}: {_keywords(q, lang)}{missing}", markup=False)
            if g.negated:
                con.print(t("Your answer negates: {names}", lang, names=", ".join(g.negated)), markup=False)
            if g.contradicted:
                con.print(t("Your answer says what the key rules out: {names}", lang, names=", ".join(g.contradicted)),
                          markup=False)
        else:
            shown = {idx: LETTERS[k] for k, idx in enumerate(step.order)}
            right = sorted(q.correct_indices, key=lambda i: shown[i])
            label = t("Correct answer", lang) if len(right) == 1 else t("Correct answers", lang)
            answer = "; ".join(f"{shown[i]}) {text(q.options[i].text, lang).strip()}" for i in right)
            for line in wrap(answer, "  ", first=f"{label}: "):
                out(line)
            if q.kind == "multi":
                con.print(t("Partial credit {right}/{of} right options, {wrong} wrong pick(s); graded all-or-nothing.",
                            lang, right=g.right_picks, of=len(right), wrong=g.wrong_picks), markup=False)
    why = f"{t('Why', lang)}: "
    lines = wrap(text(q.explanation, lang), "  ", first=why)
    out(style(why, bold=True) + lines[0][len(why):])
    for line in lines[1:]:
        out(line)


def _keywords(q: Question, lang: str, most: int = 3) -> str:
    """Each concept as a few of its plain terms (no `*` or `...`); the mirror lists every term."""
    from lynx.content.answer_key import shown

    other, parts = t("or", lang), []
    for group in q.expect:
        terms = group.get(lang) or group["en"]
        plain = [w for w in terms if "*" not in w and "..." not in w] or [shown(terms[0])]
        parts.append(f" {other} ".join(plain[:most]) + (" …" if len(terms) > min(most, len(plain)) else ""))
    return "; ".join(parts)


def _duration(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 60}m {s % 60:02d}s" if s >= 60 else f"{s}s"


def nothing_missed(lang: str) -> None:
    console().print(t("Nothing to review: you got every question right last time.", lang), markup=False)


def quizzes_table(rows: list[dict[str, Any]], lang: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=t("Quizzes", lang), title_justify="left")
    for col in (t("Quiz", lang), t("Title", lang), t("Questions", lang), t("Best", lang), t("Attempts", lang)):
        table.add_column(col)
    for r in rows:
        best = f"{r['best']['score']}/{r['best']['total']}" if r["best"] else "—"
        table.add_row(escape(r["id"]), escape(r["title"]), str(r["questions"]), best, str(r["attempts"]))
    console().print(table)
    if not rows:
        console().print(t("No quizzes in data/quizzes.", lang))
    else:
        console().print(f"{t('Start with', lang)}: lynx quiz {rows[0]['id']}", markup=False)
