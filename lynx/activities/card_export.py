"""`lynx cards --export PATH`: the cards, in every language, with the learner's scheduling, as an Anki
package (``.apkg``, written with genanki) or a CSV file (``.csv``).

The target is checked before anything is written (a known format, a folder that exists) and the file
is written whole or not at all (a temporary name, then a rename). The workspace is only read.

In the ``.apkg`` each lynx card is one Anki note of the model "lynx card" (fields ``Front (en)``,
``Back (en)``, ``Term (en)``, the same for every other language, ``Phase`` and ``Card id``), in a deck
``lynx::<deck title>``; its guid comes from the card id, so importing a newer export updates the same
notes. The learner's scheduling goes where Anki keeps it: the card's type, queue, due day, interval,
reps and lapses, the FSRS memory state in the card's ``data`` (``s``, ``d``, ``dr``), and one ``revlog``
row per review with its duration.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lynx.activities import card_settings
from lynx.activities.scheduling import LEARNING, RELEARNING, REVIEW, scheduler_for
from lynx.core import clock
from lynx.core.errors import LynxError
from lynx.core.files import atomic_write_bytes
from lynx.i18n import languages
from lynx.learner import cardstates
from lynx.learner.cardstates import CardStates
from lynx.learner.workspace import Workspace

if TYPE_CHECKING:
    from lynx.content.deck import Card

FORMATS = {".apkg": "apkg", ".csv": "csv"}
STATES = {None: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str          # "apkg" or "csv"
    cards: int
    scheduled: int       # cards that carry the learner's scheduling (seen at least once)
    reviews: int         # reviews in the package's log (apkg) or 0 (csv)
    languages: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format, "cards": self.cards, "scheduled": self.scheduled,
                "reviews": self.reviews, "languages": list(self.languages)}


def target(path: Path) -> tuple[Path, str]:
    """The export path, resolved, and its format; refused in one line before anything is written."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LynxError(f"--export {path}: unknown format {path.suffix or '(no extension)'!r}",
                        "end the file name in .apkg (an Anki package) or .csv")
    full = path.expanduser().absolute()
    if not full.parent.is_dir():
        raise LynxError(f"--export {path}: the folder {full.parent} does not exist",
                        "create it first, or export into a folder that exists")
    if full.is_dir():
        raise LynxError(f"--export {path} is a folder", "give a file name, e.g. --export cards.apkg")
    return full, fmt


def export(ws: Workspace, cards: list["Card"], path: Path, lang: str) -> ExportResult:
    """Write ``cards`` to ``path`` (.apkg or .csv) with the learner's scheduling; ``lang`` is the side Anki shows."""
    full, fmt = target(path)
    states = cardstates.load(ws.learner_dir)
    if fmt == "csv":
        data = to_csv(cards, states)
        reviews = 0
    else:
        data, reviews = to_apkg(ws, cards, states, lang)
    atomic_write_bytes(full, data)
    return ExportResult(path=full, format=fmt, cards=len(cards), scheduled=sum(c.id in states.cards for c in cards),
                        reviews=reviews, languages=languages())


# -- CSV ------------------------------------------------------------------------------
def csv_columns() -> list[str]:
    """The columns of an exported CSV; ``lynx cards --import`` reads the same file back."""
    sides = [f"{key}_{lang}" for lang in languages() for key in ("term", "front", "back")]
    return ["id", "deck", "phase", "tags", *sides, "state", "due", "stability", "difficulty", "reps", "lapses",
            "last_review"]


def to_csv(cards: list["Card"], states: CardStates) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(csv_columns())
    for c in cards:
        e = states.cards.get(c.id)
        f = e.fsrs if e else {}
        sides = [getattr(c, key).get(lang, "") for lang in languages() for key in ("term", "front", "back")]
        w.writerow([c.id, c.deck, c.phase, " ".join(c.tags), *sides, STATES.get(f.get("state"), "new"),
                    f.get("due", ""), _num(f.get("stability")), _num(f.get("difficulty")), e.reps if e else 0,
                    e.lapses if e else 0, f.get("last_review") or ""])
    return buf.getvalue().encode("utf-8")


def _num(x: Any) -> str:
    return "" if x is None else f"{float(x):.4f}"


# -- Anki ------------------------------------------------------------------------------
def _stable_id(*parts: str) -> int:
    """A fixed id in Anki's range for a model or deck, from its name: the same export, the same ids."""
    return (1 << 30) + int(hashlib.sha1("\x1f".join(("lynx", *parts)).encode()).hexdigest()[:7], 16)


def _field(text: str) -> str:
    """Content text as an Anki field: HTML-escaped, `code` as <code>, line breaks as <br>."""
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", out)
    return out.replace("\n", "<br>")


def _model(lang: str) -> Any:
    import genanki

    langs = languages()
    fields = [f"{key} ({x})" for x in langs for key in ("Front", "Back", "Term")] + ["Phase", "Card id"]
    others = "".join(f'<div class="other" lang="{x}">{{{{Front ({x})}}}}<br>{{{{Back ({x})}}}}</div>'
                     for x in langs if x != lang)
    return genanki.Model(
        _stable_id("model", lang), f"lynx card ({lang})", fields=[{"name": n} for n in fields],
        templates=[{"name": "Card",
                    "qfmt": f'<div class="front">{{{{Front ({lang})}}}}</div>',
                    "afmt": (f'{{{{FrontSide}}}}<hr id="answer"><div class="back">{{{{Back ({lang})}}}}</div>'
                             f'<div class="term">{{{{Term ({lang})}}}} · {{{{Card id}}}}</div>{others}')}],
        css=(".card{font-family:sans-serif;font-size:20px;text-align:left;max-width:40em;margin:auto}"
             ".term{margin-top:1em;font-size:14px;color:#777}.other{margin-top:1em;font-size:15px;color:#555}"
             "code{font-family:monospace}"))


def to_apkg(ws: Workspace, cards: list["Card"], states: CardStates, lang: str) -> tuple[bytes, int]:
    """The .apkg bytes (a zip holding the SQLite collection ``collection.anki2``) and how many reviews it logs."""
    import sqlite3
    import tempfile
    import zipfile

    import genanki

    from lynx.content import deck as deckmod

    titles = {d["id"]: d["title"] for d in deckmod.load_raw(ws.root, ws.course.cache)}
    model = _model(lang)
    decks: dict[str, Any] = {}
    for c in cards:
        if c.deck not in decks:
            title = titles.get(c.deck, {}).get(lang) or titles.get(c.deck, {}).get("en") or c.deck
            decks[c.deck] = genanki.Deck(_stable_id("deck", c.deck), f"lynx::{title}")
        values = [_field(getattr(c, key).get(x, "")) for x in languages() for key in ("front", "back", "term")]
        tags = [re.sub(r"\s+", "-", t) for t in (*c.tags, f"phase-{c.phase}")]
        decks[c.deck].add_note(genanki.Note(model=model, fields=[*values, c.phase, c.id], tags=tags,
                                            guid=genanki.guid_for("lynx", c.id)))
    now = clock.now()
    with tempfile.TemporaryDirectory(prefix="lynx-export-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        db = sqlite3.connect(db_path)
        try:
            package = genanki.Package(list(decks.values()))
            package.write_to_db(db.cursor(), now.timestamp(), _ids(now))
            reviews = _schedule(db, ws, cards, states)
            db.commit()
        finally:
            db.close()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(db_path, "collection.anki2")
            z.writestr("media", "{}")
    return buf.getvalue(), reviews


def _ids(now: datetime):
    import itertools

    return itertools.count(int(now.timestamp() * 1000))


def _schedule(db: Any, ws: Workspace, cards: list["Card"], states: CardStates) -> int:
    """Give each exported Anki card the learner's scheduling and review log; returns the reviews written."""
    import json

    import genanki

    by_guid = {genanki.guid_for("lynx", c.id): c.id for c in cards}
    cids = {by_guid[g]: cid for cid, g in db.execute("SELECT cards.id, notes.guid FROM cards JOIN notes"
                                                     " ON cards.nid = notes.id") if g in by_guid}
    crt = db.execute("SELECT crt FROM col").fetchone()[0]
    retention = card_settings.settings(ws).desired_retention
    for card_id, cid in cids.items():
        e = states.cards.get(card_id)
        if e is None:
            continue
        f = e.fsrs
        due = clock.parse(f["due"])
        last = clock.parse(f["last_review"]) if f.get("last_review") else None
        state = f.get("state")
        if state == REVIEW:
            ivl = max(1, round((due - last).total_seconds() / 86400)) if last else 1
            kind, queue, due_value = 2, 2, int((due.timestamp() - crt) // 86400)
        else:
            ivl = 0 if state == LEARNING else 1
            kind, queue, due_value = (1 if state == LEARNING else 3), 1, int(due.timestamp())
        memory = {"s": round(float(f.get("stability") or 0), 4), "d": round(float(f.get("difficulty") or 0), 4),
                  "dr": retention}
        if last is not None:
            memory["lrt"] = int(last.timestamp())
        db.execute("UPDATE cards SET type=?, queue=?, due=?, ivl=?, factor=?, reps=?, lapses=?, left=?, data=?"
                   " WHERE id=?", (kind, queue, due_value, ivl, 2500 if kind != 1 else 0, e.reps, e.lapses,
                                   1001 if queue == 1 else 0, json.dumps(memory, separators=(",", ":")), cid))
    return _revlog(db, ws, cids, states)


def _revlog(db: Any, ws: Workspace, cids: dict[str, int], states: CardStates) -> int:
    """One revlog row per logged review of an exported card, its intervals replayed with the learner's scheduler."""
    from fsrs import Card as FsrsCard
    from fsrs import Rating

    sched = scheduler_for(ws, states)
    cards: dict[str, Any] = {}
    last_ivl: dict[str, int] = {}
    used: set[int] = set()
    written = 0
    for r in states.log:
        at = clock.parse_or_none(r.at)
        if r.card not in cids or at is None or r.rating not in (1, 2, 3, 4):
            continue
        card = cards.get(r.card) or FsrsCard(card_id=0, due=at)
        card, _ = sched.review_card(card, Rating(r.rating), review_datetime=at.astimezone(timezone.utc))
        cards[r.card] = card
        secs = (card.due - at).total_seconds()
        ivl = max(1, round(secs / 86400)) if int(card.state.value) == REVIEW else -max(1, int(secs))
        rid = int(at.timestamp() * 1000)
        while rid in used:
            rid += 1
        used.add(rid)
        kind = {0: 0, LEARNING: 0, REVIEW: 1, RELEARNING: 2}.get(r.before, 0)
        db.execute("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)",
                   (rid, cids[r.card], -1, r.rating, ivl, last_ivl.get(r.card, 0), 2500 if kind else 0, r.ms or 0, kind))
        last_ivl[r.card] = ivl
        written += 1
    return written
