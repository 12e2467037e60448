"""The four ways to study the cards, as learners know them from flashcard apps.

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

import difflib
import random
import re
import shutil
import textwrap
from typing import Any, Callable

from lynx import card as cardmod
from lynx.content import text
from lynx.deck import Card
from lynx.ui import out, style
from lynx.workspace import Workspace

T = {
    "reveal": {"en": "Enter shows the answer (q stops): ", "es": "Intro muestra la respuesta (q para): "},
    "rate": {"en": "How well did you recall it? 1 Again · 2 Hard · 3 Good · 4 Easy (q stops): ",
             "es": "¿Cómo lo recordaste? 1 Otra vez · 2 Difícil · 3 Bien · 4 Fácil (q para): "},
    "rate_bad": {"en": "type 1, 2, 3 or 4", "es": "escribe 1, 2, 3 o 4"},
    "next": {"en": "next in", "es": "próxima en"},
    "nothing": {"en": "Nothing to review now: no card is due and today's new cards are done.",
                "es": "Nada que repasar ahora: no hay tarjetas pendientes y ya viste las nuevas de hoy."},
    "no_new": {"en": "No new cards left to learn with these filters.", "es": "No quedan tarjetas nuevas con estos filtros."},
    "recalled": {"en": "Did you recall it? y/n (q stops): ", "es": "¿Lo recordabas? y/n (q para): "},
    "yn_bad": {"en": "type y or n", "es": "escribe y o n"},
    "choose": {"en": "Your answer (a-{last}, q stops): ", "es": "Tu respuesta (a-{last}, q para): "},
    "choice_bad": {"en": "type one letter, a to {last}", "es": "escribe una letra, de la a a la {last}"},
    "which_term": {"en": "Which term is this? (q stops)", "es": "¿Qué término es? (q para)"},
    "right": {"en": "Right.", "es": "Correcto."},
    "wrong": {"en": "Not quite. The answer:", "es": "No exactamente. La respuesta:"},
    "pair": {"en": "Pair a number with a letter, e.g. 1c (q stops): ", "es": "Empareja un número con una letra, p. ej. 1c (q para): "},
    "pair_bad": {"en": "type a number and a letter from the lists, e.g. 1c", "es": "escribe un número y una letra de las listas, p. ej. 1c"},
    "round": {"en": "Round", "es": "Ronda"},
    "terms": {"en": "Terms", "es": "Términos"},
    "definitions": {"en": "Definitions", "es": "Definiciones"},
    "stopped": {"en": "Stopped; what you did is saved.", "es": "Parado; lo que hiciste está guardado."},
    "finished": {"en": "Done for today: {n} reviews. `lynx cards --stats` shows what comes next.",
                 "es": "Hecho por hoy: {n} repasos. `lynx cards --stats` muestra lo que viene."},
    "phase": {"en": "phase", "es": "fase"},
    "due": {"en": "due", "es": "pendiente"},
    "new": {"en": "new", "es": "nueva"},
    "again": {"en": "again", "es": "otra vez"},
}


def t(key: str, lang: str, **kw: Any) -> str:
    s = T[key].get(lang) or T[key]["en"]
    return s.format(**kw) if kw else s


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
    width = max(40, min(100, shutil.get_terminal_size((100, 24)).columns) - 2)
    return "\n".join(textwrap.fill(p, width, initial_indent=indent, subsequent_indent=indent) for p in s.split("\n"))


def header(i: int, n: int, c: Card, lang: str, note: str = "") -> None:
    """``[i/n]`` counts the cards of the session so far out of the cards known to be in it."""
    tags = f" · {', '.join(c.tags)}" if c.tags else ""
    out(style(f"[{i}/{n}] {c.id} · {t('phase', lang)} {c.phase}{tags}{note}", dim=True))


# -- spaced review -------------------------------------------------------------------
def spaced(ws: Workspace, cards: list[Card], lang: str, new_limit: int) -> dict[str, Any]:
    data = cardmod.load_states(ws)
    at = cardmod.now()
    due, fresh = cardmod.queue(cards, data, cardmod.missed(ws, data), at, new_limit)
    todo = [(c, "due") for c in due] + [(c, "new") for c in fresh]
    if not todo:
        out(t("nothing", lang))
        return {"reviewed": 0, "due": 0, "new": 0}
    done = 0
    end_of_day = cardmod.next_day(at)
    try:
        while todo:
            c, kind = todo.pop(0)
            out("")
            header(done + 1, done + 1 + len(todo), c, lang, f" · {t(kind, lang)}")
            out(style("Q", bold=True) + " " + wrap(text(c.front, lang)).lstrip())
            ask(t("reveal", lang))
            out(style("A", bold=True) + " " + wrap(text(c.back, lang)).lstrip())
            rating = ask_until(t("rate", lang), _rating, t("rate_bad", lang))
            at = cardmod.now()
            entry = cardmod.record(ws, c.id, rating, at)
            done += 1
            out(style(f"   {cardmod.RATINGS[rating]} → {t('next', lang)} {cardmod.interval_text(entry, at)}", dim=True))
            # Learning steps are minutes long: a card still in them today comes back in this session.
            if cardmod.parse_time(entry["fsrs"]["due"]) < end_of_day:
                todo.append((c, "again"))
        out("")
        out(t("finished", lang, n=done))
    except Stop:
        out(t("stopped", lang))
    return {"reviewed": done, "due": len(due), "new": len(fresh)}


def _rating(s: str) -> int | None:
    return int(s) if s in ("1", "2", "3", "4") else None


# -- learn ----------------------------------------------------------------------------
def learn(ws: Workspace, cards: list[Card], lang: str, count: int) -> dict[str, Any]:
    """New cards, in rounds, until each one is recalled; every answer is an FSRS review (y Good, n Again)."""
    data = cardmod.load_states(ws)
    todo = [c for c in cards if c.id not in data["cards"]][:count]
    if not todo:
        out(t("no_new", lang))
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
            ask(t("reveal", lang))
            out(style("A", bold=True) + " " + wrap(text(c.back, lang)).lstrip())
            yes = ask_until(t("recalled", lang), _yes_no, t("yn_bad", lang))
            cardmod.record(ws, c.id, 3 if yes else 1, cardmod.now())
            if yes:
                learned += 1
            else:
                todo.append(c)  # shown again at the end of the round
    except Stop:
        out(t("stopped", lang))
    return {"learned": learned, "shown": shown}


def _yes_no(s: str) -> bool | None:
    s = s.lower()
    return True if s in ("y", "yes", "s", "si", "sí") else False if s in ("n", "no") else None


# -- test -----------------------------------------------------------------------------
def make_test(cards: list[Card], pool: list[Card], count: int, rng: random.Random) -> list[dict[str, Any]]:
    """Questions: two in three multiple choice (4 answers, distractors from the same phase first), the rest typed."""
    picked = rng.sample(cards, min(count, len(cards)))
    questions = []
    for i, c in enumerate(picked):
        others = [o for o in pool if o.id != c.id]
        if i % 3 == 2 or len(others) < 3:
            questions.append({"kind": "typed", "card": c})
            continue
        same = [o for o in others if o.phase == c.phase]
        rest = [o for o in others if o.phase != c.phase]
        rng.shuffle(same)
        rng.shuffle(rest)
        options = [c] + (same + rest)[:3]
        rng.shuffle(options)
        questions.append({"kind": "choice", "card": c, "options": options})
    return questions


def generated_test(ws: Workspace, cards: list[Card], pool: list[Card], lang: str, count: int, seed: int | None) -> dict[str, Any]:
    rng = random.Random(seed)
    questions = make_test(cards, pool, count, rng)
    correct: list[str] = []
    missed: list[str] = []
    try:
        for i, q in enumerate(questions, 1):
            c: Card = q["card"]
            out("")
            header(i, len(questions), c, lang)
            if q["kind"] == "choice":
                out(style("Q", bold=True) + " " + wrap(text(c.front, lang)).lstrip())
                letters = "abcd"[: len(q["options"])]
                for letter, o in zip(letters, q["options"]):
                    out(f" {letter}) " + wrap(text(o.back, lang), "    ").lstrip())
                pick = ask_until(t("choose", lang, last=letters[-1]), lambda s: s.lower() if s.lower() in letters else None,
                                 t("choice_bad", lang, last=letters[-1]))
                ok = q["options"][letters.index(pick)].id == c.id
            else:
                out(style(t("which_term", lang), bold=True))
                out(wrap(redact(text(c.back, lang), c)))
                ok = term_matches(ask("> "), c)
            (correct if ok else missed).append(c.id)
            if ok:
                out(style(t("right", lang), fg="green"))
            else:
                right = ""
                if q["kind"] == "choice":
                    right = "abcd"[[o.id for o in q["options"]].index(c.id)] + ") "
                out(style(t("wrong", lang), fg="red") + f" {right}{text(c.term, lang)} — {first_sentence(text(c.back, lang))}")
    except Stop:
        out(t("stopped", lang))
    result = {"mode": "test", "at": cardmod.iso(cardmod.now()), "total": len(correct) + len(missed),
              "correct": len(correct), "missed": missed}
    if result["total"]:
        cardmod.add_session(ws, result)
    out("")
    out(style(f"{len(correct)}/{result['total']}", bold=True))
    return result


def redact(s: str, c: Card) -> str:
    """The definition without the words of the term it defines (in either language)."""
    words = set()
    for lang in ("en", "es"):
        words.update(w for w in re.findall(r"\w[\w-]*", c.term[lang]) if len(w) >= 5)
    for w in sorted(words, key=len, reverse=True):
        s = re.sub(rf"\b{re.escape(w)}\w*", "____", s, flags=re.IGNORECASE)
    return s


def term_matches(answer: str, c: Card) -> bool:
    """Typed answers forgive case, accents, punctuation and small typos, in either language."""
    from lynx.quiz import normalize

    got = _plain(normalize(answer))
    if not got:
        return False
    for lang in ("en", "es"):
        want = _plain(normalize(c.term[lang]))
        if got == want or difflib.SequenceMatcher(None, got, want).ratio() >= 0.85:
            return True
        # Or every content word of the term, in any order: "mask causal" for "The causal mask".
        words = [w for w in want.split() if len(w) >= 4]
        if words and all(any(difflib.SequenceMatcher(None, w, g).ratio() >= 0.8 for g in got.split()) for w in words):
            return True
    return False


def _plain(s: str) -> str:
    return " ".join(re.sub(r"[^\w ]", " ", s).split())


def first_sentence(s: str) -> str:
    return re.split(r"(?<=[.!?:])\s+(?=[A-ZÁÉÍÓÚÑ¿¡(])", s, maxsplit=1)[0]


# -- match ----------------------------------------------------------------------------
def match(ws: Workspace, cards: list[Card], lang: str, rounds: int, size: int, seed: int | None) -> dict[str, Any]:
    mistakes = 0
    matched = 0
    try:
        for r, (group, defs) in enumerate(match_rounds(cards, rounds, size, seed), 1):
            left = {str(i): c for i, c in enumerate(group, 1)}
            right = {chr(ord("a") + i): c for i, c in enumerate(defs)}
            out("")
            out(style(f"{t('round', lang)} {r}", bold=True))
            while left:
                _show_match(left, right, lang)
                pair = ask_until(t("pair", lang), lambda s: _pair(s, left, right), t("pair_bad", lang))
                n, letter = pair
                if left[n].id == right[letter].id:
                    matched += 1
                    out(style(f"✓ {n}{letter}", fg="green"))
                    del left[n], right[letter]
                else:
                    mistakes += 1
                    out(style(f"✗ {n}{letter}", fg="red"))
    except Stop:
        out(t("stopped", lang))
    result = {"mode": "match", "at": cardmod.iso(cardmod.now()), "total": matched, "correct": matched, "mistakes": mistakes}
    if matched:
        cardmod.add_session(ws, result)
    out("")
    out(style(f"{matched} ✓  {mistakes} ✗", bold=True))
    return result


def match_rounds(cards: list[Card], rounds: int, size: int, seed: int | None) -> list[tuple[list[Card], list[Card]]]:
    """The rounds of a match game: (terms in order, the same cards in the order their definitions show)."""
    rng = random.Random(seed)
    picked = rng.sample(cards, min(len(cards), rounds * size))
    layout = []
    for r in range(0, len(picked), size):
        group = picked[r:r + size]
        defs = group[:]
        rng.shuffle(defs)
        layout.append((group, defs))
    return layout


def _show_match(left: dict[str, Card], right: dict[str, Card], lang: str) -> None:
    out(style(t("terms", lang), dim=True))
    for n, c in left.items():
        out(f" {n}. {text(c.term, lang)}")
    out(style(t("definitions", lang), dim=True))
    for letter, c in right.items():
        d = redact(first_sentence(text(c.back, lang)), c)
        out(f" {letter}) " + wrap(d if len(d) <= 160 else d[:157] + "…", "    ").lstrip())


def _pair(s: str, left: dict[str, Card], right: dict[str, Card]) -> tuple[str, str] | None:
    m = re.fullmatch(r"\s*(\d+)\s*[- ]?\s*([a-z])\s*", s.lower())
    if not m or m.group(1) not in left or m.group(2) not in right:
        return None
    return m.group(1), m.group(2)


def print_stats(s: dict[str, Any], lang: str) -> None:
    es = lang == "es"
    ret = "—" if s["retention"] is None else f"{s['retention']:.0%} ({s['retention_reviews']})"
    out(style(("Tarjetas de " if es else "Cards of ") + s["learner"], bold=True))
    out(f"{'pendientes hoy' if es else 'due today'}: {s['due_today']}   "
        f"{'esta semana' if es else 'this week'}: {s['due_week']}   "
        f"{'retención' if es else 'retention'}: {ret}")
    out(f"{'nuevas' if es else 'new'}: {s['new']}   {'aprendiendo' if es else 'learning'}: {s['learning']}   "
        f"{'en repaso' if es else 'in review'}: {s['review']}   {'dominadas' if es else 'mastered'}: {s['mastered']}"
        f" / {s['cards']}")
    out("")
    heads = ("fase", "tarjetas", "nuevas", "hoy", "dominadas") if es else ("phase", "cards", "new", "due", "mastered")
    out(style(f"{heads[0]:>6} {heads[1]:>9} {heads[2]:>7} {heads[3]:>5} {heads[4]:>10}", dim=True))
    for p, row in s["phases"].items():
        out(f"{p:>6} {row['cards']:>9} {row['new']:>7} {row['due_today']:>5} {row['mastered']:>10}")
