"""`lynx learn`: the theory pages of a phase, listed or read in the terminal."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from lynx.commands.app import JsonOpt, LangOpt, app


@app.command()
def learn(
    phase: Annotated[str, typer.Argument(help="Phase id, e.g. 13.")],
    page: Annotated[Optional[str], typer.Argument(help="Page id, e.g. 04; leave it out to list the pages.")] = None,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Print the whole page, even when it is long.")] = False,
    lang: LangOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Read the theory of a phase: `lynx learn 13` lists its pages, `lynx learn 13 04` shows one.

    Example: lynx learn 13 04 --lang es
    """
    from lynx.activities import theory
    from lynx.i18n import resolve
    from lynx.learner import workspace
    from lynx.term import theory_view
    from lynx.term.console import print_json

    ws = workspace.load()
    lang = resolve(lang, ws.lang)
    if page is None:
        ph, rows = theory.listing(ws, phase, lang)
        if json_:
            print_json({"phase": ph.id, "lang": lang, "pages": rows})
        else:
            theory_view.listing(ph, rows, lang)
        return
    got = theory.read(ws, phase, page, lang)
    if json_:
        print_json({"phase": got.phase, "page": got.id, "lang": lang, "title": got.title,
                    "file": ws.rel(got.path), "markdown": got.markdown})
        return
    theory_view.show(got, pager=not no_pager)
