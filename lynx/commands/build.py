"""`lynx build`: a build challenge (write a minimodel piece yourself), checked by a validator."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from lynx.commands.app import JsonOpt, LangOpt, app
from lynx.core.errors import LynxError


@app.command()
def build(
    phase: Annotated[Optional[str], typer.Argument(help="Phase whose build challenge to take, e.g. 13 (default: the active one).")] = None,
    check: Annotated[bool, typer.Option("--check", help="Run the validator against your code.")] = False,
    questions: Annotated[bool, typer.Option("--questions", help="Answer the conceptual questions (after --check passes).")] = False,
    abort: Annotated[bool, typer.Option("--abort", help="Leave the challenge (same as `lynx abort`).")] = False,
    reference: Annotated[bool, typer.Option("--reference", help="Apply the stub on top of the reference version of the files.")] = False,
    lang: LangOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Build a piece of minimodel yourself: a stub on its own branch, a validator, three questions.

    `lynx build 13` puts a stub on a new branch and shows the brief; `--check` runs the validator
    (exit 1 while a test fails); `lynx done` records the pass; `lynx abort` leaves.

    Example: lynx build 13 --check
    """
    from lynx.activities import builds
    from lynx.i18n import resolve
    from lynx.learner import workspace
    from lynx.term import build_view

    if sum(map(bool, (check, questions, abort))) > 1:
        raise LynxError("use only one of --check, --questions and --abort", "e.g. `lynx build 13 --check`")
    ws = workspace.load()
    lang = resolve(lang, ws.lang)
    session = builds.active_build(ws)
    if phase is None:
        if session is None:
            raise LynxError("which build challenge?", "name its phase, e.g. `lynx build 13`")
        phase = session.id
    pid = phase.strip().lower().removeprefix("phase-")
    if abort or check or questions:
        if session is None:
            raise LynxError("no build challenge is active", f"start one with `lynx build {pid}`")
        if session.id != pid:
            raise LynxError(f"the active build is {session.id}, not {pid}", f"use `lynx build {session.id} ...`")
    if abort:
        from lynx.activities import ending

        build_view.left(ending.abort(ws).session, lang)
        return
    if check:
        _check(ws, lang, json_)
        return
    if questions:
        builds.require_questions_allowed(session)
        _ask(ws, builds.load(ws, session.phase), lang)
        return
    b = builds.load(ws, pid)
    if session is not None and session.id == b.id:
        build_view.brief(b, lang)  # already on it: show the brief again
        return
    session = builds.begin(ws, b, reference)
    build_view.brief(b, lang)
    build_view.started(b, session, lang)


def _check(ws, lang: str, json_: bool) -> None:
    from lynx.activities import builds
    from lynx.term import build_view, console

    done = builds.check(ws)
    if json_:
        console.print_json(build_view.check_json(done.build, done.result))
        if not done.result.passed:
            raise typer.Exit(1)
        return
    build_view.check_result(done.build, done.result, lang)
    if not done.result.passed:
        raise typer.Exit(1)
    if done.session.answers:
        return
    if console.is_tty():
        build_view.questions_next(done.build, lang)
        _ask(ws, done.build, lang)
    else:
        build_view.questions_later(done.build, lang)


def _ask(ws, b, lang: str) -> None:
    from lynx.activities import builds
    from lynx.learner import notes
    from lynx.term import build_view

    try:
        answers = build_view.ask_questions(b, lang)
    except (EOFError, KeyboardInterrupt):
        raise LynxError("the questions were interrupted; nothing was saved",
                        f"answer them later with `lynx build {b.id} --questions`", code=1) from None
    builds.save_answers(ws, answers)
    build_view.finish_hint(ws.rel(notes.build_path(ws, b.phase)), lang)
