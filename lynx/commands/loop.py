"""The break loop's commands: break, hint, run, check, watch, fix, done, abort, reset, explain."""

from __future__ import annotations

from pathlib import Path
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
    expect: Annotated[Optional[str], typer.Option("--expect", help="Your scored prediction: the option's letter, or the number the break asks for.")] = None,
    confidence: Annotated[Optional[str], typer.Option("--confidence", help="How sure you are of --expect: 50 to 100 (%).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the attempt you left (lynx abort) on this break.")] = False,
    fresh: Annotated[bool, typer.Option("--fresh", help="Start this break afresh even if you left an attempt on it.")] = False,
    lang: LangOpt = None,
) -> None:
    """Break your code on purpose: pick a break, predict what will go wrong, get it applied on a branch.

    Example: lynx break 13 --predict "crash at the loss: 512 vs 256 classes" --expect a --confidence 80
    Example: lynx break 13-02 --resume        (continue the attempt you left)
    """
    from lynx.activities import breaks
    from lynx.term import console, loop_view

    ws, lang = _ws(lang)
    b = breaks.pick(ws, phase, which)
    if sum(map(bool, (predict is not None, edit, no_predict))) > 1:
        raise LynxError("use only one of --predict, --edit and --no-predict", "pick one way to give your prediction")
    if predict is not None and not predict.strip():
        raise LynxError("--predict was given an empty text", "write what you expect, e.g. --predict \"a shape error\"")
    from lynx.activities.predictions import require_prediction_size

    require_prediction_size(predict)
    if resume and fresh:
        raise LynxError("use only one of --resume and --fresh", f"e.g. `lynx break {b.id} --resume`")
    scored = _expectation(b, expect, confidence, console.is_tty())
    if predict is None and not edit and not no_predict and not resume and not console.is_tty():
        raise LynxError("no terminal to ask your prediction in",
                        "pass --predict TEXT, --edit (opens $EDITOR) or --no-predict", code=2)
    plan = breaks.prepare(ws, b, reference)
    if resume and not plan.left:
        raise LynxError(f"--resume: you have no attempt of break {b.id} to continue",
                        f"start it with `lynx break {b.id}`")
    if plan.left and not (resume or fresh):
        resume = loop_view.offer_resume(b.id, plan.left, lang, ask=console.is_tty() and predict is None)
    loop_view.show_card(b, lang)
    if resume:
        prediction = plan.left_prediction
    else:
        prediction = None if no_predict else predict if predict is not None else _ask_prediction(b, edit, lang)
    expectation = None
    if scored is not None:
        option, value, conf = scored
        if conf is None:
            conf = loop_view.ask_confidence(lang)
        from lynx.activities.predictions import Expectation

        expectation = Expectation(option, value, conf)
    elif b.outcome is not None and not resume and not no_predict and predict is None and console.is_tty():
        expectation = loop_view.ask_expectation(b, lang)
    session = breaks.begin(ws, plan, prediction, lang, resume=resume, expectation=expectation)
    loop_view.applied(session.branch, ws.rel(plan.notes), lang)


def _expectation(b, expect: str | None, confidence: str | None, tty: bool):
    """--expect and --confidence read and checked before anything changes: (option, value, confidence or None
    to ask), or None when no scored prediction was given."""
    from lynx.activities.predictions import parse_confidence, parse_expect

    if expect is None:
        if confidence is not None:
            raise LynxError("--confidence goes with --expect", f"e.g. `lynx break {b.id} --expect a --confidence 70`")
        return None
    option, value = parse_expect(b, expect)
    if confidence is None and not tty:
        raise LynxError("--expect needs --confidence without a terminal to ask in", "add e.g. --confidence 70")
    return option, value, parse_confidence(confidence) if confidence is not None else None


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
def run(
    compare: Annotated[bool, typer.Option("--compare", help="Run it on the reference code too and show where the two runs part.")] = False,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="With --compare: also write a PNG of both runs here (needs matplotlib).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="With --compare: the record of both runs as JSON.")] = False,
    lang: LangOpt = None,
) -> None:
    """Run the active break's observation program on your code and show what happens.

    Exits with the program's own status: a crash may be exactly what you predicted. With --compare it runs
    twice with the same seed, on the reference code and on yours, and marks the first module where they part.

    Example: lynx run --compare
    """
    from lynx.activities import breaks
    from lynx.term import loop_view

    ws, lang = _ws(lang)
    if (plot is not None or json_out) and not compare:
        raise LynxError("--plot and --json go with --compare", "e.g. `lynx run --compare --plot runs.png`")
    if compare:
        from lynx.activities.compare import compare as run_both
        from lynx.term import compare_view

        both = run_both(ws)
        drawn = compare_view.plot(both, plot, lang) if plot is not None else None
        if json_out:
            print(compare_view.as_json(both))
            return
        compare_view.show(both, lang)
        if drawn is not None:
            print(f"\n→ {drawn}")
        return
    loop_view.run_header(*breaks.observe_target(ws), lang)
    seen = breaks.run_observe(ws)
    loop_view.run_footer(seen, lang)
    raise typer.Exit(seen.status)


@app.command()
def check(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show pytest's whole output instead of the summary.")] = False,
    lang: LangOpt = None,
) -> None:
    """Run the break's checks against your code: exit 1 while the bug is in, 0 once fixed.

    One line per check, and the first failure's message; -v shows pytest's whole output.

    Example: lynx check
    """
    from lynx.activities import breaks
    from lynx.term import check_view, loop_view
    from lynx.term.console import flush

    ws, lang = _ws(lang)
    breaks.active(ws)  # a clear error before pytest starts
    flush()
    done = breaks.check(ws, verbose=verbose)
    if done.result is not None and not done.passed:
        check_view.show(done.result, f"break {done.brk.id}", lang)
    loop_view.check_verdict(done.passed, lang)
    if not done.passed:
        raise typer.Exit(1)


@app.command()
def watch(lang: LangOpt = None) -> None:
    """Re-run the break's check (or the build's validator) on every save under src/, on one screen.

    The screen keeps the title, the hints you revealed and the last verdict with its first failure.
    Keys: h next hint, r run the program, d fix diff, c check now, q quit; Enter on a pass runs `lynx done`.
    Piped (not a terminal), each verdict is printed as it comes, until Ctrl-C.

    Example: lynx watch
    """
    from lynx.activities import watching
    from lynx.term import watch_screen, watch_view

    ws, lang = _ws(lang)
    target = watching.target(ws)  # nothing active: one line, exit 2, nothing started
    ended = watch_screen.watch(ws, target, lang)
    watch_view.farewell(ended, target, lang)
    if ended.outcome == "done":
        done(None, lang)
        return
    raise typer.Exit({"interrupted": 130, "term": 143}.get(ended.outcome, 0))


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

    from lynx.activities import fixes
    from lynx.term import loop_view

    ws, lang = _ws(lang)
    if show_diff == apply:
        raise LynxError("choose one of --show-diff and --apply", "e.g. `lynx fix --show-diff`")
    from lynx.term import diff_view

    if apply:
        applied = fixes.fix_apply(ws)
        if applied and sys.stdout.isatty():
            diff_view.show(applied, compact=True, lang=lang)
        loop_view.fix_applied(bool(applied), lang)
        return
    found = fixes.fix_diff(ws)
    if not sys.stdout.isatty():
        sys.stdout.write(found.diff)  # piped: the whole diff, as `git apply` takes it
        return
    diff = diff_view.behaviour_only(found.diff) if found.fixed else found.diff
    if found.fixed:
        loop_view.fixed_already(bool(diff.strip()), lang)
    elif not diff.strip():
        print(loop_view.fix_nothing_text(lang))
    if diff.strip():
        diff_view.show(diff, step=step, lang=lang)


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
        ready = ending.ready(ws, lang)
    except NotFinished as exc:
        console.out(exc.output)
        raise exc.error from None
    if ready.recap is not None:
        loop_view.recap(ready.recap, lang)
    if cal is None and ready.asks_calibration and console.is_tty():
        cal = _ask_calibration(lang)
    ended = ending.finish(ws, None if ready.interrupted else ready.outcome, cal, lang)
    loop_view.done(ended.session.kind, ended.session.id, ended.session.home, ended.outcome, lang)
    loop_view.next_step(ended.next, lang)


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
    ended = ending.abort(ws, lang)
    s = ended.session
    loop_view.aborted(s.kind, s.id, s.branch, s.home, lang)


@app.command()
def practice(lang: LangOpt = None) -> None:
    """A break you finished, back for practice when it is due: applied without its title or card.

    Diagnose it from what `lynx run` shows; `hint`, `check`, `fix`, `done` and `abort` work as for a break.

    Example: lynx practice
    """
    from lynx.activities import practice as practising
    from lynx.term import loop_view

    ws, lang = _ws(lang)
    due, session = practising.start_next(ws)
    loop_view.practice(due, session, lang)


@app.command()
def reset(lang: LangOpt = None) -> None:
    """Put the active break's files back to their broken state; your attempt is committed on its branch first.

    Example: lynx reset
    """
    from lynx.activities import breaks
    from lynx.term import loop_view

    ws, lang = _ws(lang)
    loop_view.reset(breaks.reset(ws), lang)


@app.command()
def explain(
    break_id: Annotated[Optional[str], typer.Argument(metavar="ID", help="A break you finished, e.g. 13-00 (default: the last one).")] = None,
    lang: LangOpt = None,
) -> None:
    """What a break you finished was about: your prediction, what happened, the hidden cause and why it matters.

    A break not finished yet is refused, so its surprise is kept.

    Example: lynx explain 13-00
    """
    from lynx.activities import explaining
    from lynx.term import loop_view

    ws, lang = _ws(lang)
    loop_view.recap(explaining.explain(ws, break_id, lang), lang)
