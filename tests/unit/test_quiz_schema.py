"""A corpus of broken quiz files (tests/reliability/bad_inputs/quiz): each gives its one-line error and exit 2.

Each file starts with `# expect: <words of the error>` and, when the problem is inside a
question, `# question: <id>`: the error must name the file, that id and the problem.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from lynx.content.fields import ContentError
from lynx.content.quiz import load_quiz
from kit import QUIZ_FILE, REPO, lynx

CORPUS = sorted((REPO / "tests" / "reliability" / "bad_inputs" / "quiz").glob("*.yaml"))


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


def test_validate_hook_reports_broken_files_and_unknown_cards(tmp_path: Path) -> None:
    from lynx.authoring.validate import quiz_rows

    quizzes = tmp_path / "data" / "quizzes"
    cards = tmp_path / "data" / "cards"
    quizzes.mkdir(parents=True)
    cards.mkdir(parents=True)
    (cards / "deck.yaml").write_text("id: d\ncards:\n  - id: c-13-01\n", encoding="utf-8")
    text = (REPO / QUIZ_FILE).read_text(encoding="utf-8")
    (quizzes / "phase-13-embeddings.yaml").write_text(text, encoding="utf-8")
    (quizzes / "phase-14-x.yaml").write_bytes(CORPUS[0].read_bytes())
    rows = {r.id: r for r in quiz_rows(tmp_path, 1)}
    assert not rows["phase-14-x"].ok and "exactly one correct option" in rows["phase-14-x"].message
    assert not rows["phase-13"].ok and "unknown card ids" in rows["phase-13"].message and "c-13-02" in rows["phase-13"].message
    (cards / "deck.yaml").write_text((REPO / "data" / "cards" / "embeddings.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    rows = {r.id: r for r in quiz_rows(tmp_path, 1)}
    assert rows["phase-13"].ok, rows["phase-13"].message
