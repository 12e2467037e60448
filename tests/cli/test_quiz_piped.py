"""`lynx quiz` with stdin not a terminal: answers piped in one per line, and scripted JSON (--json)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kit import attempts
from kit import lynx as _lynx


def lynx(*args, env=None, **kw):
    """The quiz runs wide, so each option stays on one line (as the assertions read it)."""
    return _lynx(*args, env={"COLUMNS": "200", **(env or {})}, **kw)

HEADER = re.compile(r"Question \d+ of \d+ · (q-13-\d\d)")


def blocks(stdout: str) -> list[tuple[str, str]]:
    """(question id, text up to the next question) for every question shown."""
    heads = list(HEADER.finditer(stdout))
    return [(m.group(1), stdout[m.end(): heads[i + 1].start() if i + 1 < len(heads) else len(stdout)])
            for i, m in enumerate(heads)]


def test_piped_answers_are_graded_against_the_shuffled_options(ws: Path, canonical: dict) -> None:
    n = len(canonical["questions"])
    # An empty and an invalid line are re-asked; then "1" (option a, or a wrong free answer) for each question.
    r = lynx("quiz", "phase-13", "--seed", "5", cwd=ws, input="\nq\n" + "1\n" * n)
    assert r.returncode == 0, r.stderr
    assert "please type an answer; try again." in r.stdout
    assert "'q' is not an option" in r.stdout
    [attempt] = attempts(ws)
    assert attempt["mode"] == "piped" and attempt["finished"] is True and attempt["total"] == n
    by_id = {q["id"]: q for q in canonical["questions"]}
    expected_score = 0
    for (qid, block), answer in zip(blocks(r.stdout), attempt["answers"]):
        q = by_id[qid]
        assert answer["id"] == qid and answer["given"] == "1"
        if q["kind"] == "free":
            assert answer["correct"] is False, "'1' contains no keyword"
            continue
        shown_a = re.search(r"^\s*a\) (.*?)\s*$", block, re.M).group(1)
        index = [re.sub(r"`([^`\n]+)`", r"\1", o["text"]["en"]).strip() for o in q["options"]].index(shown_a)
        assert answer["chosen"] == [index], "the recorded option is the one shown as a)"
        right = {i for i, o in enumerate(q["options"]) if o.get("correct")} == {index}
        assert answer["correct"] is right
        expected_score += right
    assert attempt["score"] == expected_score
    assert f"Score {expected_score}/{n}" in r.stdout


def test_same_seed_same_order_other_seed_other_order(ws: Path, canonical: dict) -> None:
    n = len(canonical["questions"])
    order = {}
    for seed in ("7", "7", "8"):
        r = lynx("quiz", "phase-13", "--seed", seed, cwd=ws, input="2\n" * n)
        assert r.returncode == 0
        order.setdefault(seed, []).append([(qid, b.split("Your answer")[0]) for qid, b in blocks(r.stdout)])
    assert order["7"][0] == order["7"][1], "questions and options in the same order"
    assert [q for q, _ in order["7"][0]] != [q for q, _ in order["8"][0]]
    assert sorted(q for q, _ in order["8"][0]) == sorted(q["id"] for q in canonical["questions"])


def test_answers_running_out_is_an_unfinished_attempt(ws: Path) -> None:
    r = lynx("quiz", "phase-13", "--seed", "1", cwd=ws, input="1\n2\n")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "unfinished attempt" in r.stdout
    [attempt] = attempts(ws)
    assert attempt["finished"] is False and len(attempt["answers"]) == 2


def test_attempts_are_appended_never_overwritten(ws: Path, canonical: dict) -> None:
    n = len(canonical["questions"])
    for seed in ("1", "2", "3"):
        assert lynx("quiz", "phase-13", "--seed", seed, cwd=ws, input="1\n" * n).returncode == 0
    assert [a["seed"] for a in attempts(ws)] == [1, 2, 3]


def _right_answers(canonical: dict) -> dict[str, str]:
    out = {}
    for q in canonical["questions"]:
        if q["kind"] == "free":
            out[q["id"]] = q["corpus"]["right"]["en"][0]
        else:
            out[q["id"]] = ",".join("abcdefgh"[i] for i, o in enumerate(q["options"]) if o.get("correct"))
    return out


def test_json_all_right(ws: Path, canonical: dict) -> None:
    r = lynx("quiz", "phase-13", "--json", cwd=ws, input=json.dumps(_right_answers(canonical)))
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    n = len(canonical["questions"])
    assert (result["score"], result["total"], result["finished"], result["to_review"]) == (n, n, True, [])
    assert attempts(ws)[0]["mode"] == "json"


def test_json_partial_credit_invalid_and_missing(ws: Path, canonical: dict) -> None:
    answers = _right_answers(canonical)
    multi = next(q for q in canonical["questions"] if q["kind"] == "multi")
    right = [i for i, o in enumerate(multi["options"]) if o.get("correct")]
    wrong = [i for i, o in enumerate(multi["options"]) if not o.get("correct")]
    answers[multi["id"]] = ["abcdefgh"[i] for i in right[:-1]] + ["abcdefgh"[wrong[0]]]  # a list works too
    single = [q for q in canonical["questions"] if q["kind"] == "single"]
    answers[single[0]["id"]] = "z"
    del answers[single[1]["id"]]
    free = next(q for q in canonical["questions"] if q["kind"] == "free")
    answers[free["id"]] = "NO IDEA"
    r = lynx("quiz", "phase-13", "--json", "--lang", "es", cwd=ws, input=json.dumps({"answers": answers}))
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    items = {x["id"]: x for x in result["questions"]}
    n = len(canonical["questions"])
    assert result["score"] == n - 4 and result["finished"] is False
    assert sorted(result["to_review"]) == sorted([multi["id"], single[0]["id"], single[1]["id"], free["id"]])
    assert items[multi["id"]]["partial"] == {"right": len(right) - 1, "of": len(right), "wrong": 1}
    assert items[multi["id"]]["correct"] is False
    assert items[single[0]["id"]]["valid"] is False and "no es una opción" in items[single[0]["id"]]["error"]
    assert items[single[1]["id"]]["given"] is None and items[single[1]["id"]]["error"] == "sin respuesta"
    assert items[free["id"]]["missing"] == [free["answer"]["concepts"][0]["es"][0]]
    assert items[free["id"]]["explanation"] == free["explanation"]["es"]
    [recorded] = attempts(ws)
    assert recorded["finished"] is False and recorded["total"] == n and recorded["score"] == n - 4
    assert single[1]["id"] not in [a["id"] for a in recorded["answers"]], "an unanswered question is not an answer"
    assert {"id": single[0]["id"], "given": "z", "chosen": [], "correct": False} in recorded["answers"]


def test_json_bad_input_is_one_line_exit_2(ws: Path) -> None:
    for stdin, words in (("{not json", "not valid JSON"), ('{"q-13-99": "a"}', "no question 'q-13-99'"),
                         ('[1, 2]', "expected a JSON mapping"), ('{"q-13-01": {"x": 1}}', "must be a string")):
        r = lynx("quiz", "phase-13", "--json", cwd=ws, input=stdin)
        assert r.returncode == 2, (stdin, r.stdout, r.stderr)
        assert r.stderr.count("\n") == 1 and words in r.stderr and "Traceback" not in r.stderr


def test_review_without_attempt_and_unknown_quiz(ws: Path) -> None:
    r = lynx("quiz", "phase-13", "--review", cwd=ws)
    assert r.returncode == 2 and "no earlier attempt" in r.stderr and r.stderr.count("\n") == 1
    r = lynx("quiz", "phase-99", cwd=ws)
    assert r.returncode == 2 and "no quiz 'phase-99'" in r.stderr
    r = lynx("quiz", "phase-13", "--lang", "fr", cwd=ws, input="")
    assert r.returncode == 2 and "unknown language" in r.stderr


def test_outside_a_workspace(tmp_path: Path) -> None:
    r = lynx("quiz", "phase-13", cwd=tmp_path)
    assert r.returncode == 2 and "not inside a lynx workspace" in r.stderr


def test_short_quiz_name_and_quizzes_list(ws: Path) -> None:
    r = lynx("quiz", "13", "--seed", "1", cwd=ws, input="1\n" * 20)
    assert r.returncode == 0
    r = lynx("quizzes", cwd=ws)
    assert r.returncode == 0 and "phase-13" in r.stdout
    r = lynx("quizzes", "--json", "--lang", "es", cwd=ws)
    [row] = [x for x in json.loads(r.stdout) if x["id"] == "phase-13"]
    assert row["attempts"] == 1 and row["best"]["total"] >= 10 and row["title"].startswith("Cuestionario")


def test_damaged_attempts_file_stops_before_the_first_question(ws: Path) -> None:
    path = ws / "learners" / "borja" / "phase-13" / "quiz.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("attempts: [unclosed\n", encoding="utf-8")
    r = lynx("quiz", "phase-13", cwd=ws, input="1\n" * 20)
    assert r.returncode == 2 and r.stdout == ""
    assert "quiz.yaml is damaged" in r.stderr and len(r.stderr.splitlines()) == 1
    assert path.read_text(encoding="utf-8") == "attempts: [unclosed\n", "never overwritten"
