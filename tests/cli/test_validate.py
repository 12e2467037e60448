"""Broken course content gives one line naming the file, the field and the fix; `lynx validate` catches it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kit import REPO, git, lynx

BREAK = "breaks/13-00-tied-vocab/break.yaml"


def mutate(path: Path, fn) -> None:
    data = yaml.safe_load(path.read_text())
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


CASES = [
    ("unknown key", lambda d: d.update(colour="red"), ["colour", "unknown key"]),
    ("missing field", lambda d: d.pop("symptom"), ["symptom", "missing"]),
    ("bad id", lambda d: d.update(id="13_00"), ["id", "bad id"]),
    ("hint in one language", lambda d: d["hints"][1].pop("es"), ["hints[1]", "es"]),
    ("too few hints", lambda d: d.update(hints=d["hints"][:2]), ["hints", "at least 3"]),
    ("file outside src", lambda d: d.update(files=["../etc/passwd"]), ["files[0]", "leaves"]),
    ("wrong type", lambda d: d.update(observe="python -m x"), ["observe", "expected a list"]),
    ("shell command", lambda d: d.update(check="rm -rf /"), ["check"]),
]


@pytest.mark.parametrize("name,fn,words", CASES, ids=[c[0] for c in CASES])
def test_broken_break_yaml_is_one_clear_line(workspace, name, fn, words):
    path = workspace / BREAK
    mutate(path, fn)
    git("commit", "-qam", "author edit", cwd=workspace)
    r = lynx("break", "13-00", "--predict", "x", cwd=workspace)
    assert r.returncode == 2, r.stderr
    line = r.stderr.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert "break.yaml" in line, line
    for w in words:
        assert w in line, (w, line)
    assert git("branch", "--show-current", cwd=workspace).strip() == "main"


def test_invalid_yaml_names_the_line(workspace):
    path = workspace / BREAK
    path.write_text(path.read_text() + "\n  bad: [unclosed\n")
    r = lynx("break", "13-00", "--predict", "x", cwd=workspace)
    assert r.returncode == 2 and "invalid YAML" in r.stderr and "line" in r.stderr


@pytest.mark.parametrize("target", ["/etc/passwd", "src/../learners/borja/notes.md", ".git/config",
                                    "learners/borja/phase-13/notes/breaks.md"])
def test_patch_touching_outside_src_is_refused(workspace, target):
    patch = workspace / "breaks/13-00-tied-vocab/break.patch"
    lm = "src/minimodel/nn/lm_head.py"
    a, b = (target, target) if target.startswith("/") else (f"a/{target}", f"b/{target}")
    patch.write_text(patch.read_text().replace(f"a/{lm}", a).replace(f"b/{lm}", b))
    r = lynx("break", "13-00", "--predict", "x", cwd=workspace)
    assert r.returncode == 2 and "break.patch" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert git("branch", "--show-current", cwd=workspace).strip() == "main"


def _course_copy(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    for part in ("phases", "breaks", "data", "src"):
        shutil.copytree(REPO / part, course / part, ignore=shutil.ignore_patterns("__pycache__"))
    # keep this fast: only phase 13
    for p in (course / "phases").iterdir():
        if not p.name.startswith("13-"):
            shutil.rmtree(p)
    for b in (course / "breaks").iterdir():
        if not b.name.startswith("13-"):
            shutil.rmtree(b)
    return course


@pytest.mark.slow
def test_validate_proves_breaks_and_catches_a_check_that_misses_the_bug(tmp_path):
    course = _course_copy(tmp_path)
    r = lynx("validate", "--course", str(course), "--json")
    import json

    rows = json.loads(r.stdout)["rows"]
    breaks = {x["id"]: x for x in rows if x["kind"] == "break"}
    assert {"13-00", "13-01", "13-02"} <= set(breaks)
    assert all(breaks[b]["ok"] for b in ("13-00", "13-01", "13-02")), breaks
    # a check that cannot fail does not prove its break
    (course / "breaks/13-01-embedding-scatter/check_test.py").write_text("def test_nothing():\n    assert True\n")
    r = lynx("validate", "--course", str(course))
    assert r.returncode == 1 and "does not catch the break" in r.stdout
    # a break not listed by its phase, and a listed break that does not exist
    shutil.copytree(course / "breaks/13-02-embedding-init-scale", course / "breaks/13-09-orphan")
    mutate(course / "breaks/13-09-orphan/break.yaml", lambda d: d.update(id="13-09"))
    r = lynx("validate", "--course", str(course), "--json")
    msgs = {x["id"]: x["message"] for x in json.loads(r.stdout)["rows"] if not x["ok"]}
    assert "not listed" in msgs["13-09"]


def _fix_patch(course: Path, tmp: Path, old: str, new: str) -> None:
    """breaks/13-02/fix.patch: a fix of the broken embedding.py that replaces ``old`` with ``new``."""
    work = tmp / "fixwork"
    shutil.copytree(course / "src", work / "src")
    git("init", "-q", cwd=work)
    git("apply", str(course / "breaks/13-02-embedding-init-scale/break.patch"), cwd=work)
    git("add", "-A", cwd=work)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "broken", cwd=work)
    f = work / "src/minimodel/nn/embedding.py"
    assert old in f.read_text()
    f.write_text(f.read_text().replace(old, new))
    (course / "breaks/13-02-embedding-init-scale/fix.patch").write_text(git("diff", cwd=work))


@pytest.mark.slow
def test_validate_runs_the_check_when_the_fix_is_not_the_reference(tmp_path):
    """Only a fix that restores the reference files byte for byte is taken as passing without a run."""
    import json

    course = _course_copy(tmp_path)
    # another correct fix (1/sqrt(d) instead of 0.02): the fixed check must run, and passes
    _fix_patch(course, tmp_path / "a", "        std = 1.0\n", "        std = 1.0 / np.sqrt(d_model)\n")
    rows = {x["id"]: x for x in json.loads(lynx("validate", "--course", str(course), "--json").stdout)["rows"]}
    assert rows["13-02"]["ok"] and "restores the reference" not in rows["13-02"]["message"], rows["13-02"]
    assert "restores the reference files exactly" in rows["13-01"]["message"]
    # a "fix" that leaves the bug in is caught
    _fix_patch(course, tmp_path / "b", "        std = 1.0\n", "        std = 2.0\n")
    r = lynx("validate", "--course", str(course), "--json")
    rows = {x["id"]: x for x in json.loads(r.stdout)["rows"]}
    assert r.returncode == 1 and not rows["13-02"]["ok"] and "check fails after the fix" in rows["13-02"]["message"]


def test_validate_names_a_check_that_fails_or_cannot_import_on_the_reference(tmp_path):
    """The reference checks run together in one pytest; a bad one is reported alone, the others still proven."""
    import json

    course = _course_copy(tmp_path)
    (course / "breaks/13-00-tied-vocab/check_test.py").write_text("import minimodel\n\ndef test_x(:\n    pass\n")
    (course / "breaks/13-01-embedding-scatter/check_test.py").write_text("def test_no():\n    assert 1 == 2\n")
    r = lynx("validate", "--course", str(course), "--json")
    rows = {x["id"]: x for x in json.loads(r.stdout)["rows"] if x["kind"] == "break"}
    assert r.returncode == 1
    assert not rows["13-00"]["ok"] and "check fails on the reference code" in rows["13-00"]["message"]
    assert not rows["13-01"]["ok"] and "1 failed" in rows["13-01"]["message"], rows["13-01"]
    assert rows["13-02"]["ok"], rows["13-02"]


@pytest.mark.slow
def test_validate_runs_every_grading_corpus_and_names_a_misclassified_answer(tmp_path):
    import json

    course = _course_copy(tmp_path)
    r = lynx("validate", "--course", str(course), "--json")
    grading = [x for x in json.loads(r.stdout)["rows"] if x["kind"] == "grading"]
    ids = [x["id"] for x in grading]  # every quiz's free questions, and the build of phase 13 (the only one kept)
    assert ids[:2] == ["q-13-03", "q-13-09"] and ids[-1] == "bq-13-02" and len(ids) == 11, ids
    assert all(x["ok"] for x in grading) and "right and" in grading[0]["message"], grading
    quiz = course / "data/quizzes/phase-13-embeddings.yaml"
    mutate(quiz, lambda d: next(q for q in d["questions"] if q["id"] == "q-13-09")["corpus"]["wrong"]["es"]
           .append("colapso del rango"))
    r = lynx("validate", "--course", str(course))
    assert r.returncode == 1
    assert ("FAILED grading q-13-09: data/quizzes/phase-13-embeddings.yaml: es wrong answer 'colapso del rango' "
            "graded right") in r.stdout, r.stdout
