"""`lynx class NAME`: one learner in detail, in the terminal. Their text (predictions) is printed as is,
never as markup, with terminal control characters replaced."""

from __future__ import annotations

from typing import Any

from lynx.i18n import t
from lynx.term.class_view import clean, note_text
from lynx.term.console import console


def show(d: dict[str, Any], lang: str) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con = console()
    head = Text(clean(d["name"]), style="bold")
    facts = [x for x in (d.get("id"), d.get("email"), d.get("remote")) if x]
    if facts:
        head.append("  " + clean(" · ".join(facts)), style="dim")
    con.print(head)
    line = t("Phase {phase}; last activity {when}; commit {commit}", lang, phase=d.get("phase") or "—",
             when=(d.get("last_activity") or "—").replace("T", " ")[:16], commit=(d.get("commit") or "—")[:12])
    con.print(line, markup=False)
    if d.get("note"):
        con.print(Text(clean(note_text(d["note"], lang)), style="yellow"))
    if d.get("warning"):
        con.print(Text(clean(d["warning"]), style="yellow"))

    bt = Table(title=t("Breaks", lang), title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
               header_style="bold", pad_edge=False)
    for h in (t("Break", lang), t("Outcome", lang), t("Hints", lang), t("Prediction", lang), t("Right?", lang),
              t("Verified", lang)):
        bt.add_column(h, overflow="fold")
    for b in d["breaks"]:
        for i, a in enumerate(b["attempts"]):
            conf = f" ({a['confidence']:g}%)" if isinstance(a.get("confidence"), (int, float)) else ""
            bt.add_row(b["id"] if i == 0 else "", a.get("outcome") or t("open", lang), str(a.get("hints") or 0),
                       Text(clean((a.get("prediction") or "—") + conf)), a.get("calibration") or "—",
                       (b.get("verified") or "") if i == len(b["attempts"]) - 1 else "")
    if d["breaks"]:
        con.print(bt)
    if d["builds"]:
        con.print(t("Builds", lang) + ": " + ", ".join(
            f"{b['phase']} {t('passed', lang) if b['passed'] else t('not passed', lang)}"
            + (f" ({b['verified']})" if b.get("verified") else "") for b in d["builds"]), markup=False)
    qt = Table(title=t("Quiz attempts", lang), title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
               header_style="bold", pad_edge=False)
    for h in (t("Quiz", lang), t("Started", lang), t("Score", lang), t("Kind", lang)):
        qt.add_column(h)
    for q in d["quizzes"]:
        kind = t("review", lang) if q.get("review") else t("full", lang) if q.get("finished") else t("unfinished", lang)
        qt.add_row(Text(clean(q.get("quiz") or "")), (q.get("started") or "—").replace("T", " ")[:16],
                   f"{q.get('score')}/{q.get('total')}", kind)
    if d["quizzes"]:
        con.print(qt)
    c = d["cards"]
    con.print(t("Cards: {known} studied, {due} due today, {reviews} reviews, {lapses} lapses", lang,
                known=c["known"], due=c["due"] if c["due"] is not None else "—", reviews=c["reviews"], lapses=c["lapses"]),
              markup=False)
    if c["most_lapsed"]:
        con.print("  " + t("most forgotten", lang) + ": " + ", ".join(f"{x['id']} ×{x['lapses']}" for x in c["most_lapsed"]),
                  markup=False)
    if d["weeks"]:
        top = max(d["weeks"].values())
        con.print(t("Activity per week", lang), style="bold")
        for week, n in d["weeks"].items():
            con.print(f"  {week}  {'█' * max(1, round(20 * n / top))} {n}", markup=False)
