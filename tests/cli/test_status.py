"""On a course bigger than a screen, status is about the learner: touched phases, the next one, a pointer."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from kit import REPO, lynx


def test_status_on_a_forty_phase_course(tmp_path):
    course = tmp_path / "big"
    subprocess.run([sys.executable, str(REPO / "benchmarks/make_course.py"), str(course), "--phases", "40",
                    "--breaks", "80"], check=True, capture_output=True)
    ws = tmp_path / "ws"
    r = lynx("init", str(ws), "--learner", "p", "--from", str(course), "--yes")
    assert r.returncode == 0, r.stderr
    st = json.loads(lynx("status", "--json", cwd=ws).stdout)
    assert st["phases_total"] >= 40
    assert [p["id"] for p in st["phases"]] == ["13"]  # nothing touched yet: only the next phase
    assert lynx("break", "13", "--predict", "x", cwd=ws).returncode == 0
    assert lynx("fix", "--apply", cwd=ws).returncode == 0
    assert lynx("done", "-c", "y", cwd=ws).returncode == 0
    text = lynx("status", cwd=ws).stdout
    assert re.search(r"(?m)^\s*13\s", text) and "more phases: lynx phases lists them all" in text
    phases = json.loads(lynx("phases", "--json", cwd=ws).stdout)["phases"]
    assert len(phases) == st["phases_total"]


def _cards_of(status: dict, pid: str) -> int:
    return next(p["cards_total"] for p in status["phases"] if p["id"] == pid)


def test_status_card_counts_follow_deck_edits_on_a_big_course(tmp_path):
    """Status counts a shown phase's cards from one cached index of the decks: a deck edited in place, a new
    deck and a removed deck all show at once (the index is checked against a listing of data/cards/)."""
    course = tmp_path / "big"
    subprocess.run([sys.executable, str(REPO / "benchmarks/make_course.py"), str(course), "--phases", "40",
                    "--breaks", "80"], check=True, capture_output=True)
    ws = tmp_path / "ws"
    assert lynx("init", str(ws), "--learner", "p", "--from", str(course), "--yes").returncode == 0
    (ws / "learners" / "p" / "phase-100").mkdir(parents=True)  # the learner touched phase 100
    st = json.loads(lynx("status", "--json", cwd=ws).stdout)
    assert [p["id"] for p in st["phases"]] == ["13", "100"]
    assert _cards_of(st, "100") == 4 and _cards_of(st, "13") == 14

    deck = ws / "data" / "cards" / "generated-100.yaml"
    text = deck.read_text(encoding="utf-8")
    extra = text[text.index("- id: c-100-01"):text.index("- id: c-100-02")].replace("c-100-01", "c-100-09")
    deck.write_text(text + extra, encoding="utf-8")  # in place: the folder's mtime does not change
    assert _cards_of(json.loads(lynx("status", "--json", cwd=ws).stdout), "100") == 5

    moved = ws / "data" / "cards" / "generated-100-more.yaml"
    moved.write_text(text.replace("generated-100", "generated-100-more").replace("c-100-0", "c-100-1"),
                     encoding="utf-8")
    assert _cards_of(json.loads(lynx("status", "--json", cwd=ws).stdout), "100") == 9

    deck.unlink()
    moved.unlink()
    assert _cards_of(json.loads(lynx("status", "--json", cwd=ws).stdout), "100") == 0
