"""Handing work in: `lynx submit` (push it) and `lynx verify` (check what the progress file claims)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lynx.commands.app import JsonOpt, LangOpt, LearnerOpt, app


@app.command()
def submit(
    remote: Annotated[Optional[str], typer.Option("--remote", help="The git remote to push to (default: `remote` in lynx.toml, else origin).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds before the push is given up.")] = 120.0,
    lang: LangOpt = None,
    learner: LearnerOpt = None,
) -> None:
    """Hand in: commit lynx's files, then push your branch and every break and build branch (your fixes) to your remote.

    Only lynx's own files (learners/<you>/) are committed, never your other work; nothing is ever force-pushed, and a
    push that fails loses nothing (it is all committed here: fix what git says and run it again).

    Example: lynx submit

    Example: lynx submit --remote school
    """
    from lynx.activities import submit as handing
    from lynx.i18n import resolve
    from lynx.learner import workspace
    from lynx.term import submit_view

    ws = workspace.load(learner=learner)
    code = submit_view.submitted(handing.submit(ws, remote, timeout), resolve(lang, ws.lang))
    if code:
        raise typer.Exit(code)


@app.command()
def verify(
    course: Annotated[Optional[Path], typer.Option("--course", help="Take the checks from this course folder (default: the course installed with lynx).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Checks run at the same time.")] = 2,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds for one run of your code (the checks of one version of it).")] = 600.0,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
    learner: LearnerOpt = None,
) -> None:
    """Re-run the check of every break and the validator of every build your progress calls done, on the code you committed for it.

    Each runs in a scratch folder written from git's objects (your working tree is never touched), sandboxed. Exit 1
    when a claim does not hold (its check fails, or there is no code for it). A school's CI can run this on every push
    (docs/teachers.md).

    Example: lynx verify

    Example: lynx verify --json > verify.json
    """
    from lynx.activities import verify as verifying
    from lynx.i18n import resolve
    from lynx.learner import workspace
    from lynx.term import verify_view

    ws = workspace.load(learner=learner)
    show = resolve(lang, ws.lang)
    with verify_view.progress(show) as update:
        result = verifying.verify(ws, course, jobs, timeout, update)
    verify_view.show(result, show, json_out)
    if result.failing:
        raise typer.Exit(1)
