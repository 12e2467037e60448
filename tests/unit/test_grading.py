"""Reading and grading answers, and the canonical quiz's shape."""

from __future__ import annotations

import re

import pytest

from lynx.activities.grading import Answer, InvalidAnswer, grade, parse
from lynx.content.answer_key import AnswerKey, Concept
from lynx.content.fields import normalize
from lynx.content.quiz import Option, Question, load_quiz
from kit import QUIZ_FILE, REPO

T = {"en": "t", "es": "t"}


def q(kind: str, correct: tuple[int, ...] = (), n: int = 4, expect=()) -> Question:
    options = tuple(Option(text={"en": f"o{i}", "es": f"o{i}"}, correct=i in correct) for i in range(n))
    key = AnswerKey(tuple(Concept(g) for g in expect)) if kind == "free" else None
    return Question(id="q-13-01", kind=kind, topic=T, prompt=T, explanation=T,
                    options=options if kind != "free" else (), key=key)


def test_single_by_letter_or_number_with_shuffle() -> None:
    question = q("single", (2,))
    assert parse(question, " C ").chosen == (2,)
    assert parse(question, "3").chosen == (2,)
    order = [3, 2, 1, 0]  # shown a) is option 3
    assert parse(question, "b", order).chosen == (2,)
    assert grade(question, parse(question, "b", order)).correct
    assert not grade(question, parse(question, "a", order)).correct


@pytest.mark.parametrize("raw", ["", "   ", "e", "5", "0", "a,b", "ab", "x1"])
def test_single_invalid(raw: str) -> None:
    with pytest.raises(InvalidAnswer) as exc:
        parse(q("single", (0,)), raw)
    assert exc.value.reason["en"] and exc.value.reason["es"]


def test_multi_all_or_nothing_with_partial_credit() -> None:
    question = q("multi", (0, 2, 3), n=5)
    full = grade(question, parse(question, "a, c ,d"))
    assert full.correct and (full.right_picks, full.wrong_picks) == (3, 0)
    assert grade(question, parse(question, "d c a a")).correct, "order and repeats do not matter"
    part = grade(question, parse(question, "a,c,e"))
    assert not part.correct and (part.right_picks, part.wrong_picks) == (2, 1)
    assert not grade(question, parse(question, "1;3")).correct
    with pytest.raises(InvalidAnswer):
        parse(question, "a,f")


def test_free_keywords_case_accent_and_synonyms() -> None:
    question = q("free", expect=({"en": ("collapse", "collapsed"), "es": ("colapso",)},
                                 {"en": ("rank",), "es": ("rango",)}))
    assert grade(question, Answer("Rank COLLAPSE")).correct
    assert grade(question, Answer("el rango colapsó"), "es").correct, "accents ignored: colapsó ~ colapso"
    assert grade(question, Answer("rango: collapse"), "es").correct, "synonyms of either language count"
    miss = grade(question, Answer("it collapsed"), "es")
    assert not miss.correct and miss.missing == ("rango",)
    # A one-letter answer is a (wrong) answer, not an invalid one: it must not be re-asked forever.
    assert parse(question, "a").raw == "a" and not grade(question, Answer("a")).correct
    assert normalize("  Ñandú  Él ") == "nandu el"


def test_canonical_quiz_shape() -> None:
    quiz = load_quiz(REPO / QUIZ_FILE)
    assert quiz.id == "phase-13" and quiz.phase == "13"
    ids = [x.id for x in quiz.questions]
    assert len(ids) >= 10
    assert ids == [f"q-13-{i:02d}" for i in range(1, len(ids) + 1)]
    assert {x.kind for x in quiz.questions} == {"single", "multi", "free"}
    for x in quiz.questions:
        for value in (x.topic, x.prompt, x.explanation, *(o.text for o in x.options)):
            assert value["en"].strip() and value["es"].strip()
            assert value["en"] != value["es"] or re.fullmatch(r"[`()\d, A-Za-z_@.:\[\]-]+", value["en"]), value
        for group in x.expect:
            assert group["en"] and group["es"]
        # Each free answer keyword, said on its own, is graded right in both languages.
        for lang in ("en", "es"):
            if x.kind == "free":
                assert grade(x, Answer(" ".join(g[lang][0] for g in x.expect)), lang).correct
