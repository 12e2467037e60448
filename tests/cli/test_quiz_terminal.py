"""`lynx quiz` in a real pseudo-terminal (pexpect): a whole attempt, --review, Ctrl-C and Ctrl-D."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pexpect
import yaml
import pytest

from kit import attempts
from kit import env as lynx_env
from kit import lynx as _lynx


def lynx(*args, env=None, **kw):
    """The quiz runs wide, so each option stays on one line (as the assertions read it)."""
    return _lynx(*args, env={"COLUMNS": "200", **(env or {})}, **kw)


PROMPT = r"Your answers?[^\r\n]*> "
HEADER = re.compile(r"Question (\d+) of (\d+) · (q-\d+-\d+)")
OPTION = re.compile(r"^\s*([a-z])\) (.*?)\s*$", re.M)


def spawn(ws: Path, *args: str) -> pexpect.spawn:
    return pexpect.spawn(sys.executable, ["-m", "lynx", *args], cwd=str(ws), env=lynx_env(TERM="xterm", COLUMNS="200"),
                         encoding="utf-8", timeout=60, dimensions=(60, 200))


def screen(before: str) -> tuple[str, dict[str, str]]:
    """The question id and the shown options {letter: text} of the last question on screen."""
    block = before.replace("\r", "")
    last = list(HEADER.finditer(block))[-1]
    body = block[last.end():]
    return last.group(3), {m.group(1): m.group(2) for m in OPTION.finditer(body)}


def shown_as(text: str) -> str:
    """An option as the learner sees it: inline code without its backticks."""
    return re.sub(r"`([^`\n]+)`", r"\1", text).strip()


def answer_for(q: dict, shown: dict[str, str], right: bool) -> str:
    """What to type to get ``q`` right or wrong, given the options as shown (shuffled)."""
    if q["kind"] == "free":
        return q["corpus"]["right"]["en"][-1] if right else "no idea"
    correct = {shown_as(o["text"]["en"]) for o in q["options"] if o.get("correct")}
    good = sorted(k for k, v in shown.items() if v in correct)
    bad = sorted(k for k, v in shown.items() if v not in correct)
    assert len(good) == len(correct), (q["id"], shown)
    return ",".join(good) if right else bad[0]


def take(p: pexpect.spawn, questions: dict[str, dict], plan: list[bool], invalid_at: int | None = None) -> list[str]:
    """Answer every question following ``plan`` (True = right); return the ids in the order asked."""
    asked = []
    for n, right in enumerate(plan):
        p.expect(PROMPT)
        qid, shown = screen(p.before)
        asked.append(qid)
        if n == invalid_at:
            p.sendline("zz")
            p.expect("not an option")
            p.expect(PROMPT)
        p.sendline(answer_for(questions[qid], shown, right))
        p.expect(r"✓ Right\.|✗ Wrong\.")
        assert p.after.startswith("✓") == right, (qid, p.before)
    return asked


def test_whole_quiz_then_review(ws: Path, canonical: dict) -> None:
    questions = {q["id"]: q for q in canonical["questions"]}
    n = len(questions)
    plan = [i < 7 for i in range(n)]  # 7 right, the rest wrong
    p = spawn(ws, "quiz", "phase-13", "--seed", "7")
    asked = take(p, questions, plan, invalid_at=1)
    p.expect(pexpect.EOF)
    p.close()
    tail = p.before
    assert p.exitstatus == 0, tail
    assert f"Score 7/{n}" in tail
    missed = asked[7:]
    assert f"To review: {', '.join(missed)}" in tail
    assert "Traceback" not in tail
    assert sorted(asked) == sorted(questions), "every question asked exactly once"

    [attempt] = attempts(ws)
    assert attempt["finished"] is True and attempt["review"] is False
    assert (attempt["score"], attempt["total"], attempt["seed"], attempt["mode"]) == (7, n, 7, "terminal")
    assert [a["id"] for a in attempt["answers"]] == asked
    assert [a["correct"] for a in attempt["answers"]] == plan
    assert attempt["answers"][1]["given"] != "zz", "the invalid answer was re-asked, not recorded"

    # --review asks only the missed questions; getting them right leaves nothing to review.
    p = spawn(ws, "quiz", "phase-13", "--review", "--seed", "3")
    again = take(p, questions, [True] * len(missed))
    p.expect(pexpect.EOF)
    p.close()
    assert p.exitstatus == 0
    assert sorted(again) == sorted(missed)
    assert f"Score {len(missed)}/{len(missed)}" in p.before
    first, second = attempts(ws)
    assert first == attempt, "earlier attempt kept unchanged"
    assert second["review"] is True and second["total"] == len(missed)

    r = lynx("quiz", "phase-13", "--review", cwd=ws)
    assert r.returncode == 0 and "Nothing to review" in r.stdout

    r = lynx("quizzes", "--json", cwd=ws)
    row = next(x for x in __import__("json").loads(r.stdout) if x["id"] == "phase-13")
    assert row["best"] == {"score": 7, "total": n}, "review attempts do not count as a best score"
    assert row["attempts"] == 2


@pytest.mark.parametrize(("stop", "code"), [("ctrl-c", 130), ("ctrl-d", 1)])
def test_stop_keeps_unfinished_attempt(ws: Path, canonical: dict, stop: str, code: int) -> None:
    questions = {q["id"]: q for q in canonical["questions"]}
    p = spawn(ws, "quiz", "phase-13", "--seed", "1", "--lang", "en")
    asked = take(p, questions, [True, False])
    p.expect(PROMPT)
    if stop == "ctrl-c":
        p.sendintr()
    else:
        p.sendeof()
    p.expect(pexpect.EOF)
    p.close()
    assert p.exitstatus == code and p.signalstatus is None
    out = p.before
    assert "Traceback" not in out and "KeyboardInterrupt" not in out
    assert "unfinished attempt" in out
    [attempt] = attempts(ws)
    assert attempt["finished"] is False
    assert [a["id"] for a in attempt["answers"]] == asked
    assert [a["correct"] for a in attempt["answers"]] == [True, False]
    assert attempt["score"] == 1


def test_stop_before_any_answer_saves_nothing(ws: Path) -> None:
    p = spawn(ws, "quiz", "phase-13")
    p.expect(PROMPT)
    p.sendintr()
    p.expect(pexpect.EOF)
    p.close()
    assert p.exitstatus == 130
    assert "nothing saved" in p.before
    assert not (ws / "learners" / "borja" / "phase-13" / "quiz.yaml").exists()


def test_spanish_session(ws: Path, canonical: dict) -> None:
    p = spawn(ws, "quiz", "phase-13", "--lang", "es", "--seed", "2")
    p.expect(r"Tus? respuestas?[^\r\n]*> ")
    block = p.before.replace("\r", "")
    qid = re.search(r"Pregunta 1 de \d+ · (q-13-\d\d)", block).group(1)
    q = next(x for x in canonical["questions"] if x["id"] == qid)
    assert q["prompt"]["es"].strip()[:40] in block.replace("\n", " ")
    p.sendline("no sé" if q["kind"] == "free" else "a")
    p.expect(r"✓ Correcto\.|✗ Incorrecto\.")
    p.expect("Por qué: ")
    p.sendintr()
    p.expect(pexpect.EOF)
    p.close()
    assert p.exitstatus == 130
    assert attempts(ws)[0]["lang"] == "es"


def test_free_answers_graded_by_meaning_in_spanish(ws: Path) -> None:
    """A typed answer that names the key only to negate it fails, and the feedback says why, in Spanish."""
    typed = {"q-14-03": ("la puerta de entrada, no la de olvido", False),
             "q-14-07": ("el ultimo estado del encoder", True)}
    p = spawn(ws, "quiz", "phase-14", "--seed", "5", "--lang", "es")
    seen = set()
    while len(seen) < 10:
        p.expect(r"Tus? respuestas?[^\r\n]*> ")
        qid = re.findall(r"Pregunta \d+ de \d+ · (q-\d+-\d+)", p.before)[-1]
        seen.add(qid)
        answer, right = typed.get(qid, ("a", None))
        p.sendline(answer)
        p.expect(r"✓ Correcto\.|✗ Incorrecto\.")
        if right is not None:
            assert p.after.startswith("✓") == right, (qid, p.before)
        if qid == "q-14-03":
            p.expect(r"Tu respuesta niega: puerta de olvido\r\n")
            p.expect(r"Tu respuesta dice lo que la clave descarta: puerta de entrada\r\n")
    p.expect(pexpect.EOF)
    p.close()
    assert p.exitstatus == 0 and "Traceback" not in p.before
    [attempt] = yaml.safe_load((ws / "learners/borja/phase-14/quiz.yaml").read_text())["attempts"]
    by_id = {a["id"]: a for a in attempt["answers"]}
    assert by_id["q-14-03"] == {"id": "q-14-03", "given": typed["q-14-03"][0], "correct": False}
    assert by_id["q-14-07"]["correct"] is True
