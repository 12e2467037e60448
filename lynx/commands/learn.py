"""`lynx learn`: the theory pages of a phase, listed or read in the terminal."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from lynx.app import JsonOpt, LangOpt, app


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
    from lynx import i18n, theory, workspace

    ws = workspace.load()
    lang = i18n.resolve(lang, ws.lang)
    if page is None:
        ph, rows = theory.listing(ws, phase, lang)
        if json_:
            from lynx.ui import print_json

            print_json({"phase": ph.id, "lang": lang, "pages": rows})
            return
        from rich.table import Table

        from lynx.content import text
        from lynx.ui import console

        if not rows:
            console().print(f"Phase {ph.id} has no theory pages yet." if lang == "en" else
                            f"La fase {ph.id} aún no tiene páginas de teoría.")
            return
        head = "Theory" if lang == "en" else "Teoría"
        t = Table(title=f"{head} — {ph.id} {text(ph.title, lang)}", title_justify="left")
        t.add_column("page" if lang == "en" else "página")
        t.add_column("title" if lang == "en" else "título")
        for r in rows:
            t.add_row(r["id"], r["title"])
        console().print(t)
        console().print(f"Read one with [bold]lynx learn {ph.id} {rows[0]['id']}[/bold]." if lang == "en" else
                        f"Lee una con [bold]lynx learn {ph.id} {rows[0]['id']}[/bold].")
        return
    got = theory.read(ws, phase, page, lang)
    if json_:
        from lynx.ui import print_json

        print_json({"phase": got.phase, "page": got.id, "lang": lang, "title": got.title,
                    "file": str(got.path.relative_to(ws.root)), "markdown": got.markdown})
        return
    theory.show(got, pager=not no_pager)
