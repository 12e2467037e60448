"""Commands about the workspace as a whole: init, phases, status, recover."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lynx.commands.app import JsonOpt, LangOpt, app
from lynx.core.errors import LynxError


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
    from lynx.activities import workspace_init
    from lynx.content.course import bundled
    from lynx.term import console, prompts

    if source is not None:
        src = source.expanduser().resolve()
        if not yes:
            if not console.is_tty():
                raise LynxError(f"{src} is not the bundled course: its breaks run code on your machine",
                                "look at it first, then re-run with --yes to accept it")
            from lynx.i18n import languages, t

            shown = lang if lang in languages() else "en"
            console.out(t("The course in {src} contains programs that lynx will run on your machine.", shown, src=src))
            if not prompts.confirm(t("Use it?", shown)):
                raise typer.Exit(1)
    else:
        src = bundled()
    root = workspace_init.create(directory, learner, lang, src)
    from lynx.i18n import t

    console.out(t("Workspace ready in {root} for {learner}.", lang, root=root, learner=learner))
    console.out(t("Next:  cd {root}  then  lynx phases  and  lynx break 13", lang, root=root))


@app.command()
def phases(
    phase: Annotated[Optional[str], typer.Argument(help="One phase, e.g. 13: its breaks, build, quiz, labs and pages.")] = None,
    json_: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """List the phases with your progress in each, or one phase in detail.

    Example: lynx phases 13
    """
    from lynx.activities import status
    from lynx.term import status_view
    from lynx.term.console import print_json

    ws, lang = _workspace_or_course(lang)
    if phase is not None:
        detail = status.phase_detail(ws, phase, lang)
        if json_:
            print_json(status_view.detail_json(detail, lang))
        else:
            status_view.phase_detail(detail, lang)
        return
    rows = status.phase_rows(ws, lang)
    if json_:
        print_json({"phases": [status_view.row_json(r) for r in rows]})
        return
    status_view.phases_table(rows, lang)


def _workspace_or_course(lang: str | None):
    """The workspace; outside one (e.g. in the course checkout), the course itself with nobody's progress."""
    import os

    from lynx.content.course import find_workspace_root, locate
    from lynx.i18n import resolve
    from lynx.learner import workspace

    if find_workspace_root() is None and not os.environ.get("LYNX_WORKSPACE"):
        return workspace.Workspace(root=locate(None), learner="-"), resolve(lang)
    ws = workspace.load()
    return ws, resolve(lang, ws.lang)


@app.command("status")
def status_cmd(json_: JsonOpt = False, lang: LangOpt = None) -> None:
    """Where you are: the active break, hints taken, what to do next.

    Example: lynx status --json
    """
    from lynx.activities import status
    from lynx.i18n import resolve
    from lynx.learner import workspace
    from lynx.term import status_view

    ws = workspace.load()
    report = status.summary(ws, resolve(lang, ws.lang))
    if json_:
        from lynx.term.console import print_json

        print_json(status_view.as_json(report))
        return
    status_view.show(report)


@app.command()
def recover(lang: LangOpt = None) -> None:
    """Repair the workspace after an interruption or a corrupt state file; never deletes your work.

    Example: lynx recover
    """
    from lynx.activities.recover import recover as do_recover
    from lynx.i18n import resolve
    from lynx.learner import workspace
    from lynx.term.console import out

    ws = workspace.load()
    lang = resolve(lang, ws.lang)
    for message in do_recover(ws):
        out(message.text(lang))
