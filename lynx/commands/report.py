"""`lynx report`: a learner's prediction calibration."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lynx.commands.app import JsonOpt, LangOpt, LearnerOpt, app


@app.command()
def report(
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Also write a PNG chart here (needs matplotlib).")] = None,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
    learner: LearnerOpt = None,
) -> None:
    """How often your predictions were right, per phase and over time, and which breaks surprised you most.

    After `lynx done` you say whether your prediction was right (y / partly / n); this is the tally.

    Example: lynx report --plot calibration.png
    """
    from lynx.activities import calibration
    from lynx.i18n import resolve
    from lynx.learner import workspace
    from lynx.term import report_view

    ws = workspace.load(learner=learner)
    lang = resolve(lang, ws.lang)
    data = calibration.learner_report(ws, lang)
    if plot is not None:
        data["plot"] = str(report_view.plot(data, plot, lang))
    if json_out:
        from lynx.term.console import print_json

        print_json(data)
        return
    report_view.show(data, lang)
    if plot is not None:
        print(f"\n→ {data['plot']}")
