"""Typed answers in `lynx cards --test`: forgiving about form, strict about content."""

from __future__ import annotations

from pathlib import Path

import pytest

from lynx.activities import card_games as review
from lynx.content import deck

CARDS = {c.id: c for c in deck.load(Path(__file__).resolve().parents[2])}


@pytest.mark.parametrize("answer, cid, ok", [
    ("Tied embeddings", "c-13-03", True),
    ("  tied   EMBEDINGS ", "c-13-03", True),      # spacing, case, one typo
    ("embeddings atados", "c-13-03", True),        # the Spanish term
    ("mask causal", "c-15-16", True),              # every content word, any order
    ("máscara causal", "c-15-16", True),
    ("embeddings", "c-13-03", False),              # part of the term is not the term
    ("causal", "c-15-16", False),
    ("", "c-15-16", False),
    ("scaled dot-product attention", "c-15-02", False),
])
def test_term_matches(answer, cid, ok):
    assert review.term_matches(answer, CARDS[cid]) is ok


def test_redacted_definitions_do_not_give_the_term_away():
    c = CARDS["c-14-04"]
    shown = review.redact(c.back["en"], c)
    assert "Dilated" not in shown and "convolutions" not in shown and "____" in shown
