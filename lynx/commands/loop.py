"""The break loop's commands: break, hint, run, check, fix, done, abort."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from lynx.commands.app import LangOpt, app
from lynx.core.errors import LynxError


def _ws(lang: str | None = None):
    from lynx.i18n import resolve
    from lynx.learner import workspace

    ws = workspace.load()
    return ws, resolve(lang, ws.lang)


@app.command("break")
def break_cmd(
    phase: Annotated[str, typer.Argument(help="Phase (13), or a break id (13-00).")],
    which: Annotated[Optional[str], typer.Argument(help="Break number within the phase (00).")] = None,
    predict: Annotated[Optional[str], typer.Option("--predict", "-p", help="Your prediction, as text.")] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Write your prediction in $EDITOR.")] = False,
    no_predict: Annotated[bool, typer.Option("--no-predict", help="Skip the prediction (not recommended).")] = False,
    reference: Annotated[bool, typer.Option("--reference", help="Apply the break on top of the reference version of the files, for code that has diverged.")] = False,
    lang: LangOpt = None,
) -> None:
    """Break your code on purpose: pick a break, predict what will go wrong, get it applied on a branch.

    Example: lynx break 13 --predict "crash at the loss: 512 vs 256 classes"
    """
    from lynx.activities import breaks
    from lynx.term import console, loop_view

    ws, lang = _ws(lang)
    b = breaks.pick(ws, phase, which)
    if sum(map(bool, (predict is not None, edit, no_predict))) > 1:
        raise LynxError("use only one of --predict, --edit and --no-predict", "pick one way to give your prediction")
    if predict is not None and not predict.strip():
        raise LynxError("--predict was given an empty text", "write what you expect, e.g. --predict \"a shape error\"")
    if predict is None and not edit and not no_predict and not console.is_tty():
        raise LynxError("no terminal to ask your prediction in",
                        "pass --predict TEXT, --edit (opens $EDITOR) or --no-predict", code=2)
    plan = breaks.prepare(ws, b, reference)
    loop_view.show_card(b, lang)
    prediction = None if no_predict else predict if predict is not None else _ask_prediction(b, edit, lang)
    session = breaks.begin(ws, plan, prediction, lang)
    loop_view.applied(session.branch, ws.rel(plan.notes), lang)


def _ask_prediction(b, edit: bool, lang: str) -> str:
    from lynx.content.fields import text
    from lynx.i18n import t
    from lynx.term import prompts

    if edit:
        got = prompts.from_editor(f"# {text(b.prompt, lang)}\n# Lines starting with # are ignored.\n\n")
        if not got:
            raise LynxError("the prediction you wrote is empty", "nothing changed; run the command again")
        return got
    try:
        return prompts.ask_line(t("Your prediction", lang),
                                t("(an empty prediction teaches nothing: write one line, or Ctrl-C to cancel)", lang))
    except (EOFError, KeyboardInterrupt):
        raise LynxError("no prediction given, the break was not applied", "run `lynx break` again when ready", code=1) from None


@app.command()
def hint(
    all_: Annotated[bool, typer.Option("--all", help="Show the hints already revealed.")] = False,
    lang: LangOpt = None,
) -> None:
    """The next hint of the active break's cascade, one per call.

    Example: lynx hint --all
    """
    from lynx.activities import breaks
    from lynx.term import loop_view

    ws, lang = _ws(lang)
    loop_view.hint(breaks.next_hint(ws, lang, show_all=all_), all_, lang)


@app.command()
def run() -> None:
    """Run the active break's observation program on your code and show what happens.

    Exits with the program's own status: a crash may be exactly what you predicted.

    Example: lynx run
    """
    from lynx.activities import breaks
    from lynx.term.console import flush

    ws, _ = _ws()
    flush()
    raise typer.Exit(breaks.run_observe(ws))


@app.command()
def check(lang: LangOpt = None) -> None:
    """Run the break's tests against your code: exit 1 while the bug is in, 0 once fixed.

    Example: lynx check
    """
    from lynx.activities import breaks
    from lynx.term import loop_view
    from lynx.term.console import flush

    ws, lang = _ws(lang)
    breaks.active(ws)  # a clear error before pytest starts
    flush()
    passed, _ = breaks.check(ws, capture=False)
    loop_view.check_verdict(passed, lang)
    if not passed:
        raise typer.Exit(1)


@app.command()
def fix(
    show_diff: Annotated[bool, typer.Option("--show-diff", help="Show what is left to change, as a diff.")] = False,
    step: Annotated[bool, typer.Option("--step", help="With --show-diff: one hunk at a time.")] = False,
    apply: Annotated[bool, typer.Option("--apply", help="Apply the fix (recorded as solved with the solution shown).")] = False,
    lang: LangOpt = None,
) -> None:
    """See the fix of the active break, or apply it if you give up.

    Piped, --show-diff prints a plain diff that `git apply` accepts.

    Example: lynx fix --show-diff --step
    """
    import sys

    from lynx.activities import breaks
    from lynx.term import loop_view

    ws, lang = _ws(lang)
    if show_diff == apply:
        raise LynxError("choose one of --show-diff and --apply", "e.g. `lynx fix --show-diff`")
    if apply:
        loop_view.fix_applied(breaks.fix_apply(ws), lang)
        return
    diff = breaks.fix_diff(ws)
    if not diff.strip():
        if sys.stdout.isatty():
            print(loop_view.fix_nothing_text(lang))
        return
    if not sys.stdout.isatty():
        sys.stdout.write(diff)
        return
    from lynx.term import diff_view

    diff_view.show(diff, step=step)


@app.command()
def done(
    calibration: Annotated[Optional[str], typer.Option("--calibration", "-c", help="Was your prediction right? y, partly or n.")] = None,
    lang: LangOpt = None,
) -> None:
    """Finish the active break once `lynx check` passes, and return to your branch.

    Example: lynx done --calibration partly
    """
    from lynx.activities import ending
    from lynx.activities.breaks import NotFinished
    from lynx.term import console, loop_view

    ws, lang = _ws(lang)
    cal = None
    if calibration is not None:
        cal = ending.normalise_calibration(calibration)
        if cal is None:
            raise LynxError(f"--calibration {calibration!r} is not y, partly or n", "e.g. `lynx done --calibration partly`")
    try:
        ready = ending.ready(ws)
    except NotFinished as exc:
        console.out(exc.output)
        raise exc.error from None
    if cal is None and ready.asks_calibration and console.is_tty():
        cal = _ask_calibration(lang)
    ended = ending.finish(ws, None if ready.interrupted else ready.outcome, cal)
    loop_view.done(ended.session.kind, ended.session.id, ended.session.home, ended.outcome, lang)


def _ask_calibration(lang: str) -> str | None:
    from lynx.activities.ending import normalise_calibration
    from lynx.term import loop_view, prompts

    while True:
        try:
            cal = normalise_calibration(prompts.ask_line(loop_view.calibration_question(lang),
                                                         loop_view.calibration_hint(lang)))
        except (EOFError, KeyboardInterrupt):
            return None
        if cal is not None:
            return cal


@app.command()
def abort(lang: LangOpt = None) -> None:
    """Leave the active break or build without finishing; your work on it is saved on its branch.

    Example: lynx abort
    """
    from lynx.activities import ending
    from lynx.term import loop_view

    ws, lang = _ws(lang)
    ended = ending.abort(ws)
    s = ended.session
    loop_view.aborted(s.kind, s.id, s.branch, s.home, lang)
