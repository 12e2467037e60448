"""`lynx learn`: a phase's theory pages listed, or one rendered in the terminal (long pages in the pager)."""

from __future__ import annotations

import os
from typing import Any

from lynx.activities.theory import PageText
from lynx.content.fields import text
from lynx.content.phase import Phase
from lynx.i18n import t
from lynx.term.console import console


def listing(ph: Phase, rows: list[dict[str, Any]], lang: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    if not rows:
        console().print(t("Phase {id} has no theory pages yet.", lang, id=ph.id), markup=False)
        return
    table = Table(title=escape(f"{t('Theory', lang)} — {ph.id} {text(ph.title, lang)}"), title_justify="left")
    table.add_column(t("page", lang))
    table.add_column(t("title", lang))
    for r in rows:
        table.add_row(escape(r["id"]), escape(r["title"]))
    console().print(table)
    console().print(t("Read one with {command}.", lang, command=f"[bold]lynx learn {ph.id} {escape(rows[0]['id'])}[/bold]"))


def show(page: PageText, pager: bool) -> None:
    """Render the Markdown with Rich; long pages go through the pager (`$PAGER`) when on a terminal."""
    from rich.markdown import Markdown

    con = console()
    md = Markdown(page.markdown, code_theme="ansi_dark", hyperlinks=False)
    if pager and con.is_terminal and page.markdown.count("\n") + 4 > con.size.height:
        # pydoc falls back to plain `less`, which prints colour codes as text without -R.
        os.environ.setdefault("LESS", "-R")
        with con.pager(styles=True):
            con.print(md)
        return
    con.print(md)
