"""The decks as shipped: they load, cover phases 13-17 in both languages, and every reference to a card resolves."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lynx.content import deck
from lynx.content.fields import ContentError

REPO = Path(__file__).resolve().parents[2]


def test_decks_load_and_cover_phases_13_to_17():
    cards = deck.load(REPO)
    assert len(cards) >= 55
    by_phase = {}
    for c in cards:
        by_phase.setdefault(c.phase, []).append(c)
        assert c.term["en"].strip() and c.term["es"].strip(), c.id  # names like TextCNN stay the same
        for field in (c.front, c.back):
            assert field["en"].strip() and field["es"].strip() and field["en"] != field["es"], c.id
    assert set(by_phase) == {"13", "14", "15", "16", "17"}
    # Seed 002's 47 questions live in phases 14-17 (one card each, one seed question split in two).
    assert sum(len(by_phase[p]) for p in ("14", "15", "16", "17")) >= 47
    assert len({c.term["en"] for c in cards}) == len(cards), "terms must be unique: --match pairs them"


def test_every_card_reference_in_quizzes_and_breaks_exists():
    assert [e.line() for e in deck.check(REPO)] == []


def test_filters():
    cards = deck.load(REPO)
    assert {c.phase for c in deck.select(cards, phase="15")} == {"15"}
    assert all("attention" in c.tags for c in deck.select(cards, tag="attention"))
    assert deck.select(cards, phase="15", tag="lookup") == []


@pytest.mark.parametrize("change, problem", [
    (lambda t: t.replace("id: c-13-02", "id: c-13-01", 1), "duplicate card id c-13-01"),
    (lambda t: t.replace("id: c-13-02", "id: card-2", 1), "bad card id"),
    (lambda t: t.replace('phase: "13"', 'phase: "14"', 1), "says phase"),
    (lambda t: t.replace("es: \"Una refactorización", "fr: \"Une", 1), "missing the `es` text"),
])
def test_broken_decks_name_the_file_and_field(tmp_path, change, problem):
    (tmp_path / "data" / "cards").mkdir(parents=True)
    src = (REPO / "data" / "cards" / "embeddings.yaml").read_text(encoding="utf-8")
    (tmp_path / "data" / "cards" / "embeddings.yaml").write_text(change(src), encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        deck.load(tmp_path)
    assert problem in exc.value.line() and "embeddings.yaml" in exc.value.line()


def test_card_ids_are_unique_across_decks(tmp_path):
    shutil.copytree(REPO / "data" / "cards", tmp_path / "data" / "cards")
    shutil.copy(tmp_path / "data" / "cards" / "embeddings.yaml", tmp_path / "data" / "cards" / "zz-copy.yaml")
    with pytest.raises(ContentError, match="also used in embeddings.yaml"):
        deck.load(tmp_path)


def test_check_reports_references_to_missing_cards(tmp_path):
    for part in ("data", "breaks"):
        shutil.copytree(REPO / part, tmp_path / part)
    assert deck.check(tmp_path) == []
    quiz = next((tmp_path / "data" / "quizzes").glob("phase-13-*.yaml"))
    text = quiz.read_text(encoding="utf-8")
    assert "c-13-01" in text
    quiz.write_text(text.replace("c-13-01", "c-13-99", 1), encoding="utf-8")
    errors = deck.check(tmp_path)
    assert len(errors) == 1 and "no flashcard 'c-13-99'" in errors[0].line() and quiz.name in errors[0].line()
