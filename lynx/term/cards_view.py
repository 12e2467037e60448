"""The ways to study the cards, as learners know them from flashcard apps (the dialogs).

- review (``lynx cards``): the cards due today, then new ones up to the daily limit; the learner
  rates each answer on buttons that show what each gives (``1 Again · 1m  2 Hard · 6m  3 Good · 10m
  4 Easy · 8d``) and FSRS schedules it.
- learn (``--learn``): new cards, each shown again until the learner recalls it.
- test and match (``--test``, ``--match``): ``lynx.term.card_games_view``.

Both end with a summary: how many were rated Again, Hard, Good and Easy, the time spent, and when the
next card is due. Input is read line by line (``input()``), so the sessions work in a terminal, under
pexpect, or fed by a pipe. ``q`` or end of input stops a session; every rating is saved as soon as it is
given, with how long the learner took over it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable

from lynx.activities import scheduling
from lynx.activities.misses import missed
from lynx.activities.scheduling import SessionSummary
from lynx.content.deck import Card
from lynx.content.fields import text
from lynx.core import clock
from lynx.core.clock import next_day, parse as parse_time
from lynx.i18n import decimal_point, nt, t
from lynx.learner import cardstates
from lynx.learner.workspace import Workspace
from lynx.term.console import out, style
from lynx.term.text import say
from lynx.term.text import width as text_width
from lynx.term.text import wrap as text_wrap


class Stop(Exception):
    """The learner typed q, or the input ended."""


def ask(prompt: str) -> str:
    try:
        answer = input(prompt)
    except EOFError:
        out("")
        raise Stop from None
    if answer.strip().lower() in ("q", "quit", "exit"):
        raise Stop
    return answer.strip()


def ask_until(prompt: str, parse: Callable[[str], Any], bad: str) -> Any:
    while True:
        got = parse(ask(prompt))
        if got is not None:
            return got
        out(style(bad, fg="yellow"))


def width() -> int:
    """The terminal's width (what the stats and the wrapped card text fit)."""
    return text_width()


def wrap(s: str, indent: str = "   ") -> str:
    """Card text wrapped under ``indent`` (inline code as code, no word cut); the first line's indent is for
    the caller to strip when it prints a label in front, e.g. "Q "."""
    return "\n".join(text_wrap(s, indent))


def header(i: int, n: int, c: Card, lang: str, note: str = "") -> None:
    """``[i/n]`` counts the cards of the session so far out of the cards known to be in it."""
    tags = f" · {', '.join(c.tags)}" if c.tags else ""
    out(style(f"[{i}/{n}] {c.id} · {t('phase', lang)} {c.phase}{tags}{note}", dim=True))


def rating_name(rating: int, lang: str) -> str:
    return {1: t("Again", lang), 2: t("Hard", lang), 3: t("Good", lang), 4: t("Easy", lang)}[rating]


def span(td: timedelta, lang: str) -> str:
    """An interval as the rating buttons show it: 45s, 10m, 3h, 4d, 1.5mo, 2y (in the learner's language)."""
    secs = td.total_seconds()
    if secs < 60:
        return t("{n}s", lang, n=max(1, round(secs)))
    if secs < 3600:
        return t("{n}m", lang, n=round(secs / 60))
    if secs < 86400:
        return t("{n}h", lang, n=round(secs / 3600))
    days = secs / 86400
    if days < 30:
        return t("{n}d", lang, n=round(days))
    value = days / 30 if days < 365 else days / 365
    x = f"{value:.1f}".rstrip("0").rstrip(".")
    k = 1 if x == "1" else 2
    x = x.replace(".", decimal_point(lang))
    return nt("{x}mo", "{x}mo", k, lang, x=x) if days < 365 else nt("{x}y", "{x}y", k, lang, x=x)


def duration(seconds: float, lang: str) -> str:
    """Time spent: 45s, 2m 05s, 1h 10m."""
    s = round(seconds)
    if s < 60:
        return t("{n}s", lang, n=s)
    if s < 3600:
        return t("{m}m {s}s", lang, m=s // 60, s=f"{s % 60:02d}")
    return t("{h}h {m}m", lang, h=s // 3600, m=f"{s % 3600 // 60:02d}")


def buttons(intervals: dict[int, timedelta], lang: str) -> str:
    """``1 Again · 10m  2 Hard · 1d  3 Good · 3d  4 Easy · 8d``."""
    return "  ".join(f"{r} {rating_name(r, lang)} · {span(intervals[r], lang)}" for r in sorted(intervals))


def show_summary(s: SessionSummary, lang: str, at: datetime) -> None:
    """The end of a review or learn session: the ratings, the time, when the next card is due."""
    if not s.reviewed:
        return
    counts = " · ".join(f"{rating_name(r, lang)} {n}" for r, n in sorted(s.counts.items()))
    out(style(t("Reviewed {n} · {counts} · {time}", lang, n=s.reviewed, counts=counts, time=duration(s.seconds, lang)),
              bold=True))
    if s.next_due is None:
        return
    if s.next_due <= at:
        out(t("Next card: due now ({n} due by the end of today).", lang, n=s.due_now))
    else:
        line = t("Next card due in {interval} ({when}).", lang, interval=span(s.next_due - at, lang),
                 when=clock.minute(s.next_due))
        if s.due_now:
            line += " " + t("{n} due by the end of today.", lang, n=s.due_now)
        out(line)


# -- spaced review -------------------------------------------------------------------
def spaced(ws: Workspace, cards: list[Card], lang: str, new_limit: int) -> SessionSummary | None:
    states = cardstates.load(ws.learner_dir)
    at = clock.now()
    due, fresh = scheduling.queue(cards, states, missed(ws, states), at, new_limit)
    todo = [(c, "due") for c in due] + [(c, "new") for c in fresh]
    if not todo:
        out(t("Nothing to review now: no card is due and today's new cards are done.", lang))
        return None
    sched = scheduling.scheduler_for(ws, states)
    ratings: list[int] = []
    started = clock.stopwatch()
    end_of_day = next_day(at)
    try:
        while todo:
            c, kind = todo.pop(0)
            out("")
            header(len(ratings) + 1, len(ratings) + 1 + len(todo), c, lang, f" · {_kind(kind, lang)}")
            shown = clock.stopwatch()
            out(style("Q", bold=True) + " " + wrap(text(c.front, lang)).lstrip())
            ask(t("Enter shows the answer (q stops): ", lang))
            out(style("A", bold=True) + " " + wrap(text(c.back, lang)).lstrip())
            out(style(buttons(scheduling.preview(states.cards.get(c.id), clock.now(), sched), lang), dim=True))
            rating = ask_until(t("How well did you recall it? 1-4 (q stops): ", lang), _rating,
                               t("type 1, 2, 3 or 4", lang))
            at = clock.now()
            entry = scheduling.record(ws, c.id, rating, at, clock.elapsed_ms(shown))
            states.cards[c.id] = entry
            ratings.append(rating)
            out(style(f"   {rating_name(rating, lang).lower()} → {t('next in', lang)} {span(parse_time(entry.due) - at, lang)}",
                      dim=True))
            # Learning steps are minutes long: a card still in them today comes back in this session.
            if parse_time(entry.due) < end_of_day:
                todo.append((c, "again"))
        out("")
        say(t("Done for today: {n} reviews. `lynx cards --stats` shows what comes next.", lang, n=len(ratings)))
    except Stop:
        out(t("Stopped; what you did is saved.", lang))
    summary = scheduling.summarize(ws, cards, ratings, clock.elapsed_ms(started))
    show_summary(summary, lang, clock.now())
    return summary


def _kind(kind: str, lang: str) -> str:
    return {"due": t("due", lang), "new": t("new", lang), "again": t("again", lang)}[kind]


def _rating(s: str) -> int | None:
    return int(s) if s in ("1", "2", "3", "4") else None


# -- learn ----------------------------------------------------------------------------
def learn(ws: Workspace, cards: list[Card], lang: str, count: int) -> SessionSummary | None:
    """New cards, in rounds, until each one is recalled; every answer is an FSRS review (y Good, n Again)."""
    states = cardstates.load(ws.learner_dir)
    todo = [c for c in cards if c.id not in states.cards][:count]
    if not todo:
        out(t("No new cards left to learn with these filters.", lang))
        return None
    learned = 0
    total = len(todo)
    ratings: list[int] = []
    started = clock.stopwatch()
    try:
        while todo:
            c = todo.pop(0)
            out("")
            header(learned + 1, total, c, lang)
            shown = clock.stopwatch()
            out(style("Q", bold=True) + " " + wrap(text(c.front, lang)).lstrip())
            ask(t("Enter shows the answer (q stops): ", lang))
            out(style("A", bold=True) + " " + wrap(text(c.back, lang)).lstrip())
            yes = ask_until(t("Did you recall it? y/n (q stops): ", lang), _yes_no, t("type y or n", lang))
            ratings.append(3 if yes else 1)
            scheduling.record(ws, c.id, ratings[-1], clock.now(), clock.elapsed_ms(shown))
            if yes:
                learned += 1
            else:
                todo.append(c)  # shown again at the end of the round
        out("")
        out(nt("Learned {n} new card.", "Learned {n} new cards.", learned, lang))
    except Stop:
        out(t("Stopped; what you did is saved.", lang))
    summary = scheduling.summarize(ws, cards, ratings, clock.elapsed_ms(started))
    show_summary(summary, lang, clock.now())
    return summary


def _yes_no(s: str) -> bool | None:
    s = s.lower()
    return True if s in ("y", "yes", "s", "si", "sí") else False if s in ("n", "no") else None
