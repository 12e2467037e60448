"""`lynx cards` driven as a learner would: pexpect in a real workspace made by `lynx init`."""

from __future__ import annotations

import json
import re
import sys
from datetime import timedelta
from pathlib import Path

import pexpect
import pytest

from lynx.activities import card_games as review
from lynx.content import deck
from lynx.core import clock as cardmod
from kit import ENV, lynx

DAY0 = "2026-03-02T09:00:00+00:00"


def spawn(ws: Path, *args: str, now: str = DAY0, lang: str | None = None) -> pexpect.spawn:
    env = {**ENV, "LYNX_NOW": now, "TERM": "xterm"}  # a pty has a terminal type, even on CI
    child = pexpect.spawn(sys.executable, ["-m", "lynx", "cards", *args], cwd=str(ws), env=env,
                          encoding="utf-8", timeout=30, dimensions=(50, 120))
    return child


def stats(ws: Path, now: str, *args: str) -> dict:
    r = lynx("cards", "--stats", "--json", *args, cwd=ws, env={"LYNX_NOW": now})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def states(ws: Path) -> dict:
    return json.loads((ws / "learners" / "borja" / "cards.json").read_text())


def later(days: float) -> str:
    return cardmod.iso(cardmod.parse(DAY0) + timedelta(days=days))


def test_review_session_rates_and_schedules(workspace):
    child = spawn(workspace, "--phase", "13", "--new", "2")
    seen = []
    ratings = {"c-13-01": ["3", "3"], "c-13-02": ["1", "3", "3"]}  # 02: Again first, then two Goods graduate it
    while True:
        i = child.expect([r"\[\d+/\d+\] (c-\d+-\d+)", r"Done for today: (\d+) reviews"])
        if i == 1:
            assert child.match.group(1) == "5"
            child.expect(pexpect.EOF)
            break
        cid = child.match.group(1)
        seen.append(cid)
        child.expect("Enter shows the answer")
        child.sendline("")
        child.expect(re.escape(deck.load(workspace)[int(cid[-2:]) - 1].back["en"][:40]))
        child.expect("How well did you recall it")
        child.sendline(ratings[cid].pop(0))
        child.expect(r"(again|good) → next in")
    assert seen == ["c-13-01", "c-13-02", "c-13-01", "c-13-02", "c-13-02"]
    child.close()
    assert child.exitstatus == 0
    data = states(workspace)
    assert {cid: e["fsrs"]["state"] for cid, e in data["cards"].items()} == {"c-13-01": 2, "c-13-02": 2}
    assert [r["rating"] for r in data["log"]] == [3, 1, 3, 3, 3]
    s = stats(workspace, DAY0, "--phase", "13")
    phase13 = len(deck.select(deck.load(workspace), phase="13"))
    assert (s["new"], s["due_today"], s["reviews_today"]) == (phase13 - 2, 0, 5)
    assert stats(workspace, later(30), "--phase", "13")["due_today"] == 2
    # The daily limit held: on the same day no new card is offered any more.
    child = spawn(workspace, "--phase", "13", "--new", "2")
    child.expect("Nothing to review now")
    child.expect(pexpect.EOF)


def test_learn_repeats_a_card_until_recalled_in_spanish(workspace):
    child = spawn(workspace, "--learn", "--count", "2", "--phase", "14", "--lang", "es")
    answers = iter(["n", "y", "y"])
    order = []
    for _ in range(3):
        child.expect(r"\[\d+/2\] (c-14-\d+)")
        order.append(child.match.group(1))
        child.expect("Intro muestra la respuesta")
        child.sendline("")
        child.expect("¿Lo recordabas")
        child.sendline(next(answers))
    child.expect(pexpect.EOF)
    assert order == ["c-14-01", "c-14-02", "c-14-01"]
    assert [r["rating"] for r in states(workspace)["log"]] == [1, 3, 3]


def test_generated_test_counts_right_and_wrong_and_brings_misses_back_tomorrow(workspace):
    pool = deck.load(workspace)
    chosen = deck.select(pool, phase="15")
    questions = review.make_test(chosen, pool, 6, __import__("random").Random(11))
    kinds = [q.kind for q in questions]
    assert "choice" in kinds and "typed" in kinds
    child = spawn(workspace, "--test", "--count", "6", "--phase", "15", "--seed", "11")
    wrong = questions[0].card.id  # answer the first question wrongly, the rest rightly
    for i, q in enumerate(questions):
        child.expect(rf"\[{i + 1}/6\] {q.card.id}")
        if q.kind == "choice":
            child.expect(r"Your answer \(a-d")
            right = "abcd"[[o.id for o in q.options].index(q.card.id)]
            child.sendline(right if i else "abcd"[("abcd".index(right) + 1) % 4])
        else:
            child.expect("Which term is this")
            child.expect("> ")
            term = q.card.term["en"]
            child.sendline(term.lower().replace(" ", "  ") if i else "no idea")
        child.expect("Not quite" if i == 0 else "Right")
    child.expect("5/6")
    child.expect(pexpect.EOF)
    session = states(workspace)["sessions"][-1]
    assert session["mode"] == "test" and session["missed"] == [wrong] and session["correct"] == 5
    assert stats(workspace, DAY0, "--phase", "15")["due_today"] == 0
    assert stats(workspace, later(1), "--phase", "15")["due_today"] == 1


def test_match_rounds(workspace):
    cards = deck.select(deck.load(workspace), phase="16")
    rounds = review.match_rounds(cards, 2, 5, 4)
    child = spawn(workspace, "--match", "--phase", "16", "--seed", "4")
    for r, (terms, defs) in enumerate(rounds, 1):
        child.expect(f"Round {r}")
        for n, c in enumerate(terms, 1):
            child.expect(re.escape(f"{n}. {c.term['en']}"))
        if r == 1:  # one wrong pair first
            wrong = "abcde"[(defs.index(terms[0]) + 1) % 5]
            child.expect("Pair a number")
            child.sendline(f"1{wrong}")
            child.expect(f"✗ 1{wrong}")
        for n, c in enumerate(terms, 1):
            child.expect("Pair a number")
            letter = "abcde"[defs.index(c)]
            child.sendline(f"{n}{letter}")
            child.expect(f"✓ {n}{letter}")
    child.expect("10 ✓  1 ✗")
    child.expect(pexpect.EOF)
    assert states(workspace)["sessions"][-1]["mistakes"] == 1


def test_a_missed_quiz_question_shows_up_due_the_next_day(workspace):
    from lynx.content import quiz

    qpath = next((workspace / "data" / "quizzes").glob("phase-13-*.yaml"))
    q = quiz.load_quiz(qpath).question("q-13-01")
    if not q.cards:  # give the question a card in this workspace if the course has not yet
        text = qpath.read_text(encoding="utf-8")
        qpath.write_text(text.replace("  - id: q-13-01\n", "  - id: q-13-01\n    cards: [c-13-01]\n", 1), encoding="utf-8")
        q = quiz.load_quiz(qpath).question("q-13-01")
    wrong = "abcdefgh"[min(set(range(len(q.options))) - set(q.correct_indices))]
    r = lynx("quiz", "phase-13", "--json", cwd=workspace, input=json.dumps({"q-13-01": wrong}))
    assert r.returncode in (0, 1), r.stderr
    import yaml

    attempt = yaml.safe_load((workspace / "learners/borja/phase-13/quiz.yaml").read_text())["attempts"][-1]
    missed_at = cardmod.parse(attempt["started"])
    same_day = stats(workspace, cardmod.iso(missed_at), "--phase", "13")
    next_day = stats(workspace, cardmod.iso(missed_at + timedelta(days=1)), "--phase", "13")
    assert same_day["due_today"] == 0
    assert next_day["due_today"] == len(q.cards)  # only the answered-and-wrong question counts
    child = spawn(workspace, "--phase", "13", "--new", "0", now=cardmod.iso(missed_at + timedelta(days=1)))
    child.expect(rf"\[1/{len(q.cards)}\] {q.cards[0]} .* due")
    child.sendline("q")
    child.expect(pexpect.EOF)


def test_a_break_marked_wrong_brings_its_cards_back(workspace):
    import shutil

    bdir = next((workspace / "breaks").glob("13-00-*"))
    text = (bdir / "break.yaml").read_text(encoding="utf-8")
    if "\ncards:" not in text:
        (bdir / "break.yaml").write_text(text.rstrip("\n") + "\ncards: [c-13-05]\n", encoding="utf-8")
    cards = [c for c in re.findall(r"c-13-\d+", (bdir / "break.yaml").read_text())]
    progress = {"learner": "borja", "builds": {}, "breaks": {"13-00": {"hints": 1, "attempts": [
        {"started": "2026-03-02T08:00:00+00:00", "ended": "2026-03-02T08:30:00+00:00", "outcome": "fixed",
         "hints": 1, "prediction": "loss goes down", "calibration": "n"}]}}}
    (workspace / "learners/borja/progress.json").write_text(json.dumps(progress))
    assert stats(workspace, DAY0, "--phase", "13")["due_today"] == 0
    assert stats(workspace, later(1), "--phase", "13")["due_today"] == len(set(cards))
    progress["breaks"]["13-00"]["attempts"][0]["calibration"] = "y"
    (workspace / "learners/borja/progress.json").write_text(json.dumps(progress))
    assert stats(workspace, later(1), "--phase", "13")["due_today"] == 0


def test_filters_that_match_nothing_and_conflicting_modes_are_one_line_errors(workspace):
    r = lynx("cards", "--tag", "nope", cwd=workspace)
    assert r.returncode == 2 and "no card matches tag 'nope'" in r.stderr and "Traceback" not in r.stderr
    r = lynx("cards", "--test", "--match", cwd=workspace)
    assert r.returncode == 2 and "only one of" in r.stderr
    r = lynx("cards", "--stats", cwd=workspace, env={"LYNX_NOW": "yesterday"})
    assert r.returncode == 2 and "LYNX_NOW" in r.stderr


@pytest.mark.parametrize("content, problem", [
    ('{"cards": {"c-13-01": 5}}', "card c-13-01 has an unexpected shape"),
    ('{"cards": [', "is corrupt"),
    ('[1, 2]', "unexpected shape"),
])
def test_a_damaged_cards_file_is_a_one_line_error(workspace, content, problem):
    (workspace / "learners/borja/cards.json").write_text(content)
    for args in (("--stats",), ("--phase", "13")):
        r = lynx("cards", *args, cwd=workspace)
        assert r.returncode == 2 and problem in r.stderr and "lynx recover" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr


def test_daily_new_card_limit_from_lynx_toml(workspace):
    toml = workspace / "lynx.toml"
    toml.write_text(toml.read_text().replace("[workspace]\n", "[workspace]\nnew_cards_per_day = 1\n"))
    r = lynx("cards", "--phase", "14", cwd=workspace, input="\n3\n\n3\n", env={"LYNX_NOW": DAY0})
    assert r.returncode == 0, r.stderr
    assert re.findall(r"\[\d+/\d+\] (c-\d+-\d+)", r.stdout) == ["c-14-01", "c-14-01"]  # one new card, seen twice
    toml.write_text(toml.read_text().replace("new_cards_per_day = 1", "new_cards_per_day = -3"))
    r = lynx("cards", "--phase", "14", cwd=workspace, input="")
    assert r.returncode == 2 and "new_cards_per_day" in r.stderr


def test_status_and_cards_agree_after_a_quiz_and_share_the_parse_cache(workspace):
    """`lynx status` (which caches its own parse of the same quiz files) runs first; the counts still agree."""
    from lynx.content import quiz

    q13 = quiz.load_quiz(next((workspace / "data" / "quizzes").glob("phase-13-*.yaml")))
    q = next(q for q in q13.questions if q.cards and q.kind == "single")
    wrong = "abcdefgh"[min(set(range(len(q.options))) - set(q.correct_indices))]
    assert lynx("quiz", "phase-13", "--json", cwd=workspace, input=json.dumps({q.id: wrong})).returncode in (0, 1)
    import yaml

    started = yaml.safe_load((workspace / "learners/borja/phase-13/quiz.yaml").read_text())["attempts"][-1]["started"]
    tomorrow = {"LYNX_NOW": cardmod.iso(cardmod.parse(started) + timedelta(days=1))}
    for _ in range(2):  # the second time from the caches
        st = lynx("status", "--json", cwd=workspace, env=tomorrow)
        assert st.returncode == 0, st.stderr
        phase13 = next(p for p in json.loads(st.stdout)["phases"] if p["id"] == "13")
        cs = lynx("cards", "--stats", "--json", "--phase", "13", cwd=workspace, env=tomorrow)
        assert cs.returncode == 0, cs.stderr
        assert phase13["cards_due"] == json.loads(cs.stdout)["due_today"] == len(q.cards)
