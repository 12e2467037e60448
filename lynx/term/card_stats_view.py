"""`lynx cards --stats` in the terminal (counts, a 14-day forecast, retention against the target, the streak,
a calendar heatmap of reviews, mastered per phase) and as a PNG (``--plot``); and the one-paragraph results
of ``--export``, ``--import`` and ``--optimize``. Everything fits the terminal, 80 columns included."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from lynx.activities.card_export import ExportResult
from lynx.activities.card_optimize import OptimizeResult
from lynx.activities.card_stats import CardStats
from lynx.authoring.deck_import import ImportResult
from lynx.core.errors import LynxError
from lynx.i18n import N_, nt, t, tc
from lynx.term.cards_view import duration, width, wrap
from lynx.term.console import out, style
from lynx.term.text import say

MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"), N_("Aug"), N_("Sep"),
          N_("Oct"), N_("Nov"), N_("Dec"))
DAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
SHADES = "·░▒▓█"   # no reviews, then four levels up to the busiest day


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _days(n: int, lang: str) -> str:
    return nt("{n} day", "{n} days", n, lang)


def print_stats(s: CardStats, lang: str) -> None:
    w = width()
    out(style(t("Cards of {learner}", lang, learner=s.learner), bold=True))
    by = s.due_week_by
    out(wrap(f"{t('due today', lang)}: {s.due_today}   {t('this week', lang)}: {s.due_week} ("
             + t("{learning} learning, {review} in review, {missed} missed in a quiz, break or test", lang,
                 learning=by["learning"], review=by["review"], missed=by["missed"]) + ")", "  ").lstrip())
    if s.practice_due:
        say(nt("practice: {n} finished break is due (`lynx practice`)",
               "practice: {n} finished breaks are due (`lynx practice`)", s.practice_due, lang), "  ", first="")
    elif s.practice_next:
        say(t("practice: the next finished break comes back on {when} (`lynx practice`)", lang, when=s.practice_next),
            "  ", first="")
    out(f"{tc('card stats', 'new', lang)}: {s.new}   {t('learning', lang)}: {s.learning}   "
        f"{t('in review', lang)}: {s.review}   {t('mastered', lang)}: {s.mastered} / {s.cards}")
    if s.retention_reviews:
        line = t("retention: {all} of {n} recalls, {recent} of {m} in the last 30 days; target {target}", lang,
                 all=_pct(s.retention), n=s.retention_reviews, recent=_pct(s.retention_30d),
                 m=s.retention_30d_reviews, target=_pct(s.retention_target))
    else:
        line = t("retention: no recall of a graduated card yet; target {target}", lang, target=_pct(s.retention_target))
    out(wrap(line, "  ").lstrip())
    out(wrap(t("streak: {current} (longest {longest}) · {days} studied · {reviews} in {time}", lang,
               current=_days(s.streak["current"], lang), longest=_days(s.streak["longest"], lang),
               days=_days(s.streak["days"], lang), reviews=nt("{n} review", "{n} reviews", s.reviews, lang),
               time=duration(s.seconds, lang)), "  ").lstrip())
    out(wrap(t("FSRS parameters fitted to your reviews", lang) if s.fitted
             else t("default FSRS parameters (`lynx cards --optimize` fits yours)", lang), "  ").lstrip())
    out("")
    forecast(s, lang, w)
    out("")
    heatmap(s, lang, w)
    out("")
    heads = (t("phase", lang), t("cards", lang), tc("card stats", "new", lang), tc("card stats", "due", lang),
             t("mastered", lang))
    out(style(f"{heads[0]:>6} {heads[1]:>9} {heads[2]:>7} {heads[3]:>5} {heads[4]:>10}", dim=True))
    for p, row in s.phases.items():
        out(f"{p:>6} {row['cards']:>9} {row['new']:>7} {row['due_today']:>5} {row['mastered']:>10}")


def forecast(s: CardStats, lang: str, w: int) -> None:
    """One line a day for the next 14 days: the weekday, the date, a bar, the count (today holds the overdue)."""
    out(style(t("Due in the next 14 days", lang), bold=True))
    most = max((d["due"] for d in s.forecast), default=0)
    room = min(max(10, min(50, w - 24)), 3 * most)  # a short bar for a few cards
    for i, d in enumerate(s.forecast):
        day = date.fromisoformat(d["date"])
        name = t("today", lang) if i == 0 else t(DAYS[day.weekday()], lang)
        bar = "█" * (round(d["due"] / most * room) if most else 0)
        if d["due"] and not bar:
            bar = "▏"
        out(f" {name:<6} {day.strftime('%m-%d')}  {style(bar, fg='cyan')} {d['due']}".rstrip())


def heatmap(s: CardStats, lang: str, w: int) -> None:
    """Reviews a day as a contributions calendar: a column a week (Monday on top), the newest on the right."""
    first = date.fromisoformat(s.heatmap["from"])
    today = date.fromisoformat(s.heatmap["to"])
    days = {date.fromisoformat(k): v for k, v in s.heatmap["days"].items()}
    weeks = (today - first).days // 7 + 1
    weeks = min(weeks, max(4, (w - 6) // 2))
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    most = max(days.values(), default=0)
    out(style(t("Reviews a day, the last {weeks} weeks", lang, weeks=weeks), bold=True))
    # the month names, over the week in which each month starts
    labels = [" "] * (weeks * 2)
    for k in range(weeks):
        monday = first + timedelta(weeks=k)
        starts = [monday + timedelta(days=j) for j in range(7) if (monday + timedelta(days=j)).day == 1]
        if starts or k == 0:
            name = t(MONTHS[(starts[0] if starts else monday).month - 1], lang)[:3]
            if all(c == " " for c in labels[max(0, 2 * k - 1):2 * k + 3]):
                labels[2 * k:2 * k + 3] = list(name.ljust(3))
    out("      " + "".join(labels).rstrip())
    for row in range(7):
        cells = []
        for k in range(weeks):
            d = first + timedelta(weeks=k, days=row)
            if d > today:
                cells.append(" ")
                continue
            n = days.get(d, 0)
            level = 0 if not n else 1 + min(3, (4 * n - 1) // most)
            cells.append(style(SHADES[level], fg="green") if level else SHADES[0])
        name = t(DAYS[row], lang)[:3] if row in (0, 2, 4) else ""
        out(f" {name:<4} " + " ".join(cells))
    out("      " + t("less", lang) + " " + " ".join(SHADES) + " " + t("more", lang)
        + (f"   ({t('busiest day', lang)}: {most})" if most else ""))


def plot(s: CardStats, path: Path, lang: str) -> Path:
    """A PNG of the forecast and the heatmap; refused in one line when the folder is missing or matplotlib is."""
    full = path.expanduser().absolute()
    if not full.parent.is_dir():
        raise LynxError(f"--plot {path}: the folder {full.parent} does not exist", "create it first")
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise LynxError("--plot needs matplotlib, which is not installed",
                        "install the extra: pip install 'lynx-course[plot]'") from None
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(10, 6), gridspec_kw={"height_ratios": [1.2, 1]})
    labels = [d["date"][5:] for d in s.forecast]
    ax1.bar(labels, [d["due"] for d in s.forecast], color="#3a7bd5")
    ax1.set_title(t("Due in the next 14 days", lang))
    ax1.tick_params(axis="x", labelrotation=45)
    first = date.fromisoformat(s.heatmap["from"])
    today = date.fromisoformat(s.heatmap["to"])
    weeks = (today - first).days // 7 + 1
    grid = [[float("nan")] * weeks for _ in range(7)]
    for k in range(weeks):
        for row in range(7):
            d = first + timedelta(weeks=k, days=row)
            if d <= today:
                grid[row][k] = s.heatmap["days"].get(d.isoformat(), 0)
    ax2.imshow(grid, cmap="Greens", aspect="auto", interpolation="nearest")
    ax2.set_yticks(range(7), [t(d, lang) for d in DAYS])
    ax2.set_xticks([])
    ax2.set_title(t("Reviews a day, the last {weeks} weeks", lang, weeks=weeks) + " · "
                  + t("retention {actual} (target {target})", lang, actual=_pct(s.retention),
                      target=_pct(s.retention_target)))
    fig.tight_layout()
    fig.savefig(full, dpi=100)
    plt.close(fig)
    return full


def show_export(r: ExportResult, lang: str) -> None:
    out(wrap(t("Wrote {n} cards ({langs}) to {path}: {scheduled} with your scheduling.", lang, n=r.cards,
               langs=", ".join(r.languages), path=r.path, scheduled=r.scheduled), "  ").lstrip())
    if r.format == "apkg":
        out(t("Its review log holds your {n} reviews of these cards, with their durations.", lang, n=r.reviews))
        out(wrap(t("Open it in Anki with File › Import; importing a newer export updates the same notes.", lang), "  ")
            .lstrip())


def show_import(r: ImportResult, lang: str) -> None:
    out(wrap(t("Wrote {path}: {n} cards.", lang, path=r.path, n=r.cards), "  ").lstrip())
    if r.missing:
        out(wrap(t("{n} texts are still empty (the first: {first}); `lynx validate` lists each of them.", lang,
                   n=len(r.missing), first=r.missing[0]), "  ").lstrip())
    else:
        say(t("Every text is there; `lynx validate` proves the deck.", lang))


def show_optimize(r: OptimizeResult, lang: str) -> None:
    if not r.fitted:
        out(wrap(t("Not enough reviews to fit your FSRS parameters yet: {usable} of the {needed} it needs "
                   "(reviews a day or more after the card's previous one); {missing} more to go. "
                   "Until then lynx uses FSRS's default parameters.", lang,
                   usable=r.usable, needed=r.needed, missing=r.missing), "  ").lstrip())
        return
    out(wrap(t("Fitted your FSRS parameters to {usable} of your reviews; your next reviews are scheduled with them.",
               lang, usable=r.usable), "  ").lstrip())
    out(style(" ".join(f"{x:.4f}" for x in r.parameters or []), dim=True))
