"""A corpus of broken quiz files (tests/bad_inputs/quiz): each gives its one-line error and exit 2.

Each file starts with `# expect: <words of the error>` and, when the problem is inside a
question, `# question: <id>`: the error must name the file, that id and the problem.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from lynx.content import ContentError
from lynx.quiz import load_quiz
from quizhelp import QUIZ_FILE, REPO, lynx

CORPUS = sorted((REPO / "tests" / "bad_inputs" / "quiz").glob("*.yaml"))


def header(path: Path) -> tuple[str, str | None]:
    head = path.read_bytes()[:400].decode("utf-8", "replace")
    expect = re.search(r"^# expect: (.+)$", head, re.M).group(1)
    question = re.search(r"^# question: (\S+)$", head, re.M)
    return expect, question.group(1) if question else None


def test_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 10


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_load_names_file_question_and_problem(path: Path) -> None:
    expect, question = header(path)
    with pytest.raises(ContentError) as exc:
        load_quiz(path)
    line = exc.value.line()
    assert "\n" not in line
    assert line.startswith(str(path)), line
    assert expect in line, line
    if question:
        assert f"({question})" in line, line


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_quiz_command_exits_2_with_one_line(ws: Path, path: Path) -> None:
    expect, question = header(path)
    shutil.copyfile(path, ws / QUIZ_FILE)
    r = lynx("quiz", "phase-13", cwd=ws, input="a\n" * 5)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == "", "the quiz did not start"
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert "phase-13-embeddings.yaml" in lines[0] and expect in lines[0]
    if question:
        assert question in lines[0]


def test_other_commands_report_the_broken_file(ws: Path) -> None:
    shutil.copyfile(CORPUS[0], ws / QUIZ_FILE)
    for args in (("quizzes",), ("render", "--out", str(ws / "out")), ("quiz", "phase-13", "--json")):
        r = lynx(*args, cwd=ws, input="{}")
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, (args, r.stderr)
        assert "exactly one correct option" in r.stderr
