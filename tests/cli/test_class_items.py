"""`lynx class --items` against a class of five computed by hand: the quiz, the break loop and the flashcards
written by the real commands (the card lapses and one scored prediction written into the learners' files, as
they are stored), pushed to bare repositories."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from kit import QUIZ_FILE, git, lynx, push_all, quiz_answers


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


@pytest.fixture(scope="module")
def klass(template_for, tmp_path_factory):
    from lynx.content import quiz

    root = tmp_path_factory.mktemp("items")
    q1 = quiz.load_quiz(template_for("l1") / QUIZ_FILE).question("q-13-01")
    x, y = sorted(set(range(len(q1.options))) - set(q1.correct_indices))[:2]
    ws = {}
    for name in ("l1", "l2", "l3", "l4", "l5"):
        ws[name] = root / name
        shutil.copytree(template_for(name), ws[name], symlinks=True)

    def take(name: str, wrong: int | None) -> None:
        answers = quiz_answers(ws[name], wrong={"q-13-01": wrong} if wrong is not None else None)
        r = lynx("quiz", "phase-13", "--json", cwd=ws[name], input=json.dumps(answers))
        assert r.returncode in (0, 1), r.stderr

    take("l1", None)
    take("l1", x)          # a second attempt: only the first answer counts
    take("l2", x)
    take("l3", x)
    take("l4", y)

    def brk(name: str, how: str, calibration: str | None, prediction: str, hints: int = 0) -> None:
        assert lynx("break", "13-00", "--predict", prediction, cwd=ws[name]).returncode == 0
        for _ in range(hints):
            assert lynx("hint", cwd=ws[name]).returncode == 0
        if how == "abort":
            assert lynx("abort", cwd=ws[name]).returncode == 0
            return
        if how == "solution":
            assert lynx("fix", "--apply", cwd=ws[name]).returncode == 0
        else:
            git("apply", "-R", str(next(ws[name].glob("breaks/13-00-*/break.patch"))), cwd=ws[name])
        r = lynx("done", "--calibration", calibration, cwd=ws[name])
        assert r.returncode == 0, r.stderr

    brk("l1", "solution", "n", "It will crash in the loss!")
    brk("l2", "fixed", "y", "the logits have the wrong width", hints=1)
    brk("l3", "solution", "n", "it will CRASH, in the loss")
    brk("l4", "abort", None, "nothing changes")
    # l2's prediction was scored (a confidence of 80%, the field another version of lynx writes)
    edit_json(ws["l2"] / "learners/l2/progress.json",
              lambda d: d["breaks"]["13-00"]["attempts"][0].update(confidence=80))
    # card states as lynx stores them: l1 forgot c-13-01 twice, l2 forgot c-13-02 once
    card = {"fsrs": {"due": "2026-12-01T00:00:00+00:00", "state": 2, "stability": 3.0,
                     "last_review": "2026-11-20T00:00:00+00:00"}, "introduced": "2026-11-01T00:00:00+00:00", "reps": 5}
    for name, cards in (("l1", {"c-13-01": 2}), ("l2", {"c-13-01": 0, "c-13-02": 1})):
        path = ws[name] / f"learners/{name}/cards.json"
        path.write_text(json.dumps({"version": 1, "cards": {c: {**card, "lapses": n} for c, n in cards.items()},
                                    "log": [], "sessions": []}))
    for name in ws:
        git("add", "-A", cwd=ws[name])
        if git("status", "--porcelain", cwd=ws[name]).strip():
            git("commit", "-q", "-m", "my work", cwd=ws[name])
        push_all(ws[name], root / f"{name}.git")
    return {"root": root, "wrong": "abcdefgh"[x], "text": q1.options[x].text["en"]}


def items(k, *args: str) -> str:
    r = lynx("class", "--items", *args, *(a for n in ("l1", "l2", "l3", "l4", "l5") for a in ("--remote", str(k["root"] / f"{n}.git"))),
             "--cache", str(k["root"] / "cache"), cwd=k["root"])
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_items_match_the_class_computed_by_hand(klass):
    doc = json.loads(items(klass, "--json"))
    q = {x["id"]: x for x in doc["questions"]}
    assert (q["q-13-01"]["answered"], q["q-13-01"]["correct"], q["q-13-01"]["share_correct"]) == (4, 1, 0.25)
    assert (q["q-13-01"]["wrong_answer"], q["q-13-01"]["wrong_count"]) == (klass["wrong"], 2)
    assert q["q-13-01"]["wrong_text"] == klass["text"]
    assert (q["q-13-02"]["answered"], q["q-13-02"]["share_correct"], q["q-13-02"]["wrong_answer"]) == (4, 1.0, None)
    assert doc["questions"][0]["share_correct"] <= doc["questions"][-1]["share_correct"]  # the most missed first
    b = {x["id"]: x for x in doc["breaks"]}["13-00"]
    assert (b["tried"], b["done"], b["with_solution"], b["mean_hints"]) == (4, 3, 2, 0.25)
    assert (b["rated"], b["predicted_right"], b["share_predicted_right"]) == (3, 1, 0.333)
    assert b["brier"] == 0.04  # (0.8 - 1)^2, l2's one scored prediction
    assert b["wrong_predictions"][0]["count"] == 2  # "It will crash in the loss!" and "it will CRASH, in the loss"
    assert b["wrong_predictions"][0]["prediction"] in ("It will crash in the loss!", "it will CRASH, in the loss")
    c = {x["id"]: x for x in doc["cards"]}
    assert (c["c-13-01"]["learners"], c["c-13-01"]["lapses"], c["c-13-01"]["with_lapses"]) == (2, 2, 1)
    assert (c["c-13-02"]["learners"], c["c-13-02"]["lapses"], c["c-13-02"]["with_lapses"]) == (1, 1, 1)
    assert doc["cards"][0]["id"] == "c-13-01"


def test_items_as_tables_and_one_csv(klass):
    text = items(klass, "--lang", "es")
    assert "q-13-01" in text and "13-00" in text and "c-13-01" in text and "Preguntas" in text
    rows = list(csv.DictReader(io.StringIO(items(klass, "--csv"))))
    by = {(r["kind"], r["id"]): r for r in rows}
    assert by[("question", "q-13-01")]["share_correct"] == "0.25"
    assert by[("break", "13-00")]["done"] == "3" and by[("break", "13-00")]["brier"] == "0.04"
    assert by[("card", "c-13-01")]["lapses"] == "2"
