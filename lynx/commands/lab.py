"""`lynx lab`: run a phase's lab (an experiment whose numbers the theory pages quote)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from lynx.commands.app import LangOpt, app


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def lab(
    ctx: typer.Context,
    phase: Annotated[str, typer.Argument(help="Phase id, e.g. 13.")],
    lab_id: Annotated[Optional[str], typer.Argument(metavar="LAB", help="Lab id; leave it out to list the labs.")] = None,
    lang: LangOpt = None,
) -> None:
    """Run a lab on your own code; any further arguments go to the lab's program.

    The lab's own options come after the lab id; `--` passes even `--help` through.

    Example: lynx lab 13 rank-collapse --epochs 5 --plot spectra.png
    """
    from lynx.activities import labs
    from lynx.i18n import resolve
    from lynx.learner import workspace
    from lynx.term import lab_view
    from lynx.term.console import flush

    ws = workspace.load()
    lang = resolve(lang, ws.lang)
    if lab_id is None:
        ph, rows = labs.listing(ws, phase, lang)
        lab_view.listing(ph, rows, lang)
        return
    _, found = labs.find(ws, phase, lab_id)
    flush()
    raise typer.Exit(labs.run(ws, found, list(ctx.args), lang))
