"""`lynx lab`: run a phase's lab (an experiment whose numbers the theory pages quote)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from lynx.app import LangOpt, app


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
    from lynx import i18n, workspace
    from lynx import lab as labs

    ws = workspace.load()
    lang = i18n.resolve(lang, ws.lang)
    if lab_id is None:
        from lynx.ui import out

        ph, rows = labs.listing(ws, phase, lang)
        if not rows:
            out(f"Phase {ph.id} has no labs." if lang == "en" else f"La fase {ph.id} no tiene laboratorios.")
            return
        for r in rows:
            out(f"{r['id']:20} {r['title']}")
        out(f"\nRun one with `lynx lab {ph.id} {rows[0]['id']}`." if lang == "en" else
            f"\nEjecuta uno con `lynx lab {ph.id} {rows[0]['id']}`.")
        return
    _, found = labs.find(ws, phase, lab_id)
    sys.stdout.flush()
    raise typer.Exit(labs.run(ws, found, list(ctx.args), lang))
