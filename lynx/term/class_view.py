"""`lynx class`: the class table in the terminal, or as CSV."""

from __future__ import annotations

import sys
from typing import Any

from lynx.i18n import t
from lynx.teacher.table import COLUMNS, NUMERIC, cell
from lynx.term.console import console


def heads(lang: str) -> list[str]:
    return [t("Name", lang), t("Phase", lang), t("Breaks", lang), t("Hints/break", lang), t("Quiz", lang),
            t("Calibration", lang), t("Cards due", lang), t("Last activity", lang), t("Note", lang)]


def table(rows: list[dict[str, Any]], lang: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = Table(show_lines=False, header_style="bold")
    for h, c in zip(heads(lang), COLUMNS):
        out.add_column(h, overflow="fold", no_wrap=c != "note", justify="right" if c in NUMERIC else "left")
    for r in rows:
        out.add_row(*(escape(cell(r, c, lang)) for c in COLUMNS))
    console().print(out)


def csv(rows: list[dict[str, Any]]) -> None:
    import csv as csvlib

    w = csvlib.writer(sys.stdout, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([csv_cell("" if r[c] is None else (cell(r, c) if c == "quiz" else r[c])) for c in COLUMNS])


def csv_cell(value: Any) -> Any:
    """A cell from a learner's repository: control characters visible, and a leading = + - @ quoted, so a
    spreadsheet shows the text instead of running it as a formula."""
    if not isinstance(value, str):
        return value
    from lynx.core.untrusted import visible

    value = visible(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def failures(failed: int, total: int) -> None:
    sys.stderr.write(f"lynx: {failed} of {total} remotes could not be read (see the note column)\n")
