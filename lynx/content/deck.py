"""Flashcard decks: ``data/cards/*.yaml`` in the workspace, loaded and checked.

A deck is a list of cards; a card is a question (``front``), its answer (``back``) and a
short ``term`` naming it (used by ``--match`` and the typed answers of ``--test``), all
bilingual, tagged with its phase and topics. Card ids are ``c-<phase>-<nn>`` and unique
across decks, because learners' card states and quiz questions refer to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lynx.content.cache import cached, cached_listing, own_cache
from lynx.content.fields import ContentError, Fields, load_yaml

CARD_ID_RE = re.compile(r"^c-([0-9]+)-([0-9]{2,})$")
CARD_KEYS = ("id", "phase", "tags", "term", "front", "back")


@dataclass(frozen=True)
class Card:
    id: str
    phase: str
    tags: tuple[str, ...]
    term: dict[str, str]
    front: dict[str, str]
    back: dict[str, str]
    deck: str


def deck_files(root: Path) -> list[Path]:
    return sorted((root / "data" / "cards").glob("*.yaml"))


def parse_deck(path: Path) -> dict[str, Any]:
    """Check one deck file and return it as plain data (JSON-able, so it can be cached)."""
    top = Fields(path, load_yaml(path))
    top.only(("id", "title", "cards"))
    deck_id = top.id("id")
    top.bilingual("title")
    cards = []
    seen: set[str] = set()
    for i, raw in enumerate(top.list("cards", min_len=1)):
        f = Fields(path, raw, f"cards[{i}]")
        f.only(CARD_KEYS)
        cid = f.str("id")
        m = CARD_ID_RE.match(cid)
        if not m:
            raise ContentError(path, f"cards[{i}].id", f"bad card id {cid!r}", "use c-<phase>-<nn>, e.g. c-15-03")
        phase = f.str("phase")
        if m.group(1) != phase:
            raise ContentError(path, f"cards[{i}].phase", f"card {cid} says phase {phase!r}",
                               f"card ids carry their phase: use phase: \"{m.group(1)}\" or rename the card")
        if cid in seen:
            raise ContentError(path, f"cards[{i}].id", f"duplicate card id {cid}", "give every card its own id")
        seen.add(cid)
        tags = f.strs("tags", default=[])
        cards.append({"id": cid, "phase": phase, "tags": tags, "term": f.bilingual("term"),
                      "front": f.bilingual("front"), "back": f.bilingual("back"), "deck": deck_id})
    return {"id": deck_id, "title": top.data["title"], "cards": cards}


def load_raw(root: Path, cache_dir: Path | None = None) -> list[dict[str, Any]]:
    """Every deck of the course in ``root`` as plain data, through the parse cache."""
    decks = [cached(own_cache(cache_dir, "decks"), p, parse_deck) for p in deck_files(root)]
    owner: dict[str, Path] = {}
    for path, deck in zip(deck_files(root), decks):
        for c in deck["cards"]:
            if c["id"] in owner:
                raise ContentError(path, c["id"], f"card id also used in {owner[c['id']].name}",
                                   "card ids must be unique across decks")
            owner[c["id"]] = path
    return decks


def phase_index(root: Path, cache_dir: Path | None = None) -> dict[str, list[str]]:
    """``{phase: [card ids]}`` over every deck, from one cached entry that a listing of data/cards/ checks.

    `lynx status` asks for the few phases it shows; reading all 500 decks of a big course for that
    made it grow with the course.
    """
    def index() -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for deck in load_raw(root, cache_dir):
            for c in deck["cards"]:
                out.setdefault(c["phase"], []).append(c["id"])
        return out

    return cached_listing(own_cache(cache_dir, "deck-index"), root / "data" / "cards", ".yaml", index)


def load(root: Path, cache_dir: Path | None = None) -> list[Card]:
    """All cards of the course, in deck order."""
    out = []
    for deck in load_raw(root, cache_dir):
        for c in deck["cards"]:
            out.append(Card(id=c["id"], phase=c["phase"], tags=tuple(c["tags"]), term=c["term"],
                            front=c["front"], back=c["back"], deck=c["deck"]))
    return out


def card_ids(root: Path) -> set[str]:
    """Every card id in data/cards/*.yaml, read loosely: a broken deck is reported by :func:`check`, not here."""
    ids: set[str] = set()
    for path in deck_files(root):
        try:
            data = load_yaml(path)
        except ContentError:
            continue
        for card in (data.get("cards") if isinstance(data, dict) else None) or []:
            if isinstance(card, dict) and isinstance(card.get("id"), str):
                ids.add(card["id"])
    return ids


def missing_texts(path: Path) -> list[ContentError]:
    """Every bilingual text of a deck that is absent or empty, one error each (a deck that does not parse
    at all is left to :func:`parse_deck`)."""
    from lynx.i18n import languages

    try:
        data = load_yaml(path)
    except ContentError:
        return []
    if not isinstance(data, dict):
        return []
    out = []
    items = [("title", data.get("title"), "")]
    for i, card in enumerate(data.get("cards") if isinstance(data.get("cards"), list) else []):
        if isinstance(card, dict):
            items += [(f"cards[{i}].{key}", card.get(key), f"card {card.get('id')}: ") for key in ("term", "front", "back")]
    for where, value, who in items:
        if value is not None and not isinstance(value, dict):
            continue  # not a mapping at all: parse_deck says so
        for lang in languages():
            v = (value or {}).get(lang)
            if not isinstance(v, str) or not v.strip():
                out.append(ContentError(path, where, f"{who}missing the `{lang}` text", f"add `{lang}:` under `{where}`"))
    return out


def orphans(cards: list[Card], phases: set[str]) -> list[Card]:
    """The cards whose phase is not a phase of the course (no learner sees them in `lynx status`)."""
    known = {p.lstrip("0") or "0" for p in phases}
    return [c for c in cards if (c.phase.lstrip("0") or "0") not in known]


def select(cards: list[Card], phase: str | None = None, tag: str | None = None) -> list[Card]:
    """The cards matching ``--phase`` and ``--tag`` (both optional)."""
    if phase is not None:
        phase = phase.removeprefix("phase-").lstrip("0") or "0"
        cards = [c for c in cards if (c.phase.lstrip("0") or "0") == phase]
    if tag is not None:
        cards = [c for c in cards if tag.lower() in c.tags]
    return cards


def check(root: Path) -> list[ContentError]:
    """Every problem with the decks under ``root``, and every ``cards:`` in a quiz or break naming no card
    (for `lynx validate`). Empty when all is well."""
    from lynx.content.quiz import quiz_files

    errors: list[ContentError] = []
    for path in deck_files(root):
        missing = missing_texts(path)
        if missing:  # every empty text at once (a deck drafted by `lynx cards --import` has many)
            errors += missing
            continue
        try:
            parse_deck(path)
        except ContentError as exc:
            errors.append(exc)
    if errors:
        return errors
    try:
        ids = {c.id for c in load(root)}
    except ContentError as exc:
        return [exc]
    refs: list[tuple[Path, str, Any]] = []
    for path in quiz_files(root):
        data = load_yaml(path)
        for i, q in enumerate((data.get("questions") if isinstance(data, dict) else None) or []):
            if isinstance(q, dict):
                refs.append((path, f"questions[{i}].cards", q.get("cards")))
    for path in sorted((root / "breaks").glob("*/break.yaml")):
        data = load_yaml(path)
        refs.append((path, "cards", data.get("cards") if isinstance(data, dict) else None))
    for path, field, cards in refs:
        for c in cards if isinstance(cards, list) else []:
            if c not in ids:
                errors.append(ContentError(path, field, f"no flashcard {c!r} in data/cards",
                                           "use the id of a card in data/cards/*.yaml, or add the card"))
    return errors
