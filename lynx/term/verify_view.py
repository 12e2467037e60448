"""`lynx verify`: one line per claim (break or build called done) and whether its code backs it."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from lynx.i18n import t
from lynx.term.class_view import VERIFYING, clean, progress as bars
from lynx.term.console import console, print_json

STATUS = {"passed": "green", "failed": "red", "no code": "red", "timed out": "red", "error": "red", "unknown": "yellow"}


@contextmanager
def progress(lang: str) -> Iterator[Callable[[int, int], None]]:
    with bars([VERIFYING], lang) as (update,):
        yield update


def status_text(status: str, lang: str) -> str:
    return {"passed": t("check passes", lang), "failed": t("check fails", lang), "no code": t("no code for it", lang),
            "timed out": t("timed out", lang), "error": t("could not run", lang),
            "unknown": t("not in this course", lang)}.get(status, status)


def show(result, lang: str, json_out: bool) -> None:  # result: lynx.activities.verify.Verified
    if json_out:
        print_json(result.to_json())
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con = console()
    if not result.results:
        con.print(t("Nothing to verify: your progress calls no break or build done yet.", lang), markup=False)
        return
    tb = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for h in (t("Claim", lang), t("Recorded", lang), t("Verified", lang), t("Commit", lang), t("Detail", lang)):
        tb.add_column(h, overflow="fold")
    for r in result.results:
        what = r.id if r.kind == "break" else f"build {r.id}"
        detail = r.detail if len(r.detail) <= 160 else r.detail[:159] + "…"
        detail += f" ({t('same as the solution', lang)})" if r.same_as_solution else ""
        tb.add_row(what, r.outcome, Text(status_text(r.status, lang), style=STATUS.get(r.status, "")),
                   (r.commit or "—")[:10], Text(clean(detail)))
    con.print(tb)
    bad = len(result.failing)
    line = (t("All {n} claims hold.", lang, n=len(result.results)) if not bad else
            t("{bad} of {n} claims do not hold.", lang, bad=bad, n=len(result.results)))
    con.print(line + " " + t("(sandbox: {kind})", lang, kind=result.isolation), markup=False)
