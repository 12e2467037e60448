"""`lynx class --items`: the item analysis as three tables (questions, breaks, cards) or one CSV."""

from __future__ import annotations

import sys
from typing import Any

from lynx.i18n import t
from lynx.teacher.items import BREAK_COLUMNS, CARD_COLUMNS, QUESTION_COLUMNS
from lynx.term.class_view import clean, safe_csv
from lynx.term.console import console


def _pct(v: Any, lang: str) -> str:
    return "—" if v is None else f"{v:.0%}"


def _num(v: Any, lang: str) -> str:
    if v is None:
        return "—"
    from lynx.i18n import decimal_point

    return str(v).replace(".", decimal_point(lang)) if isinstance(v, float) else str(v)


def tables(items: dict[str, list[dict[str, Any]]], lang: str) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con = console()

    def new(title: str, heads: list[tuple[str, bool]]) -> Table:
        tb = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, header_style="bold",
                   pad_edge=False, collapse_padding=True)
        for h, right in heads:
            tb.add_column(h, overflow="fold", justify="right" if right else "left")
        return tb

    q = new(t("Quiz questions, the most missed first (each learner's first answer)", lang),
            [(t("Question", lang), False), (t("Topic", lang), False), (t("Answered", lang), True),
             (t("Right", lang), True), (t("Most common wrong answer", lang), False)])
    for r in items["questions"]:
        wrong = "—" if not r["wrong_answer"] else f"{r['wrong_answer']} ×{r['wrong_count']}" + (
            f": {r['wrong_text']}" if r["wrong_text"] else "")
        q.add_row(r["id"], Text(clean(r["topic"] or "")), str(r["answered"]),
                  f"{r['correct']} ({_pct(r['share_correct'], lang)})", Text(clean(wrong)))
    b = new(t("Breaks, the most surprising first (each learner's first prediction)", lang),
            [(t("Break", lang), False), (t("Done", lang), True), (t("With solution", lang), True),
             (t("Mean hints", lang), True), (t("Predicted right", lang), True), (t("Brier", lang), True),
             (t("Wrong predictions most often made", lang), False)])
    for r in items["breaks"]:
        wrong = "; ".join(f"{w['prediction']} ×{w['count']}" for w in r["wrong_predictions"]) or "—"
        right = "—" if r["share_predicted_right"] is None else f"{r['predicted_right']}/{r['rated']} ({_pct(r['share_predicted_right'], lang)})"
        b.add_row(r["id"], f"{r['done']}/{r['tried']}", str(r["with_solution"]), _num(r["mean_hints"], lang), right,
                  _num(r["brier"], lang), Text(clean(wrong)))
    c = new(t("Flashcards, the most forgotten first", lang),
            [(t("Card", lang), False), (t("Term", lang), False), (t("Learners", lang), True), (t("Lapses", lang), True),
             (t("Learners with a lapse", lang), True)])
    for r in items["cards"][:30]:
        c.add_row(r["id"], Text(clean(r["term"] or "")), str(r["learners"]), str(r["lapses"]), str(r["with_lapses"]))
    for tb, rows in ((q, items["questions"]), (b, items["breaks"]), (c, items["cards"])):
        if rows:
            con.print(tb)
    if not any(items.values()):
        con.print(t("Nothing to analyse yet: no learner has answered a quiz, tried a break or studied a card.", lang),
                  markup=False)


def csv(items: dict[str, list[dict[str, Any]]]) -> None:
    """One CSV: a ``kind`` column (question, break, card), then every column of the three tables."""
    import csv as csvlib

    cols = ["kind"] + list(dict.fromkeys(QUESTION_COLUMNS + BREAK_COLUMNS + CARD_COLUMNS))
    w = csvlib.writer(sys.stdout, lineterminator="\n")
    w.writerow(cols)
    for kind, rows in (("question", items["questions"]), ("break", items["breaks"]), ("card", items["cards"])):
        for r in rows:
            row = {**r, "kind": kind}
            if kind == "break":
                row["wrong_predictions"] = "; ".join(f"{x['prediction']} (x{x['count']})" for x in r["wrong_predictions"])
            w.writerow([safe_csv("" if row.get(c) is None else str(row[c])) for c in cols])
