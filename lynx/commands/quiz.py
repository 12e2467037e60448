"""`lynx quiz`, `lynx quizzes`, `lynx render`: thin commands; logic in lynx/quiz*.py and lynx/mirror.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lynx.app import JsonOpt, LangOpt, LearnerOpt, app


@app.command()
def quiz(
    name: Annotated[str, typer.Argument(help="Quiz id, e.g. phase-13 (or just 13).")],
    seed: Annotated[Optional[int], typer.Option("--seed", help="Shuffle questions and options reproducibly.")] = None,
    review: Annotated[bool, typer.Option("--review", help="Ask only the questions you missed last time.")] = False,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
    learner: LearnerOpt = None,
) -> None:
    """Take a quiz in the terminal; each attempt is saved in learners/<name>/phase-NN/quiz.yaml.

    Answer single questions with a letter or a number, multi questions with several (a,c), free questions with a few words. Answers can also be piped in, one per line.

    With --json, read answers as JSON from stdin (letters as in the YAML file and the docs mirror) and print the graded result.

    Example: lynx quiz phase-13 --seed 7

    Example: echo '{"q-13-01": "b", "q-13-02": "a,c"}' | lynx quiz phase-13 --json
    """
    import random
    import sys

    from lynx import i18n, quiz as quizlib, quiz_session, workspace
    from lynx.errors import LynxError
    from lynx.ui import print_json

    ws = workspace.load(learner=learner)
    language = i18n.resolve(lang, ws.lang)
    qz = quizlib.find(ws.root, name)
    only = quiz_session.review_ids(ws, qz) if review else None
    if only is not None and not only:
        if json_out:
            print_json({"quiz": qz.id, "review": True, "finished": True, "score": 0, "total": 0, "to_review": [],
                        "saved": None, "questions": []})
        else:
            from lynx.ui import console

            console().print(quiz_session.t("nothing_missed", language), markup=False)
        return
    if json_out:
        if sys.stdin.isatty():
            raise LynxError("--json reads the answers from stdin, which is a terminal",
                            f"pipe them in: lynx quiz {qz.id} --json < answers.json")
        given = quiz_session.read_json_answers(sys.stdin.read(), qz)
        steps = quiz_session.plan(qz, None, only)  # file order: letters mean what the YAML and the mirror show
        attempt = quiz_session.Attempt(ws, qz, steps, language, None, review, "json")
        print_json(quiz_session.run_json(attempt, given))
        return
    if seed is None:
        seed = random.SystemRandom().randrange(1_000_000)  # recorded, so any attempt can be replayed
    steps = quiz_session.plan(qz, seed, only)
    mode = "terminal" if sys.stdin.isatty() else "piped"
    attempt = quiz_session.Attempt(ws, qz, steps, language, seed, review, mode)
    code = quiz_session.run_terminal(attempt)
    if code:
        raise typer.Exit(code)


@app.command()
def quizzes(lang: LangOpt = None, json_out: JsonOpt = False, learner: LearnerOpt = None) -> None:
    """List the quizzes of the course with your best score and number of attempts.

    Example: lynx quizzes
    """
    from lynx import i18n, quiz_attempts, workspace
    from lynx.ui import console, print_json

    ws = workspace.load(learner=learner)
    language = i18n.resolve(lang, ws.lang)
    rows = quiz_attempts.overview(ws, language)
    if json_out:
        print_json(rows)
        return
    from rich.table import Table

    es = language == "es"
    table = Table(title="Cuestionarios" if es else "Quizzes", title_justify="left")
    for col in (("Cuestionario", "Quiz"), ("Título", "Title"), ("Preguntas", "Questions"),
                ("Mejor", "Best"), ("Intentos", "Attempts")):
        table.add_column(col[0] if es else col[1])
    for r in rows:
        best = f"{r['best']['score']}/{r['best']['total']}" if r["best"] else "—"
        table.add_row(r["id"], r["title"], str(r["questions"]), best, str(r["attempts"]))
    console().print(table)
    if not rows:
        console().print("No quizzes in data/quizzes." if not es else "No hay cuestionarios en data/quizzes.")
    else:
        console().print(f"{'Empieza con' if es else 'Start with'}: lynx quiz {rows[0]['id']}", markup=False)


@app.command()
def render(
    course: Annotated[Optional[Path], typer.Option("--course", help="Course folder holding data/ and phases/ (default: the workspace, else the current folder).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Where to write the Markdown tree (default: <course>/docs).")] = None,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if the docs tree is not up to date.")] = False,
) -> None:
    """Write the human-readable mirror of every quiz and theory page as Markdown (English and Spanish).

    The output is deterministic; `mkdocs build --strict` turns it into a site.

    Example: lynx render --check
    """
    from lynx import mirror

    root = mirror.course_root(course)
    target = out if out is not None else root / "docs"
    if check:
        mirror.check(root, target)
        return
    written = mirror.write(root, target)
    typer.echo(f"rendered {len(written)} pages into {target}")
