"""`lynx status` and `lynx phases`: where the learner stands, as lines that fit a terminal, or as JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from lynx.activities.status import PhaseRow, Status
from lynx.i18n import N_, t
from lynx.term.console import out, style


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
            "next": next_text(status)}


def _bar(fraction: float, width: int = 12) -> str:
    full = round(fraction * width)
    return "█" * full + "░" * (width - full)


def show(status: Status) -> None:
    lang = status.lang
    out(style(f"lynx — {status.learner}", bold=True) + f"  ({status.workspace})")
    a = status.active
    if a:
        active = {"break": N_("Active break: {id} — {title} on {branch}"),
                  "build": N_("Active build: {id} — {title} on {branch}")}
        line = t(active.get(a.kind, N_("Active {kind}: {id} — {title} on {branch}")), lang, kind=a.kind, id=a.id,
                 title=a.title, branch=a.branch)
        if a.hints_total is not None:
            line += t("; hints {taken}/{total}", lang, taken=a.hints_taken, total=a.hints_total)
        if a.fix_applied:
            line += t("; solution applied", lang)
        out(style(line, fg="yellow"))
    else:
        out(t("No break is active.", lang))
    out("")
    for r in status.phases:
        extra = []
        if r.breaks:
            sol = t(", {n} with solution", lang, n=r.breaks_with_solution) if r.breaks_with_solution else ""
            extra.append(t("breaks {done}/{total}{sol}, hints {hints}", lang, done=r.breaks_done, total=r.breaks,
                           sol=sol, hints=r.hints_used))
        if r.quiz:
            extra.append(t("quiz {best}", lang, best=r.quiz_best or "—"))
        if r.build:
            extra.append(t("build {mark}", lang, mark="✓" if r.build_passed else "—"))
        if r.cards_total:
            extra.append(t("cards {mastered}/{total} mastered, {due} due", lang, mastered=r.cards_mastered,
                           total=r.cards_total, due=r.cards_due))
        if r.error:
            extra = [r.error]
        out(f"{r.id:>3} {_bar(r.progress)} {r.title[:34]:<34} {'; '.join(extra)}")
    if status.phases_total > len(status.phases):
        out(t("    … and {n} more phases: `lynx phases` lists them all", lang, n=status.phases_total - len(status.phases)))
    out("")
    out(style(t("Next: ", lang), bold=True) + next_text(status))


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
