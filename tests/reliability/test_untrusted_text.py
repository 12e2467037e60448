"""Text from elsewhere is shown literally: never read as Rich markup, with terminal control characters (ESC,
other C0 and C1 codes, bidi overrides) made visible, in every output: tables, plain text, JSON, CSV and the
Markdown that mkdocs turns into HTML. The learner's own files keep their bytes.

A third-party course (phase 13 of the bundled one, `lynx init --from`) carries a hostile text in every field a
learner reads: the break's title, prompt and hints, a quiz question and its options, a flashcard. The learner
predicts, answers and writes notes with hostile text too. Each hostile text is one of PAYLOADS (a screen clear,
a window title, a C1 CSI, a bidi override, Rich markup and a Rich link, a script tag, a carriage return, a
backspace, a bell) wrapped in a unique tag. Every command that shows them runs piped (NO_COLOR) in this
process and, for the table views, in a real subprocess with colour forced on; nothing it prints may hold a
raw control character (with colour on: nothing but colour codes), and each payload's markup must come out
as the characters it is made of.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from harness import git, in_process, phase13_course, record
from kit import lynx

pytestmark = pytest.mark.slow

PAYLOADS = {
    "clear screen": "\x1b[2J\x1b[H",
    "window title": "\x1b]0;owned\x07",
    "C1 CSI": "\x9b31m",
    "bidi override": "\u202edesrever\u202c \u2066iso\u2069",
    "rich markup": "[bold red]MARKUP[/bold red]",
    "rich link": "[link=file:///etc/passwd]L[/link]",
    "html": "<script>alert(1)</script>",
    "carriage return": "fake\rreal",
    "backspace and bell": "a\x08\x07b",
}
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def evil(tag: str) -> str:
    return f"<<{tag}:" + "".join(PAYLOADS.values()) + f":{tag}>>"


def _hostile_course(dst: Path) -> Path:
    phase13_course(dst, fast=True)
    brk = next((dst / "breaks").glob("13-00-*")) / "break.yaml"
    b = yaml.safe_load(brk.read_text(encoding="utf-8"))
    b["title"] = {"en": evil("title"), "es": evil("title")}
    b["prompt"] = {"en": evil("prompt"), "es": evil("prompt")}
    b["hints"][0] = {"en": evil("hint"), "es": evil("hint")}
    brk.write_text(yaml.safe_dump(b, allow_unicode=False, sort_keys=False), encoding="utf-8")
    quiz = next((dst / "data" / "quizzes").glob("phase-13-*.yaml"))
    q = yaml.safe_load(quiz.read_text(encoding="utf-8"))
    q["questions"][0]["prompt"] = {"en": evil("question"), "es": evil("question")}
    q["questions"][0]["options"][1]["text"] = {"en": evil("option"), "es": evil("option")}
    quiz.write_text(yaml.safe_dump(q, allow_unicode=False, sort_keys=False), encoding="utf-8")
    deck = dst / "data" / "cards" / "embeddings.yaml"
    d = yaml.safe_load(deck.read_text(encoding="utf-8"))
    d["cards"][0]["front"] = {"en": evil("front"), "es": evil("front")}
    d["cards"][0]["back"] = {"en": evil("back"), "es": evil("back")}
    deck.write_text(yaml.safe_dump(d, allow_unicode=False, sort_keys=False), encoding="utf-8")
    return dst


@pytest.fixture(scope="module")
def hostile_ws(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile-text")
    course = _hostile_course(base / "course")
    ws = base / "ws"
    r = lynx("init", str(ws), "--learner", "borja", "--from", str(course), "--yes")
    assert r.returncode == 0, r.stderr
    return ws


PREDICTION = evil("prediction").replace("\x00", "")
NOTE = evil("note")
ANSWER = evil("answer")

# (argv, stdin, must show these tags literally)
SESSION = [
    (["break", "13", "00", "--predict", PREDICTION], "", ["title", "prompt"]),
    (["hint"], "", ["hint"]),
    (["hint", "--all"], "", ["hint"]),
    (["status"], "", []),
    (["status", "--json"], "", []),
    (["phases"], "", []),
    (["phases", "13"], "", []),
    (["fix", "--apply"], "", []),
    (["done", "-c", "y"], "", []),
    (["explain", "13-00"], "", ["prediction"]),
    (["quizzes"], "", []),
    (["quiz", "phase-13", "--json"], json.dumps({"q-13-01": ANSWER}), []),
    (["quiz", "phase-13"], "b\n" + ANSWER + "\n", []),  # seeded order: the hostile question may not come first
    (["cards", "--phase", "13"], "\n3\n\n3\n", []),
    (["cards", "--stats"], "", []),
    (["report"], "", []),
    (["report", "--json"], "", []),
    (["learn", "13"], "", []),
    (["break", PREDICTION], "", []),
    (["quiz", PREDICTION], "", []),
]


def _problems(where: str, text: str, color: bool = False) -> list[str]:
    shown = SGR.sub("", text) if color else text
    bad = sorted({f"U+{ord(c):04X}" for c in RAW.findall(shown)})
    return [f"{where}: raw control characters {bad} in {text[:300]!r}"] if bad else []


def test_untrusted_text_is_shown_literally_everywhere(hostile_ws, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(hostile_ws, ws, symlinks=True)
    notes = ws / "learners/borja/phase-13/notes/breaks.md"
    notes.parent.mkdir(parents=True, exist_ok=True)
    with notes.open("a", encoding="utf-8") as fh:
        fh.write(NOTE + "\n")
    mine = notes.read_bytes()
    problems, outputs = [], 0
    for argv, stdin, tags in SESSION:
        code, out, err = in_process(ws, argv, stdin)
        outputs += 1
        where = f"lynx {' '.join(argv)[:40]!r} (exit {code})"
        if code not in (0, 1, 2) or "Traceback" in out + err:
            problems.append(f"{where}: {err[-800:]}")
        problems += _problems(where, out) + _problems(where + " stderr", err)
        flat = " ".join(out.split())  # wrapped to the terminal: compare with the line breaks as spaces
        for tag in tags:
            for name in ("rich markup", "rich link"):
                if f"<<{tag}:" in out and PAYLOADS[name] not in flat:
                    problems.append(f"{where}: the {tag}'s {name} was interpreted, not shown: {out[:400]!r}")
            if f"<<{tag}:" not in out:
                problems.append(f"{where}: the {tag} is not shown at all")
        if argv[-1] == "--json" and code == 0:
            json.loads(out)  # still JSON, the same data
    # the learner's files keep their bytes: their notes only grew, the prediction is kept as typed
    assert notes.read_bytes().startswith(mine)
    assert PREDICTION.split("\r")[0].encode() in notes.read_bytes()  # as typed (quoted line by line)
    progress = json.loads((ws / "learners/borja/progress.json").read_text(encoding="utf-8"))
    assert progress["breaks"]["13-00"]["attempts"][0]["prediction"] == PREDICTION
    record("untrusted_text", "piped", {"outputs": outputs, "payloads": len(PAYLOADS), "problems": len(problems)})
    assert not problems, "\n".join(problems[:10])


def test_with_colour_on_only_colour_codes_reach_the_terminal(hostile_ws, tmp_path):
    """Real subprocesses with colour forced on (Rich's FORCE_COLOR, and the fast path's own styling)."""
    ws = tmp_path / "ws"
    shutil.copytree(hostile_ws, ws, symlinks=True)
    assert lynx("break", "13", "00", "--predict", PREDICTION, cwd=ws).returncode == 0
    env = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "NO_COLOR": ""}
    problems = []
    for argv in (["hint"], ["hint", "--all"], ["status"], ["phases", "13"], ["break", "13", "00", "--predict", "x"]):
        r = lynx(*argv, cwd=ws, env=env)
        problems += _problems(f"lynx {' '.join(argv)}", r.stdout + r.stderr, color=True)
    assert not problems, "\n".join(problems)


def test_class_csv_and_json_show_a_learners_text_safely(hostile_ws, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(hostile_ws, ws, symlinks=True)
    assert in_process(ws, ["break", "13", "00", "--predict", PREDICTION])[0] == 0
    git("commit", "-q", "--allow-empty", "-m", evil("commit"), cwd=ws)
    problems = []
    for fmt in ([], ["--csv"], ["--json"]):
        code, out, err = in_process(ws, ["class", "--remote", str(ws), "--cache", str(tmp_path / "cache"), *fmt])
        problems += _problems(f"class {fmt}", out + err)
        assert "Traceback" not in out + err
    assert not problems, "\n".join(problems)


def test_the_html_mirror_escapes_a_course_text(hostile_ws, tmp_path):
    """`lynx render` writes Markdown for mkdocs: a script tag from a course reaches the HTML as text."""
    out = tmp_path / "docs"
    code, _, err = in_process(hostile_ws, ["render", "--out", str(out)])
    assert code == 0, err
    pages = {p: p.read_text(encoding="utf-8") for p in out.rglob("*.md")}
    assert any(":question>>" in text for text in pages.values())
    for p, text in pages.items():
        assert "<script>" not in text, p
        assert not RAW.search(text), p
    quiz = next(text for text in pages.values() if ":question>>" in text)
    assert "&lt;script>alert(1)&lt;/script>" in quiz
