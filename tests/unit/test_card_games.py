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


def test_the_word_a_blank_hides_is_an_answer():
    """`____ requires the input and output vocabularies to be the same size.` hides "Tying": "tying" is right."""
    c = CARDS["c-13-05"]
    shown, hidden = review.blanked(c.back["en"], c)
    assert "____ requires the input and output" in shown and "Tying" not in shown
    assert "Tying" in hidden
    pool = list(CARDS.values())
    assert review.term_matches("tying", c, hidden, pool)
    assert review.term_matches("Tyng", c, hidden, pool)                     # one typo
    assert review.term_matches("tying forces one vocabulary", c, hidden, pool)
    assert not review.term_matches("tying", c)                              # without the blank, a part is not the term
    assert not review.term_matches("tied embeddings", c, hidden, pool)      # a different card's term
    assert not review.term_matches("embeddings", c, hidden, pool)


def test_words_next_to_each_other_make_one_blank():
    c = CARDS["c-14-04"]  # Dilated convolutions
    shown, hidden = review.blanked("Dilated convolutions grow the receptive field.", c)
    assert shown == "____ grow the receptive field." and hidden == ["Dilated convolutions"]


@pytest.mark.parametrize("answer, cid, ok", [
    ("Máscara causal", "c-15-16", True),          # accents and case
    ("the casual mask", "c-15-16", True),         # a transposition
    ("scaled dot product attention", "c-15-02", False),
    ("Multi-head attention", "c-15-10", False),   # another card's term (c-15-10: Multi-head equations)
    ("multi-head equations", "c-15-10", True),
])
def test_different_terms_are_refused(answer, cid, ok):
    pool = list(CARDS.values())
    assert review.term_matches(answer, CARDS[cid], (), pool) is ok


def test_definitions_are_shortened_between_words():
    long = "The positional encoding (Proposed by Vaswani et al. in 2017) adds sines and cosines " * 4
    short = review.shorten(long, 60)
    assert len(short) <= 60 and short.endswith(" …")
    assert all(w in long.split() for w in short.removesuffix(" …").split())
