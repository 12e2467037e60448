"""`lynx quiz` and `lynx quizzes`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from lynx.commands.app import JsonOpt, LangOpt, LearnerOpt, app


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

    from lynx.activities import quizzes
    from lynx.content.quiz import find
    from lynx.core.errors import LynxError
    from lynx.i18n import resolve
    from lynx.learner import workspace
    from lynx.term import quiz_view, submit_view
    from lynx.term.console import print_json

    ws = workspace.load(learner=learner)
    language = resolve(lang, ws.lang)
    qz = find(ws.root, name)
    only = quizzes.review_ids(ws, qz) if review else None
    if only is not None and not only:
        if json_out:
            print_json({"quiz": qz.id, "review": True, "finished": True, "score": 0, "total": 0, "to_review": [],
                        "saved": None, "questions": []})
        else:
            quiz_view.nothing_missed(language)
        return
    if json_out:
        if sys.stdin.isatty():
            raise LynxError("--json reads the answers from stdin, which is a terminal",
                            f"pipe them in: lynx quiz {qz.id} --json < answers.json")
        given = quizzes.read_json_answers(sys.stdin.read(), qz)
        steps = quizzes.plan(qz, None, only)  # file order: letters mean what the YAML and the mirror show
        attempt = quizzes.Attempt(ws, qz, steps, language, None, review, "json")
        print_json(quizzes.run_json(attempt, given))
        code = submit_view.not_committed(attempt.commit_note, language)
        if code:
            raise typer.Exit(code)
        return
    if seed is None:
        seed = random.SystemRandom().randrange(1_000_000)  # recorded, so any attempt can be replayed
    steps = quizzes.plan(qz, seed, only)
    mode = "terminal" if sys.stdin.isatty() else "piped"
    attempt = quizzes.Attempt(ws, qz, steps, language, seed, review, mode)
    code = quiz_view.run(attempt)
    code = submit_view.not_committed(attempt.commit_note, language) or code
    if code:
        raise typer.Exit(code)


@app.command()
def quizzes(lang: LangOpt = None, json_out: JsonOpt = False, learner: LearnerOpt = None) -> None:
    """List the quizzes of the course with your best score and number of attempts.

    Example: lynx quizzes
    """
    from lynx.activities import quizzes as quizzing
    from lynx.i18n import resolve
    from lynx.learner import workspace
    from lynx.term import quiz_view
    from lynx.term.console import print_json

    ws = workspace.load(learner=learner)
    language = resolve(lang, ws.lang)
    rows = quizzing.overview(ws, language)
    if json_out:
        print_json(rows)
        return
    quiz_view.quizzes_table(rows, language)
