"""The generated games of `lynx cards` (the dialogs; what they ask is ``lynx.activities.card_games``).

- test (``--test``): multiple choice among the deck's other answers, and typed answers (read a
  definition with its term blanked out, type the term). It ends with the score and the cards missed,
  which come back due tomorrow.
- match (``--match``): rounds of terms to pair with their definitions, each round with its score.
"""

from __future__ import annotations

import random
import re
from typing import Any

from lynx.activities import scheduling
from lynx.activities.card_games import blanked, first_sentence, make_test, match_rounds, redact, shorten, term_matches
from lynx.content.deck import Card
from lynx.content.fields import text
from lynx.core import clock
from lynx.i18n import t
from lynx.learner.workspace import Workspace
from lynx.term.cards_view import Stop, ask, ask_until, duration, header, wrap
from lynx.term.console import out, style


# -- test -----------------------------------------------------------------------------
def generated_test(ws: Workspace, cards: list[Card], pool: list[Card], lang: str, count: int,
                   seed: int | None) -> dict[str, Any]:
    rng = random.Random(seed)
    questions = make_test(cards, pool, count, rng)
    correct: list[str] = []
    wrong: list[str] = []
    started = clock.stopwatch()
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
                shown, hidden = blanked(text(c.back, lang), c)
                out(wrap(shown))
                ok = term_matches(ask("> "), c, hidden, pool)
            (correct if ok else wrong).append(c.id)
            if ok:
                out(style(t("Right.", lang), fg="green"))
            else:
                right = ""
                if q.kind == "choice":
                    right = "abcd"[[o.id for o in q.options].index(c.id)] + ") "
                label = t("Not quite. The answer:", lang)
                line = wrap(f"{label} {right}{text(c.term, lang)} — {first_sentence(text(c.back, lang))}").lstrip()
                out(line.replace(label, style(label, fg="red"), 1))
    except Stop:
        out(t("Stopped; what you did is saved.", lang))
    total = len(correct) + len(wrong)
    result = {"mode": "test", "at": clock.iso(clock.now()), "total": total, "correct": len(correct), "missed": wrong,
              "seconds": round(clock.elapsed_ms(started) / 1000, 1)}
    if total:
        scheduling.add_session(ws, result)
    out("")
    percent = round(100 * len(correct) / total) if total else 0
    out(style(t("Score {correct}/{total} ({percent}%) · {time}", lang, correct=len(correct), total=total,
                percent=percent, time=duration(result["seconds"], lang)), bold=True))
    if wrong:
        by_id = {c.id: c for c in pool}
        out(t("Missed (due again tomorrow):", lang))
        for cid in wrong:
            out(wrap(f"{cid}  {text(by_id[cid].term, lang)}", "  "))
    return result


# -- match ----------------------------------------------------------------------------
def match(ws: Workspace, cards: list[Card], lang: str, rounds: int, size: int, seed: int | None) -> dict[str, Any]:
    mistakes = matched = 0
    scores: list[tuple[int, int]] = []
    started = clock.stopwatch()
    try:
        for r, (group, defs) in enumerate(match_rounds(cards, rounds, size, seed), 1):
            left = {str(i): c for i, c in enumerate(group, 1)}
            right = {chr(ord("a") + i): c for i, c in enumerate(defs)}
            out("")
            out(style(f"{t('Round', lang)} {r}", bold=True))
            ok = bad = 0
            while left:
                _show_match(left, right, lang)
                n, letter = ask_until(t("Pair a number with a letter, e.g. 1c (q stops): ", lang),
                                      lambda s: _pair(s, left, right),
                                      t("type a number and a letter from the lists, e.g. 1c", lang))
                if left[n].id == right[letter].id:
                    ok, matched = ok + 1, matched + 1
                    out(style(f"✓ {n}{letter}", fg="green"))
                    del left[n], right[letter]
                else:
                    bad, mistakes = bad + 1, mistakes + 1
                    out(style(f"✗ {n}{letter}", fg="red"))
            scores.append((ok, bad))
            out(style(t("Round {r}: {ok} ✓  {bad} ✗", lang, r=r, ok=ok, bad=bad), bold=True))
    except Stop:
        out(t("Stopped; what you did is saved.", lang))
    result = {"mode": "match", "at": clock.iso(clock.now()), "total": matched, "correct": matched,
              "mistakes": mistakes, "rounds": [list(s) for s in scores],
              "seconds": round(clock.elapsed_ms(started) / 1000, 1)}
    if matched:
        scheduling.add_session(ws, result)
    out("")
    out(style(f"{matched} ✓  {mistakes} ✗ · {duration(result['seconds'], lang)}", bold=True))
    return result


def _show_match(left: dict[str, Card], right: dict[str, Card], lang: str) -> None:
    out(style(t("Terms", lang), dim=True))
    for n, c in left.items():
        out(f" {n}. " + wrap(text(c.term, lang), "    ").lstrip())
    out(style(t("Definitions", lang), dim=True))
    for letter, c in right.items():
        out(f" {letter}) " + wrap(shorten(redact(first_sentence(text(c.back, lang)), c), 200), "    ").lstrip())


def _pair(s: str, left: dict[str, Card], right: dict[str, Card]) -> tuple[str, str] | None:
    m = re.fullmatch(r"\s*(\d+)\s*[- ]?\s*([a-z])\s*", s.lower())
    if not m or m.group(1) not in left or m.group(2) not in right:
        return None
    return m.group(1), m.group(2)
