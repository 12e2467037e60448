"""`lynx class`: the class table in the terminal (it fits 80 columns: cells wrap, the name keeps at least 12
characters and the note column stays), as CSV, and the lines on stderr (remotes not read, rewritten
histories, claims their code does not back).

Everything in a cell may come from a learner's repository: it is printed as plain text (never Rich markup)
with terminal control characters replaced, and CSV cells that a spreadsheet would run as a formula get a
leading apostrophe.
"""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from lynx.core.untrusted import visible
from lynx.i18n import N_, t
from lynx.teacher.table import COLUMNS, CSV_COLUMNS, NUMERIC, VERIFY_COLUMNS, cell, csv_value
from lynx.term.console import console, err_console

READING, VERIFYING = N_("Reading the class"), N_("Verifying")  # progress bars
NOTES = (N_("unreachable now, showing the last fetch"), N_("unreachable"), N_("fetch failed"), N_("unreadable"),
         N_("never pushed (no remote given)"), N_("never pushed (the repository is empty)"), N_("no lynx data yet"),
         N_("no branch to read"))
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def clean(value: str) -> str:
    """A learner's text safe for a terminal: control characters (escape sequences, bidi overrides) become '?'."""
    return CONTROL.sub("?", value.replace("\n", " "))


def heads(lang: str) -> dict[str, str]:
    return {"name": t("Name", lang), "phase": t("Phase", lang), "breaks_done": t("Breaks", lang),
            "hints_per_break": t("Hints/break", lang), "quiz": t("Quiz", lang), "calibration": t("Calibration", lang),
            "cards_due": t("Cards due", lang), "last_activity": t("Last activity", lang), "note": t("Note", lang),
            "verified": t("Verified", lang)}


def note_text(note: str, lang: str) -> str:
    """The note as a person reads it: lynx's own words translated, git's message kept as git said it."""
    for en in NOTES:
        if note.startswith(en):
            return t(en, lang) + note[len(en):]
    return note


# The narrowest each column may get when the terminal is narrow (80 columns, or a pipe): cells wrap, the
# name keeps 12 characters and the note 14, and the note takes whatever is left.
NARROW = {"name": 12, "phase": 5, "breaks_done": 5, "hints_per_break": 5, "quiz": 8, "calibration": 6,
          "cards_due": 5, "last_activity": 10, "verified": 5, "note": 14}


def widths(cols: list[str], cells: list[list[str]], titles: list[str], width: int) -> dict[str, int]:
    """Column widths that fit ``width``: every column as wide as its longest cell when that fits, else at
    least its narrowest (cells wrap), the spare shared out: the name and the note first, then the rest."""
    natural = {c: max([len(titles[i])] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)}
    gaps = len(cols) - 1
    if sum(natural.values()) + gaps <= width:
        return natural
    out = {c: min(natural[c], NARROW[c]) if c not in ("name", "note") else NARROW[c] for c in cols}
    spare = width - gaps - sum(out.values())

    def grow(c: str, upto: int) -> None:
        nonlocal spare
        if c in out and spare > 0:
            more = min(spare, max(0, min(upto, natural[c]) - out[c]))
            out[c] += more
            spare -= more

    grow("name", 20)
    grow("note", 40)
    for c in cols:
        grow(c, natural[c])
    out["note"] += max(0, spare)
    return out


def table(rows: list[dict[str, Any]], lang: str, verify: bool = False) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    cols = [c for c in COLUMNS if c != "note"] + (["verified"] if verify else []) + ["note"]
    names = heads(lang)
    cells = []
    for r in rows:
        line = []
        for c in cols:
            v = cell(r, c, lang)
            if c == "note":
                v = note_text(v, lang) + (f" ({t('history rewritten since the last fetch', lang)})" if r.get("warning") else "")
            line.append(clean(v))
        cells.append(line)
    con = console()
    fit = widths(cols, cells, [names[c] for c in cols], con.width)
    # No padding: the box's blank vertical line is the one space between two columns.
    out = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, padding=(0, 0), show_edge=False)
    for c in cols:
        out.add_column(names[c], overflow="fold", justify="right" if c in NUMERIC else "left", width=fit[c])
    for line in cells:
        out.add_row(*(Text(v) for v in line))
    con.print(out)


def csv(rows: list[dict[str, Any]], verify: bool = False) -> None:
    import csv as csvlib

    cols = CSV_COLUMNS + (VERIFY_COLUMNS if verify else [])
    w = csvlib.writer(sys.stdout, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([safe_csv(visible(csv_value(r, c))) for c in cols])


def safe_csv(value: str) -> str:
    """A learner's text that a spreadsheet would run as a formula (``=cmd()``) is kept as text."""
    if value.startswith(FORMULA) and not re.fullmatch(r"-?\d+(\.\d+)?", value):
        return "'" + value
    return value


def failures(failed: int, total: int, lang: str) -> None:
    if failed:
        err_console().print(t("lynx: {failed} of {total} remotes could not be read (see the note column)", lang,
                              failed=failed, total=total), markup=False, highlight=False)


def warnings(lines: list[str], lang: str) -> None:
    for line in lines:
        sys.stderr.write("lynx: " + t("warning", lang) + ": " + clean(line) + "\n")


def claims_failed(n: int, learners: int, lang: str) -> None:
    if n:
        sys.stderr.write("lynx: " + t("{n} claims of {learners} learners are not backed by their code (see the note column)",
                                      lang, n=n, learners=learners) + "\n")


@contextmanager
def progress(labels: list[str], lang: str) -> Iterator[list[Callable[[int, int], None]]]:
    """Progress bars on stderr while long steps run, one per label (nothing when stderr is not a terminal):
    yields one ``update(done, total)`` per label."""
    if not sys.stderr.isatty():
        yield [lambda done, total: None for _ in labels]
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console(), transient=True) as bar:
        def updater(label: str) -> Callable[[int, int], None]:
            task = None

            def update(done: int, total: int) -> None:
                nonlocal task
                if task is None:
                    task = bar.add_task(t(label, lang), total=total)
                bar.update(task, completed=done, total=total)

            return update

        yield [updater(label) for label in labels]
