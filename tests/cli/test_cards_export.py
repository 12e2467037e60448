"""`lynx cards --export / --import / --optimize` in real workspaces, and cards that follow the course: the .apkg
opened as Anki would (a zip holding an SQLite collection), the CSV read back, a deck drafted from a CSV and
checked by validate, the FSRS parameters fitted to a synthetic log of 600 reviews."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import sqlite3
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from lynx.content import deck
from kit import lynx, tree_hash

DAY0 = "2026-03-02T09:00:00+00:00"
NOW = {"LYNX_NOW": DAY0}


def states(ws: Path) -> dict:
    return json.loads((ws / "learners" / "borja" / "cards.json").read_text())


def review(ws: Path, phase: str, ratings: str, new: int = 2) -> None:
    r = lynx("cards", "--phase", phase, "--new", str(new), cwd=ws, input=ratings, env=NOW)
    assert r.returncode == 0, r.stderr


def collection(path: Path, tmp: Path) -> sqlite3.Connection:
    z = zipfile.ZipFile(path)
    assert "collection.anki2" in z.namelist() and json.loads(z.read("media")) == {}
    z.extract("collection.anki2", tmp)
    return sqlite3.connect(tmp / "collection.anki2")


def test_the_apkg_holds_every_card_in_both_languages_with_the_learners_scheduling(workspace, tmp_path):
    review(workspace, "13", "\n3\n\n3\n\n3\n\n3\n")   # c-13-01 and c-13-02: Good twice, in review
    before = tree_hash(workspace)
    out = tmp_path / "lynx.apkg"
    r = lynx("cards", "--export", str(out), cwd=workspace, env=NOW)
    assert r.returncode == 0, r.stderr
    assert f"Wrote {len(deck.load(workspace))} cards (en, es)" in r.stdout
    assert tree_hash(workspace) == before  # the workspace is only read
    db = collection(out, tmp_path)
    cards = deck.load(workspace)
    notes = {row[1]: row[0].split("\x1f") for row in db.execute("SELECT flds, guid FROM notes")}
    assert len(notes) == len(cards)
    fields = [f["name"] for f in json.loads(db.execute("SELECT models FROM col").fetchone()[0]).popitem()[1]["flds"]]
    assert fields[:6] == ["Front (en)", "Back (en)", "Term (en)", "Front (es)", "Back (es)", "Term (es)"]
    by_id = {f[fields.index("Card id")]: dict(zip(fields, f)) for f in notes.values()}
    assert set(by_id) == {c.id for c in cards}
    for c in cards:
        plain = {k: re.sub(r"<[^>]+>", "", v).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                 for k, v in by_id[c.id].items()}
        assert plain["Term (en)"] == c.term["en"] and plain["Term (es)"] == c.term["es"]
        assert plain["Front (es)"] == c.front["es"].replace("`", "")
    sched = {row[0]: row[1:] for row in db.execute(
        "SELECT n.flds, c.type, c.queue, c.ivl, c.reps, c.data FROM cards c JOIN notes n ON c.nid = n.id")}
    scheduled = {f.split("\x1f")[fields.index("Card id")]: v for f, v in sched.items() if v[0] != 0}
    assert set(scheduled) == {"c-13-01", "c-13-02"}
    kind, queue, ivl, reps, data = scheduled["c-13-01"]
    assert (kind, queue, reps) == (2, 2, 2) and ivl >= 1 and json.loads(data)["dr"] == 0.9
    assert db.execute("SELECT count(*) FROM revlog").fetchone()[0] == 4
    times = [row[0] for row in db.execute("SELECT time FROM revlog")]
    assert times == [r["ms"] for r in states(workspace)["log"]]
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    assert {"lynx::Phase 13 — Token embeddings"} <= {d["name"] for d in decks.values()}


def test_the_csv_has_every_card_and_reads_back_as_the_same_deck(workspace, tmp_path):
    review(workspace, "14", "\n4\n", new=1)
    out = tmp_path / "cards.csv"
    r = lynx("cards", "--export", str(out), "--json", cwd=workspace, env=NOW)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["format"] == "csv"
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    cards = deck.load(workspace)
    assert [row["id"] for row in rows] == [c.id for c in cards]
    first = next(row for row in rows if row["id"] == "c-14-01")
    assert first["state"] == "review" and first["reps"] == "1" and first["front_es"] == cards[
        [c.id for c in cards].index("c-14-01")].front["es"]
    # Read back: with the course's own decks gone, the CSV drafts a deck holding the same cards.
    for p in (workspace / "data" / "cards").glob("*.yaml"):
        p.unlink()
    r = lynx("cards", "--import", str(out), "--deck", "all", cwd=workspace)
    assert r.returncode == 0, r.stderr
    assert "Wrote" in r.stdout and "all.yaml" in r.stdout and "title (es)" in r.stdout
    drafted = workspace / "data" / "cards" / "all.yaml"
    drafted.write_text(drafted.read_text(encoding="utf-8").replace("  es: ''", "  es: todas", 1), encoding="utf-8")
    again = deck.load(workspace)
    assert [(c.id, c.phase, c.tags, c.term, c.front, c.back) for c in again] == [
        (c.id, c.phase, c.tags, c.term, c.front, c.back) for c in cards]


@pytest.mark.parametrize("target, words", [
    ("missing/dir/x.apkg", "does not exist"),
    ("out.xyz", "unknown format '.xyz'"),
    ("out", "unknown format '(no extension)'"),
])
def test_a_bad_export_path_is_one_line_exit_2_and_writes_nothing(workspace, tmp_path, target, words):
    before = tree_hash(workspace)
    r = lynx("cards", "--export", str(tmp_path / target), cwd=workspace)
    assert r.returncode == 2 and words in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / target).exists() and not (tmp_path / "missing").exists()
    assert tree_hash(workspace) == before


def test_import_drafts_a_deck_and_validate_lists_what_is_missing(workspace, tmp_path):
    from lynx.authoring.validate import card_rows

    src = tmp_path / "terms.csv"
    src.write_text("Term;Front;Back;Front (es);tags\n"
                   "Byte pair merge;What does one BPE merge do?;It fuses the most frequent adjacent pair.;"
                   "¿Qué hace una fusión BPE?;bpe\n"
                   "Merges;What sets BPE's vocabulary size?;The number of merges plus the base alphabet.;;\n",
                   encoding="utf-8")
    r = lynx("cards", "--import", str(src), "--deck", "tokenizers", "--phase", "13", cwd=workspace)
    assert r.returncode == 0, r.stderr
    said = " ".join(r.stdout.split())
    assert "tokenizers.yaml: 2 cards" in said and "lynx validate lists each of them" in said
    import yaml

    drafted = yaml.safe_load((workspace / "data/cards/tokenizers.yaml").read_text(encoding="utf-8"))
    last = max(int(c.split("-")[2]) for c in deck.card_ids(workspace) if c.startswith("c-13-") and c not in
               {x["id"] for x in drafted["cards"]})
    assert [c["id"] for c in drafted["cards"]] == [f"c-13-{last + 1:02d}", f"c-13-{last + 2:02d}"]
    assert drafted["cards"][0]["front"] == {"en": "What does one BPE merge do?", "es": "¿Qué hace una fusión BPE?"}
    problems = [row.message for row in card_rows(workspace, 1) if not row.ok]
    assert len(problems) == 6  # the title's, card 1's term and back, card 2's term, front and back: all in Spanish
    assert all("missing the `es` text" in p for p in problems)
    assert any("cards[1].front" in p for p in problems)
    r = lynx("cards", "--import", str(src), "--deck", "tokenizers", "--phase", "13", cwd=workspace)
    assert r.returncode == 2 and "already exists" in r.stderr


@pytest.mark.parametrize("content, words", [
    (b"\xff\xfe\x00bad", "not UTF-8"),
    (b"", "no rows"),
    (b"front_en,back_en\n", "a header row and no cards"),
    (b"question,answer\nq,a\n", "unknown column(s) question, answer"),
    (b"phase,front,back\n13,q,a\nxx,q,a\n", "row 3 has no phase"),
    (b"id,phase,front,back\nc-13-01,13,q,a\n", "card id c-13-01 is already used"),
    (b"id,phase,front,back\nc-14-99,13,q,a\n", "is not c-13-<nn>"),
])
def test_an_unreadable_csv_is_one_line_exit_2_and_writes_nothing(workspace, tmp_path, content, words):
    src = tmp_path / "bad.csv"
    src.write_bytes(content)
    before = tree_hash(workspace)
    r = lynx("cards", "--import", str(src), "--deck", "draft", cwd=workspace)
    assert r.returncode == 2 and words in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert tree_hash(workspace) == before
    r = lynx("cards", "--import", str(tmp_path / "none.csv"), "--deck", "draft", cwd=workspace)
    assert r.returncode == 2 and "cannot read it" in r.stderr
    r = lynx("cards", "--import", str(src), cwd=workspace)
    assert r.returncode == 2 and "--import needs --deck" in r.stderr


def test_an_edited_card_keeps_its_state_and_a_removed_one_is_kept_but_not_shown(workspace):
    review(workspace, "13", "\n3\n\n3\n\n3\n\n3\n")
    path = workspace / "data" / "cards" / "embeddings.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("What is x @ E, and why?", "What does x @ E give, and why?")   # an author edits c-13-01
    start = text.index("  - id: c-13-02")
    end = text.index("  - id: c-13-03")
    path.write_text(text[:start] + text[end:], encoding="utf-8")                     # and removes c-13-02
    s = json.loads(lynx("cards", "--stats", "--json", "--phase", "13", cwd=workspace, env=NOW).stdout)
    phase13 = len(deck.select(deck.load(workspace), phase="13"))
    assert s["cards"] == phase13 and s["review"] == 1 and s["new"] == phase13 - 1 and s["reviews"] == 2
    assert set(states(workspace)["cards"]) == {"c-13-01", "c-13-02"}  # kept, in case the card comes back
    r = lynx("cards", "--export", str(workspace.parent / "x.csv"), cwd=workspace, env=NOW)
    assert r.returncode == 0 and "c-13-02" not in (workspace.parent / "x.csv").read_text()
    later = {"LYNX_NOW": "2026-04-30T09:00:00+00:00"}
    r = lynx("cards", "--phase", "13", "--new", "0", cwd=workspace, input="\n3\n", env=later)
    assert r.returncode == 0, r.stderr
    assert re.findall(r"\[\d+/\d+\] (c-\d+-\d+)", r.stdout) == ["c-13-01"]
    assert "What does x @ E give, and why?" in " ".join(r.stdout.split())
    assert states(workspace)["cards"]["c-13-01"]["reps"] == 3


def test_validate_lists_cards_no_phase_refers_to(workspace):
    from lynx.authoring.validate import card_rows

    assert all(row.ok for row in card_rows(workspace, 1))
    path = workspace / "data" / "cards" / "embeddings.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + """
  - id: c-19-01
    phase: "19"
    term: {en: "Orphan", es: "Huérfana"}
    front: {en: "Which phase am I in?", es: "¿En qué fase estoy?"}
    back: {en: "None the course has.", es: "En ninguna del curso."}
""", encoding="utf-8")
    bad = [row for row in card_rows(workspace, 1) if not row.ok]
    assert [row.id for row in bad] == ["c-19-01"] and "phase '19'" in bad[0].message and "not a phase" in bad[0].message


def test_optimize_says_how_many_reviews_are_missing(workspace):
    review(workspace, "13", "\n3\n\n3\n\n3\n\n3\n")
    r = lynx("cards", "--optimize", cwd=workspace, env=NOW)
    assert r.returncode == 0, r.stderr
    assert "0 of the 512 it needs" in r.stdout and "512 more to go" in r.stdout
    r = lynx("cards", "--optimize", "--json", cwd=workspace, env=NOW)
    assert json.loads(r.stdout) | {"parameters": None} == {
        "fitted": False, "usable_reviews": 0, "needed": 512, "missing": 512, "logged_reviews": 4, "parameters": None}
    assert "fitted" not in states(workspace)


def synthetic_log(ws: Path, cards: list, per_card: int, seed: int = 5) -> int:
    """A learner's log written through lynx's own review function: each card reviewed when due, mostly Good."""
    from lynx.activities import scheduling
    from lynx.learner import cardstates
    from lynx.learner.cardstates import CardStates

    rng = random.Random(seed)
    data = CardStates()
    t0 = datetime(2025, 6, 1, 9, tzinfo=timezone.utc)
    for i, c in enumerate(cards):
        at = t0 + timedelta(hours=i)
        for _ in range(per_card):
            e = scheduling.review(data, c.id, 1 if rng.random() < 0.15 else 3, at, ms=rng.randint(2000, 9000))
            at = max(at + timedelta(days=1), scheduling.parse(e.due)) + timedelta(hours=rng.randint(0, 30))
    cardstates.save(ws / "learners" / "borja", data)
    return len(data.log)


@pytest.mark.slow
def test_optimize_fits_the_parameters_to_a_log_of_600_reviews(workspace):
    pytest.importorskip("torch", reason="the optimizer extra is not installed (pip install '.[optimizer]')")
    pytest.importorskip("pandas", reason="the optimizer extra is not installed (pip install '.[optimizer]')")
    from fsrs.scheduler import DEFAULT_PARAMETERS

    cards = deck.load(workspace)[:60]
    assert synthetic_log(workspace, cards, 10) == 600
    r = lynx("cards", "--optimize", "--json", cwd=workspace, env=NOW, timeout=900)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["fitted"] is True and out["usable_reviews"] >= 512 and len(out["parameters"]) == 21
    assert out["parameters"] != list(DEFAULT_PARAMETERS)
    fitted = states(workspace)["fitted"]
    assert fitted["parameters"] == out["parameters"] and fitted["reviews"] == out["usable_reviews"]
    assert len(states(workspace)["log"]) == 600  # the log is kept as it was
    assert json.loads(lynx("cards", "--stats", "--json", cwd=workspace, env=NOW).stdout)["fitted"] is True
    # The fitted parameters schedule the next review.
    r = lynx("cards", "--phase", "17", "--new", "1", cwd=workspace, input="\n3\n", env=NOW)
    assert r.returncode == 0, r.stderr
    assert "Reviewed 1 · Again 0 · Hard 0 · Good 1" in r.stdout
