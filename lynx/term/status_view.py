"""`lynx status` and `lynx phases`: where the learner stands, as lines that fit a terminal, or as JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from lynx.activities.status import PhaseDetail, PhaseRow, Status
from lynx.i18n import N_, nt, t, tc
from lynx.term.console import out, style
from lynx.term.text import headed, say


def next_text(status: Status) -> str:
    return t(status.next.msgid, status.lang, **status.next.fields)


def row_json(r: PhaseRow) -> dict[str, Any]:
    data = asdict(r)
    if data["error"] is None:
        del data["error"]
    return data


def as_json(status: Status) -> dict[str, Any]:
    active = None
    if status.active:
        active = {k: v for k, v in asdict(status.active).items()
                  if v is not None or k not in ("hints_taken", "hints_total", "fix_applied")}
    return {"learner": status.learner, "workspace": status.workspace, "lang": status.lang, "active": active,
            "phases": [row_json(r) for r in status.phases], "phases_total": status.phases_total,
            "practice_due": status.practice_due, "next": next_text(status)}


def _bar(fraction: float, width: int = 12) -> str:
    full = round(fraction * width)
    return "█" * full + "░" * (width - full)


def show(status: Status) -> None:
    """Where the learner stands, fitting the terminal (80 columns and up) in every language."""
    from lynx.term.text import table, wrap

    lang = status.lang
    out(style(f"lynx — {status.learner}", bold=True) + f"  ({status.workspace})")
    a = status.active
    if a:
        active = {"break": N_("Active break: {id} — {title} on {branch}"),
                  "build": N_("Active build: {id} — {title} on {branch}"),
                  "practice": N_("Active practice on {branch}: something is wrong in src/minimodel")}
        line = t(active.get(a.kind, N_("Active {kind}: {id} — {title} on {branch}")), lang, kind=a.kind, id=a.id,
                 title=a.title, branch=a.branch)
        if a.hints_total is not None:
            line += t("; hints {taken}/{total}", lang, taken=a.hints_taken, total=a.hints_total)
        if a.fix_applied:
            line += t("; solution applied", lang)
        for ln in wrap(line, "  "):
            out(style(ln, fg="yellow"))
    else:
        out(t("No break is active.", lang))
    out("")
    heads = [tc("status column", "phase", lang), tc("status column", "progress", lang),
             tc("status column", "title", lang), tc("status column", "breaks", lang),
             tc("status column", "hints", lang), tc("status column", "quiz", lang),
             tc("status column", "build", lang), tc("status column", "cards", lang)]
    rows = []
    for r in status.phases:
        if r.error:
            rows.append([r.id, _bar(0, 8), r.error, "", "", "", "", ""])
            continue
        breaks = f"{r.breaks_done}/{r.breaks}" + (f" ({r.breaks_with_solution}s)" if r.breaks_with_solution else "")
        cards = f"{r.cards_mastered}/{r.cards_total}" + (f" +{r.cards_due}" if r.cards_due else "") if r.cards_total else "—"
        rows.append([r.id, _bar(r.progress, 8), r.title, breaks if r.breaks else "—", str(r.hints_used),
                     (r.quiz_best or "—") if r.quiz else "", ("✓" if r.build_passed else "—") if r.build else "", cards])
    for ln in table(heads, rows, flex=2):
        out(ln)
    legend = t("breaks: done/all (s: with the solution shown) · cards: mastered/all (+due today)", lang)
    for ln in wrap(legend):
        out(style(ln, dim=True))
    if status.practice_due:
        for ln in wrap(nt("{n} finished break is due for practice: `lynx practice`.",
                          "{n} finished breaks are due for practice: `lynx practice`.", status.practice_due, lang)):
            out(ln)
    if status.phases_total > len(status.phases):
        say(t("    … and {n} more phases: `lynx phases` lists them all", lang, n=status.phases_total - len(status.phases)),
            "    ")
    out("")
    for ln in wrap(next_text(status), " " * len(plain_next(lang)), first=plain_next(lang)):
        out(ln.replace(plain_next(lang), style(plain_next(lang), bold=True), 1))


def plain_next(lang: str) -> str:
    return t("Next: ", lang)


def phases_table(rows: list[PhaseRow], lang: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    from lynx.term.console import console

    table = Table(title=t("lynx — phases", lang), title_justify="left")
    for col in ("phase", "title", "breaks", "pages", "quiz", "status"):
        table.add_column(t(col, lang))
    for r in rows:
        table.add_row(escape(r.id), escape(r.title), f"{r.breaks_done}/{r.breaks}", str(r.pages),
                      str(r.questions) + " q" if r.questions else "—", r.status)
    console().print(table)
    console().print(t("Start a break with {command}.", lang, command="[bold]lynx break 13[/bold]"))


KIND = {"break": N_("break"), "build": N_("build"), "quiz": N_("quiz"), "lab": N_("lab"), "page": N_("page")}
STATE = {"new": N_("to do"), "active": N_("active"), "left": N_("left (aborted)"), "done": N_("done"),
         "solution": N_("done, solution shown"), "passed": N_("passed")}


def detail_json(d: PhaseDetail, lang: str) -> dict[str, Any]:
    return {"phase": d.id, "title": d.title, "items": [asdict(i) for i in d.items],
            "next": t(d.next.msgid, lang, **d.next.fields)}


def phase_detail(d: PhaseDetail, lang: str) -> None:
    """The phase's items, one per line: kind, id, state, title (wrapped under itself)."""
    from lynx.term.text import rule, wrap

    out(style(rule(f"{t('Phase', lang)} {d.id} — {d.title}"), bold=True))
    kinds = {i.kind: t(KIND[i.kind], lang) for i in d.items}
    states = [t(STATE[i.state], lang) if i.state in STATE else i.state for i in d.items]
    kw = max(len(k) for k in kinds.values())
    iw = max(len(i.id) for i in d.items)
    sw = max((len(s) for s in states), default=0)
    for item, state in zip(d.items, states):
        head = f"{kinds[item.kind]:<{kw}}  {item.id:<{iw}}  {state:<{sw}}  "
        out("\n".join(wrap(item.title, " " * len(head), first=head)) if item.title else head.rstrip())
    out("")
    for line in headed(t("Next: ", lang), t(d.next.msgid, lang, **d.next.fields)):
        out(line)
