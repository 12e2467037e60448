"""The four ways to study the cards, as learners know them from flashcard apps (the dialogs).

- review (``lynx cards``): the cards due today, then new ones up to the daily limit;
  the learner rates each answer 1 Again, 2 Hard, 3 Good, 4 Easy and FSRS schedules it.
- learn (``--learn``): new cards, each shown again until the learner recalls it.
- test (``--test``): a generated test; multiple choice among the deck's other answers,
  and typed answers (read a definition, type the term). Misses come back due tomorrow.
- match (``--match``): rounds of terms to pair with their definitions.

Input is read line by line (``input()``), so the sessions work in a terminal, under
pexpect, or fed by a pipe. ``q`` or end of input stops a session; every rating is saved
as soon as it is given.
"""

from __future__ import annotations

import random
import re
from typing import Any, Callable

from lynx.activities import scheduling
from lynx.activities.card_games import first_sentence, make_test, match_rounds, redact, term_matches
from lynx.activities.misses import missed
from lynx.content.deck import Card
from lynx.content.fields import text
from lynx.core import clock
from lynx.core.clock import next_day, parse as parse_time
from lynx.i18n import t, tc
from lynx.learner import cardstates
from lynx.learner.workspace import Workspace
from lynx.term.console import out, style
from lynx.term.text import say, wrap as text_wrap


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


def wrap(s: str, indent: str = "   ") -> str:
    """Card text wrapped under ``indent`` (inline code as code, no word cut)."""
    return "\n".join(text_wrap(s, indent))


def header(i: int, n: int, c: Card, lang: str, note: str = "") -> None:
    """``[i/n]`` counts the cards of the session so far out of the cards known to be in it."""
    tags = f" · {', '.join(c.tags)}" if c.tags else ""
    out(style(f"[{i}/{n}] {c.id} · {t('phase', lang)} {c.phase}{tags}{note}", dim=True))


# -- spaced review -------------------------------------------------------------------
def spaced(ws: Workspace, cards: list[Card], lang: str, new_limit: int) -> dict[str, Any]:
    states = cardstates.load(ws.learner_dir)
    at = clock.now()
    due, fresh = scheduling.queue(cards, states, missed(ws, states), at, new_limit)
    todo = [(c, "due") for c in due] + [(c, "new") for c in fresh]
    if not todo:
        out(t("Nothing to review now: no card is due and today's new cards are done.", lang))
        return {"reviewed": 0, "due": 0, "new": 0}
    done = 0
    end_of_day = next_day(at)
    try:
        while todo:
            c, kind = todo.pop(0)
            out("")
            header(done + 1, done + 1 + len(todo), c, lang, f" · {_kind(kind, lang)}")
            out(style("Q", bold=True) + " " + wrap(text(c.front, lang)).lstrip())
            ask(t("Enter shows the answer (q stops): ", lang))
            out(style("A", bold=True) + " " + wrap(text(c.back, lang)).lstrip())
            rating = ask_until(t("How well did you recall it? 1 Again · 2 Hard · 3 Good · 4 Easy (q stops): ", lang),
                               _rating, t("type 1, 2, 3 or 4", lang))
            at = clock.now()
            entry = scheduling.record(ws, c.id, rating, at)
            done += 1
            out(style(f"   {scheduling.RATINGS[rating]} → {t('next in', lang)} {scheduling.interval_text(entry, at)}",
                      dim=True))
            # Learning steps are minutes long: a card still in them today comes back in this session.
            if parse_time(entry.due) < end_of_day:
                todo.append((c, "again"))
        out("")
        say(t("Done for today: {n} reviews. `lynx cards --stats` shows what comes next.", lang, n=done))
    except Stop:
        out(t("Stopped; what you did is saved.", lang))
    return {"reviewed": done, "due": len(due), "new": len(fresh)}


def _kind(kind: str, lang: str) -> str:
    return {"due": t("due", lang), "new": t("new", lang), "again": t("again", lang)}[kind]


def _rating(s: str) -> int | None:
    return int(s) if s in ("1", "2", "3", "4") else None


# -- learn ----------------------------------------------------------------------------
def learn(ws: Workspace, cards: list[Card], lang: str, count: int) -> dict[str, Any]:
    """New cards, in rounds, until each one is recalled; every answer is an FSRS review (y Good, n Again)."""
    states = cardstates.load(ws.learner_dir)
    todo = [c for c in cards if c.id not in states.cards][:count]
    if not todo:
        out(t("No new cards left to learn with these filters.", lang))
        return {"learned": 0, "shown": 0}
    learned = shown = 0
    total = len(todo)
    try:
        while todo:
            c = todo.pop(0)
            shown += 1
            out("")
            header(learned + 1, total, c, lang)
            out(style("Q", bold=True) + " " + wrap(text(c.front, lang)).lstrip())
            ask(t("Enter shows the answer (q stops): ", lang))
            out(style("A", bold=True) + " " + wrap(text(c.back, lang)).lstrip())
            yes = ask_until(t("Did you recall it? y/n (q stops): ", lang), _yes_no, t("type y or n", lang))
            scheduling.record(ws, c.id, 3 if yes else 1, clock.now())
            if yes:
                learned += 1
            else:
                todo.append(c)  # shown again at the end of the round
    except Stop:
        out(t("Stopped; what you did is saved.", lang))
    return {"learned": learned, "shown": shown}


def _yes_no(s: str) -> bool | None:
    s = s.lower()
    return True if s in ("y", "yes", "s", "si", "sí") else False if s in ("n", "no") else None


# -- test -----------------------------------------------------------------------------
def generated_test(ws: Workspace, cards: list[Card], pool: list[Card], lang: str, count: int, seed: int | None) -> dict[str, Any]:
    rng = random.Random(seed)
    questions = make_test(cards, pool, count, rng)
    correct: list[str] = []
    wrong: list[str] = []
    try:
        for i, q in enumerate(questions, 1):
            c: Card = q.card
            out("")
            header(i, len(questions), c, lang)
            if q.kind == "choice":
                out(style("Q", bold=True) + " " + wrap(text(c.front, lang)).lstrip())
                letters = "abcd"[: len(q.options)]
                for letter, o in zip(letters, q.options):
                    out(f" {letter}) " + wrap(text(o.back, lang), "    ").lstrip())
                pick = ask_until(t("Your answer (a-{last}, q stops): ", lang, last=letters[-1]),
                                 lambda s: s.lower() if s.lower() in letters else None,
                                 t("type one letter, a to {last}", lang, last=letters[-1]))
                ok = q.options[letters.index(pick)].id == c.id
            else:
                out(style(t("Which term is this? (q stops)", lang), bold=True))
                out(wrap(redact(text(c.back, lang), c)))
                ok = term_matches(ask("> "), c)
            (correct if ok else wrong).append(c.id)
            if ok:
                out(style(t("Right.", lang), fg="green"))
            else:
                right = ""
                if q.kind == "choice":
                    right = "abcd"[[o.id for o in q.options].index(c.id)] + ") "
                out(style(t("Not quite. The answer:", lang), fg="red")
                    + f" {right}{text(c.term, lang)} — {first_sentence(text(c.back, lang))}")
    except Stop:
        out(t("Stopped; what you did is saved.", lang))
    result = {"mode": "test", "at": clock.iso(clock.now()), "total": len(correct) + len(wrong),
              "correct": len(correct), "missed": wrong}
    if result["total"]:
        scheduling.add_session(ws, result)
    out("")
    out(style(f"{len(correct)}/{result['total']}", bold=True))
    return result


# -- match ----------------------------------------------------------------------------
def match(ws: Workspace, cards: list[Card], lang: str, rounds: int, size: int, seed: int | None) -> dict[str, Any]:
    mistakes = 0
    matched = 0
    try:
        for r, (group, defs) in enumerate(match_rounds(cards, rounds, size, seed), 1):
            left = {str(i): c for i, c in enumerate(group, 1)}
            right = {chr(ord("a") + i): c for i, c in enumerate(defs)}
            out("")
            out(style(f"{t('Round', lang)} {r}", bold=True))
            while left:
                _show_match(left, right, lang)
                pair = ask_until(t("Pair a number with a letter, e.g. 1c (q stops): ", lang),
                                 lambda s: _pair(s, left, right),
                                 t("type a number and a letter from the lists, e.g. 1c", lang))
                n, letter = pair
                if left[n].id == right[letter].id:
                    matched += 1
                    out(style(f"✓ {n}{letter}", fg="green"))
                    del left[n], right[letter]
                else:
                    mistakes += 1
                    out(style(f"✗ {n}{letter}", fg="red"))
    except Stop:
        out(t("Stopped; what you did is saved.", lang))
    result = {"mode": "match", "at": clock.iso(clock.now()), "total": matched, "correct": matched,
              "mistakes": mistakes}
    if matched:
        scheduling.add_session(ws, result)
    out("")
    out(style(f"{matched} ✓  {mistakes} ✗", bold=True))
    return result


def _show_match(left: dict[str, Card], right: dict[str, Card], lang: str) -> None:
    out(style(t("Terms", lang), dim=True))
    for n, c in left.items():
        out(f" {n}. {text(c.term, lang)}")
    out(style(t("Definitions", lang), dim=True))
    for letter, c in right.items():
        d = redact(first_sentence(text(c.back, lang)), c)
        out(f" {letter}) " + wrap(d if len(d) <= 160 else d[:157] + "…", "    ").lstrip())


def _pair(s: str, left: dict[str, Card], right: dict[str, Card]) -> tuple[str, str] | None:
    m = re.fullmatch(r"\s*(\d+)\s*[- ]?\s*([a-z])\s*", s.lower())
    if not m or m.group(1) not in left or m.group(2) not in right:
        return None
    return m.group(1), m.group(2)


def print_stats(s: dict[str, Any], lang: str) -> None:
    ret = "—" if s["retention"] is None else f"{s['retention']:.0%} ({s['retention_reviews']})"
    out(style(t("Cards of {learner}", lang, learner=s["learner"]), bold=True))
    out(f"{t('due today', lang)}: {s['due_today']}   {t('this week', lang)}: {s['due_week']}   "
        f"{t('retention', lang)}: {ret}")
    out(f"{tc('card stats', 'new', lang)}: {s['new']}   {t('learning', lang)}: {s['learning']}   "
        f"{t('in review', lang)}: {s['review']}   {t('mastered', lang)}: {s['mastered']} / {s['cards']}")
    out("")
    heads = (t("phase", lang), t("cards", lang), tc("card stats", "new", lang), tc("card stats", "due", lang),
             t("mastered", lang))
    out(style(f"{heads[0]:>6} {heads[1]:>9} {heads[2]:>7} {heads[3]:>5} {heads[4]:>10}", dim=True))
    for p, row in s["phases"].items():
        out(f"{p:>6} {row['cards']:>9} {row['new']:>7} {row['due_today']:>5} {row['mastered']:>10}")
