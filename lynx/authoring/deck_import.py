"""`lynx cards --import FILE.csv --deck NAME`: an author drafts a deck from a spreadsheet.

The CSV has a header row; its columns (any order, case and spacing ignored; ``Front (es)`` reads as
``front_es``)::

    id        optional: c-<phase>-<nn>; without it the next free number of the card's phase
    phase     the card's phase (or --phase for every row)
    tags      optional: words separated by spaces, commas or semicolons
    term_en, front_en, back_en     (``term``, ``front``, ``back`` mean the English ones)
    term_es, front_es, back_es     and the same for every other language of the interface

The columns ``lynx cards --export x.csv`` adds (deck, state, due, stability, difficulty, reps, lapses,
last_review) are ignored, so an export reads back. Lines starting with ``#`` (Anki's headers) are skipped.
The deck is written to ``data/cards/NAME.yaml`` with every text the CSV lacks left empty, and
``lynx validate`` lists each of them. Nothing is written when the CSV cannot be read or an id is wrong.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lynx.content.deck import CARD_ID_RE, card_ids
from lynx.core.errors import LynxError
from lynx.core.files import atomic_write_text
from lynx.i18n import languages

DECK_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
IGNORED = {"deck", "state", "due", "stability", "difficulty", "reps", "lapses", "last_review"}
SIDES = ("term", "front", "back")


@dataclass(frozen=True)
class ImportResult:
    path: Path
    cards: int
    missing: list[str] = field(default_factory=list)   # "c-18-01 front (es)", one per empty text

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "cards": self.cards, "missing": self.missing}


def _column(name: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    return f"{key}_en" if key in SIDES else key


def read_rows(path: Path) -> list[dict[str, str]]:
    """The CSV's rows as ``{column: text}``; one line naming the file when it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LynxError(f"--import {path}: cannot read it ({exc.strerror or exc})",
                        "give the path of a CSV file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LynxError(f"--import {path}: not UTF-8 text", "save the spreadsheet as CSV UTF-8") from None
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    body = "\n".join(lines)
    if not body.strip():
        raise LynxError(f"--import {path}: no rows", "the first row names the columns, e.g. phase,term_en,front_en,back_en")
    try:
        dialect: Any = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(body), dialect))
    except csv.Error as exc:
        raise LynxError(f"--import {path}: not a CSV file ({exc})", "save the spreadsheet as CSV") from None
    header = [_column(h) for h in rows[0]]
    known = {"id", "phase", "tags", *(f"{s}_{lang}" for lang in languages() for s in SIDES)}
    unknown = [h for h in header if h not in known | IGNORED]
    if unknown:
        raise LynxError(f"--import {path}: unknown column(s) {', '.join(unknown)}",
                        "use id, phase, tags, term_en, front_en, back_en, term_es, front_es, back_es")
    if "front_en" not in header or "back_en" not in header:
        raise LynxError(f"--import {path}: no front_en and back_en columns in the first row",
                        "the first row names the columns, e.g. phase,term_en,front_en,back_en")
    out = []
    for row in rows[1:]:
        if any(cell.strip() for cell in row):
            out.append({h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)})
    if not out:
        raise LynxError(f"--import {path}: a header row and no cards", "add one row per card")
    return out


def draft(root: Path, csv_path: Path, deck: str, phase: str | None = None) -> ImportResult:
    """Write ``data/cards/<deck>.yaml`` from the CSV; nothing is written if any row is wrong."""
    import yaml

    if not DECK_RE.match(deck or ""):
        raise LynxError(f"--deck {deck!r} is not a deck name", "use lowercase letters, digits and dashes, e.g. --deck tokenizers")
    target = root / "data" / "cards" / f"{deck}.yaml"
    if target.exists():
        raise LynxError(f"{target} already exists", "pick another --deck name, or remove that file first")
    rows = read_rows(csv_path)
    taken = card_ids(root)
    cards, missing = [], []
    for n, row in enumerate(rows, 2):  # row 1 is the header
        ph = (row.get("phase") or phase or "").removeprefix("phase-")
        if not re.fullmatch(r"[0-9]+", ph):
            raise LynxError(f"--import {csv_path}: row {n} has no phase (or {ph!r} is not one)",
                            "add a phase column, or pass --phase 18 for every row")
        cid = row.get("id") or _next_id(ph, taken)
        m = CARD_ID_RE.match(cid)
        if not m or m.group(1) != ph:
            raise LynxError(f"--import {csv_path}: row {n}: card id {cid!r} is not c-{ph}-<nn>",
                            f"use c-{ph}-01, c-{ph}-02, ... or leave the id column empty")
        if cid in taken:
            raise LynxError(f"--import {csv_path}: row {n}: card id {cid} is already used",
                            "give it a new id, or leave the id column empty")
        taken.add(cid)
        card: dict[str, Any] = {"id": cid, "phase": ph,
                                "tags": [t.lower() for t in re.split(r"[\s,;]+", row.get("tags", "")) if t]}
        for side in SIDES:
            card[side] = {lang: row.get(f"{side}_{lang}", "") for lang in languages()}
            missing += [f"{cid} {side} ({lang})" for lang, v in card[side].items() if not v]
        cards.append(card)
    title = {lang: deck if lang == "en" else "" for lang in languages()}
    missing = [f"title ({lang})" for lang, v in title.items() if not v] + missing
    text = (f"# Drafted by `lynx cards --import {csv_path.name} --deck {deck}`: fill in every empty text;\n"
            "# `lynx validate` lists those still missing.\n"
            + yaml.safe_dump({"id": deck, "title": title, "cards": cards}, allow_unicode=True, sort_keys=False,
                             width=110))
    atomic_write_text(target, text)
    return ImportResult(path=target, cards=len(cards), missing=missing)


def _next_id(phase: str, taken: set[str]) -> str:
    used = [int(m.group(2)) for c in taken if (m := CARD_ID_RE.match(c)) and m.group(1) == phase]
    return f"c-{phase}-{(max(used) + 1 if used else 1):02d}"
