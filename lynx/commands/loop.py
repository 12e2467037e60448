"""The break loop's commands: init, phases, status, break, run, hint, fix, check, done, abort, validate.

Thin: parse, call a plain function in a domain module, print. Heavy imports stay inside the functions.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from lynx.app import JsonOpt, LangOpt, app
from lynx.errors import LynxError


def _ws(lang: str | None = None):
    from lynx import i18n, workspace

    ws = workspace.load()
    return ws, i18n.resolve(lang, ws.lang)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the workspace in (must be new or empty).")],
    learner: Annotated[str, typer.Option("--learner", "-l", help="Your name: lowercase letters, digits, dashes.")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the course text: en or es.")] = "en",
    source: Annotated[Optional[Path], typer.Option("--from", help="Make the workspace from another course folder (it runs code: you are asked first).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before using a course from --from.")] = False,
) -> None:
    """Make a workspace: a git repository with the course and your own folder.

    Example: lynx init ~/course --learner borja
    """
    from lynx import scaffold, ui, workspace

    if source is not None:
        src = source.expanduser().resolve()
        if not yes:
            if not ui.is_tty():
                raise LynxError(f"{src} is not the bundled course: its breaks run code on your machine",
                                "look at it first, then re-run with --yes to accept it")
            ui.out(f"The course in {src} contains programs that lynx will run on your machine.")
            if not typer.confirm("Use it?", default=False):
                raise typer.Exit(1)
    else:
        src = workspace.bundled_course()
    root = scaffold.create(directory, learner, lang, src)
    ui.out(f"Workspace ready in {root} for {learner}.")
    ui.out(f"Next:  cd {root}  then  lynx phases  and  lynx break 13")


@app.command()
def phases(json_: JsonOpt = False, lang: LangOpt = None) -> None:
    """List the phases with your progress in each.

    Example: lynx phases --json
    """
    from lynx import i18n, status, workspace

    if workspace.find_root() is None and not __import__("os").environ.get("LYNX_WORKSPACE"):
        # Outside a workspace (e.g. in the course checkout): list the course itself, with no progress.
        from lynx.validate import course_root

        ws = workspace.Workspace(root=course_root(None), learner="-")
        lang = i18n.resolve(lang)
    else:
        ws, lang = _ws(lang)
    rows = status.phase_rows(ws, lang)
    if json_:
        from lynx.ui import print_json

        print_json({"phases": rows})
        return
    from rich.table import Table

    from lynx.ui import console

    t = Table(title="lynx — phases", title_justify="left")
    for col in ("phase", "title", "breaks", "pages", "quiz", "status"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["id"], r["title"], f"{r['breaks_done']}/{r['breaks']}", str(r["pages"]),
                  str(r["questions"]) + " q" if r["questions"] else "—", r["status"])
    console().print(t)
    console().print("Start a break with [bold]lynx break 13[/bold].")


@app.command("status")
def status_cmd(json_: JsonOpt = False, lang: LangOpt = None) -> None:
    """Where you are: the active break, hints taken, what to do next.

    Example: lynx status --json
    """
    from lynx import status

    ws, lang = _ws(lang)
    data = status.summary(ws, lang)
    if json_:
        from lynx.ui import print_json

        print_json(data)
        return
    status.print_summary(data)


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
    from lynx import loop, prediction, ui
    from lynx.content import text
    from lynx.i18n import ui as t

    ws, lang = _ws(lang)
    b = loop.pick_break(ws, phase, which)
    if sum(map(bool, (predict is not None, edit, no_predict))) > 1:
        raise LynxError("use only one of --predict, --edit and --no-predict", "pick one way to give your prediction")
    if predict is not None and not predict.strip():
        raise LynxError("--predict was given an empty text", "write what you expect, e.g. --predict \"a shape error\"")
    if predict is None and not edit and not no_predict and not ui.is_tty():
        raise LynxError("no terminal to ask your prediction in",
                        "pass --predict TEXT, --edit (opens $EDITOR) or --no-predict", code=2)

    def show_card() -> None:
        from rich.markup import escape
        from rich.panel import Panel

        body = (f"{escape(text(b.summary, lang))}\n\n[dim]{t('files', lang)}: {escape(', '.join(b.files))}[/dim]"
                f"\n\n[bold]{escape(text(b.prompt, lang))}[/bold]")
        ui.console().print(Panel(body, title=escape(f"Break {b.id} — {text(b.title, lang)}"), title_align="left"))

    def get_prediction() -> str | None:
        if no_predict:
            return None
        if predict is not None:
            return predict
        if edit:
            got = prediction.from_editor(f"# {text(b.prompt, lang)}\n# Lines starting with # are ignored.\n\n")
            if not got:
                raise LynxError("the prediction you wrote is empty", "nothing changed; run the command again")
            return got
        try:
            return prediction.ask_line(t("predict_prompt", lang))
        except (EOFError, KeyboardInterrupt):
            raise LynxError("no prediction given, the break was not applied", "run `lynx break` again when ready", code=1) from None

    state = loop.begin(ws, b, lang, reference, get_prediction, show_card)
    notes = ws.phase_dir(b.phase) / "notes" / "breaks.md"
    ui.console().print(t("applied", lang).format(branch=state["branch"], notes=notes.relative_to(ws.root)))


@app.command()
def hint(
    all_: Annotated[bool, typer.Option("--all", help="Show the hints already revealed.")] = False,
    lang: LangOpt = None,
) -> None:
    """The next hint of the active break's cascade, one per call.

    Example: lynx hint --all
    """
    from lynx import loop
    from lynx.i18n import ui as t
    from lynx.ui import out, style

    ws, lang = _ws(lang)
    res = loop.next_hint(ws, lang, show_all=all_)
    label = t("hint", lang)
    if all_:
        if not res.texts:
            out(t("no_hint_yet", lang))
        for i, h in enumerate(res.texts, 1):
            out(f"{style(f'{label} {i}/{res.total}', bold=True)}  {h}")
        return
    if res.number == 0:
        out(t("no_more_hints", lang))
        return
    out(f"{style(f'{label} {res.number}/{res.total}', fg='yellow', bold=True)}  {res.texts[0]}")
    if res.last:
        out(style(t("no_more_hints", lang), dim=True))


@app.command()
def run() -> None:
    """Run the active break's observation program on your code and show what happens.

    Exits with the program's own status: a crash may be exactly what you predicted.

    Example: lynx run
    """
    from lynx import loop

    ws, _ = _ws()
    sys.stdout.flush()
    raise typer.Exit(loop.run_observe(ws))


@app.command()
def check(lang: LangOpt = None) -> None:
    """Run the break's tests against your code: exit 1 while the bug is in, 0 once fixed.

    Example: lynx check
    """
    from lynx import loop
    from lynx.i18n import ui as t
    from lynx.ui import out, style

    ws, lang = _ws(lang)
    state, b = loop.active_break(ws)
    ok, _ = loop.run_check(ws, b, capture=False)
    if ok:
        out(style(t("check_ok", lang), fg="green", bold=True))
        return
    out(style(t("check_fail", lang), fg="red", bold=True))
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
    from lynx import loop, ui
    from lynx.i18n import ui as t

    ws, lang = _ws(lang)
    if show_diff == apply:
        raise LynxError("choose one of --show-diff and --apply", "e.g. `lynx fix --show-diff`")
    if apply:
        changed = loop.fix_apply(ws)
        ui.out(t("fix_applied" if changed else "fix_nothing", lang))
        return
    diff = loop.fix_diff(ws)
    if not diff.strip():
        if sys.stdout.isatty():
            ui.out(t("fix_nothing", lang))
        return
    if not sys.stdout.isatty():
        sys.stdout.write(diff)
        return
    from lynx import diffview

    diffview.show(diff, step=step)


@app.command()
def done(
    calibration: Annotated[Optional[str], typer.Option("--calibration", "-c", help="Was your prediction right? y, partly or n.")] = None,
    lang: LangOpt = None,
) -> None:
    """Finish the active break once `lynx check` passes, and return to your branch.

    Example: lynx done --calibration partly
    """
    from lynx import loop, prediction, progress, ui
    from lynx.i18n import ui as t

    ws, lang = _ws(lang)
    state = progress.active(ws)
    if state is None:
        raise LynxError("nothing is active", "start a break with `lynx break 13`")
    if state.get("stage") == "ending":  # an interrupted `done`/`abort`: finish closing it
        state = loop.end(ws, None, None)
        ui.out(t("done", lang).format(kind=state["kind"], id=state["id"], home=state["home"], how=state["outcome"]))
        return
    if state["kind"] == "break":
        state, b = loop.active_break(ws)
        ok, output = loop.run_check(ws, b, capture=True)
        if not ok:
            tail = "\n".join(output.strip().splitlines()[-3:])
            ui.out(tail)
            raise LynxError(f"break {b.id} is not fixed yet: its check fails",
                            "keep going (`lynx hint`), or `lynx fix --apply` to see the solution", code=1)
    elif state["kind"] == "build":
        from lynx import build

        build.require_passed(ws, state)  # the validator must pass first
    cal = None
    if calibration is not None:
        cal = prediction.normalise_calibration(calibration)
        if cal is None:
            raise LynxError(f"--calibration {calibration!r} is not y, partly or n", "e.g. `lynx done --calibration partly`")
    elif state["kind"] == "break" and ui.is_tty():
        q = t("calibrate", lang)
        while cal is None:
            try:
                cal = prediction.normalise_calibration(prediction.ask_line(q))
            except (EOFError, KeyboardInterrupt):
                break
    outcome = "solution" if state.get("fix_applied") else "fixed"
    state = loop.end(ws, outcome, cal)
    ui.out(t("done", lang).format(kind=state["kind"], id=state["id"], home=state["home"],
                                  how=t("how_passed" if state["kind"] == "build" else
                                        "how_solution" if outcome == "solution" else "how_fixed", lang)))


@app.command()
def abort(lang: LangOpt = None) -> None:
    """Leave the active break or build without finishing; your work on it is saved on its branch.

    Example: lynx abort
    """
    from lynx import loop, ui
    from lynx.i18n import ui as t

    ws, lang = _ws(lang)
    state = loop.end(ws, "aborted", None)
    ui.out(t("aborted", lang).format(kind=state["kind"], id=state["id"], branch=state["branch"], home=state["home"]))


@app.command()
def validate(
    course: Annotated[Optional[Path], typer.Option("--course", help="Course folder (default: this workspace or checkout).")] = None,
    json_: JsonOpt = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Checks run at once (break proofs, then build validators).")] = 2,
) -> None:
    """Prove the course: every file loads, every break breaks its check and its fix restores it.

    Exit 1 on any failure; usable in CI.

    Example: lynx validate --json
    """
    from lynx import validate as v

    root = v.course_root(course)
    rows = v.validate(root, jobs=jobs)
    failed = [r for r in rows if not r.ok]
    if json_:
        from lynx.ui import print_json

        print_json({"course": str(root), "ok": not failed, "rows": [r.__dict__ for r in rows]})
    else:
        v.print_rows(rows)
    if failed:
        raise typer.Exit(1)


@app.command()
def recover() -> None:
    """Repair the workspace after an interruption or a corrupt state file; never deletes your work.

    Example: lynx recover
    """
    from lynx import lock, ui, workspace
    from lynx.recover import recover as do_recover

    ws = workspace.load()
    with lock.held(ws.state_dir):  # a stale lock (its pid is gone) is cleared by lock.held itself
        for line in do_recover(ws):
            ui.out(line)
