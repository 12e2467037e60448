"""`lynx build 13`: the stub on its own branch, the validator, the questions, done/abort, and its proof."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kit import REPO, git, lynx

REFERENCE = REPO / "src" / "minimodel" / "nn" / "embedding.py"
TARGET = "src/minimodel/nn/embedding.py"
ANSWERS = "a\nthe gradients sum up, with np.add.at\na,b,c\n"


def start(ws: Path) -> None:
    proc = lynx("build", "13", check=True, cwd=ws)
    assert "Objective" in proc.stdout and "Pitfalls" in proc.stdout and "lynx/build/13" in proc.stdout


def solve(ws: Path) -> None:
    shutil.copyfile(REFERENCE, ws / TARGET)


def progress(ws: Path) -> dict:
    return json.loads((ws / "learners" / "borja" / "progress.json").read_text(encoding="utf-8"))


def test_build_yaml_loads_with_the_anatomy():
    from lynx.content.challenge import parse_build

    b = parse_build(REPO / "phases" / "13-embeddings" / "build" / "build.yaml", "13")
    assert b.files == ("src/minimodel/nn/embedding.py",)
    assert len(b.constraints) >= 3 and len(b.steps) >= 3 and len(b.pitfalls) >= 3
    assert [q.id for q in b.questions] == ["bq-13-01", "bq-13-02", "bq-13-03"]
    assert any("np.eye" in c["en"] for c in b.constraints)


def test_fixtures_are_reproducible(tmp_path):
    import numpy as np

    import runpy

    # run_path, not an import: no __pycache__ left in the course's build folder
    mf = runpy.run_path(str(REPO / "phases/13-embeddings/build/make_fixtures.py"), run_name="make_fixtures")
    fresh = mf["make"]()
    with np.load(mf["OUT"]) as saved:
        assert sorted(saved.files) == sorted(fresh)
        for k in fresh:
            assert saved[k].dtype == fresh[k].dtype and np.array_equal(saved[k], fresh[k]), k
    assert all(v.dtype in (np.float64, np.int64) for v in fresh.values())


def test_stub_patch_is_the_stub_file_against_the_reference(tmp_path):
    import subprocess

    work = tmp_path / "w"
    shutil.copytree(REPO / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(["git", "apply", str(REPO / "phases/13-embeddings/build/stub.patch")], cwd=work, check=True)
    stub = (REPO / "phases/13-embeddings/build/stub/embedding.py").read_text(encoding="utf-8")
    assert (work / TARGET).read_text(encoding="utf-8") == stub


@pytest.mark.slow
def test_validate_proves_the_challenge():
    from lynx.authoring.build_proofs import validate_builds as validate_course

    rows = {r.id: r for r in validate_course(REPO)}
    assert rows["13"].ok, rows["13"].message
    assert "stub fails 19/19" in rows["13"].message
    for bid in ("13-00", "13-01", "13-02"):
        assert rows[f"13/{bid}"].ok, rows[f"13/{bid}"].message


def test_validate_notices_a_stub_that_passes_a_test(tmp_path):
    """A prover that cannot fail proves nothing: a stub that leaves __init__ working must be reported."""
    from lynx.authoring.build_proofs import prove
    from lynx.content.challenge import parse_build

    course = tmp_path / "c"
    shutil.copytree(REPO / "phases" / "13-embeddings", course / "phases" / "13-embeddings")
    shutil.copytree(REPO / "src", course / "src", ignore=shutil.ignore_patterns("__pycache__"))
    patch = course / "phases/13-embeddings/build/stub.patch"
    # A weaker stub: only forward raises.
    weak = REFERENCE.read_text(encoding="utf-8").replace(
        "        ids = self._check_ids(ids)\n", "        raise NotImplementedError\n", 1)
    (course / "weak").mkdir()
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=course / "weak", check=True)
    (course / "weak" / "src/minimodel/nn").mkdir(parents=True)
    shutil.copyfile(REFERENCE, course / "weak" / TARGET)
    subprocess.run(["git", "add", "."], cwd=course / "weak", check=True)
    (course / "weak" / TARGET).write_text(weak, encoding="utf-8")
    patch.write_text(git("diff", "--", TARGET, cwd=course / "weak"), encoding="utf-8")
    b = parse_build(course / "phases/13-embeddings/build/build.yaml", "13")
    rows = {ident: (ok, msg) for ident, ok, msg in prove(course, b, [])}
    ok, msg = rows["13"]
    assert not ok and "test_weight_is_a_parameter_of_shape_vocab_by_d" in msg


def test_stub_on_its_own_branch_and_check_fails(ws):
    start(ws)
    assert git("branch", "--show-current", cwd=ws).strip() == "lynx/build/13"
    assert "NotImplementedError" in (ws / TARGET).read_text(encoding="utf-8")
    assert "raise NotImplementedError" not in git("show", f"main:{TARGET}", cwd=ws)
    proc = lynx("build", "13", "--check", cwd=ws)
    assert proc.returncode == 1
    assert "✗ 19 of 19 tests failed" in proc.stdout and "✗ lookup matches fixture" in proc.stdout
    assert "First failure: lookup matches fixture [vector]" in proc.stdout and "NotImplementedError" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    data = json.loads(lynx("build", "13", "--check", "--json", cwd=ws).stdout)
    assert data["passed"] is False and data["total"] == 19 and data["failed"] == 19
    assert progress(ws)["builds"]["13"]["last_check"]["passed"] is False
    # done refuses while the validator fails, and nothing moves
    proc = lynx("done", cwd=ws)
    assert proc.returncode == 1 and "failed" in proc.stderr
    assert git("branch", "--show-current", cwd=ws).strip() == "lynx/build/13"


def test_solution_passes_then_questions_then_done(ws):
    start(ws)
    proc = lynx("build", "13", "--questions", cwd=ws)
    assert proc.returncode == 1 and "--check" in proc.stderr
    solve(ws)
    proc = lynx("build", "13", "--check", cwd=ws)
    assert proc.returncode == 0 and "all 19 tests pass" in proc.stdout and "--questions" in proc.stdout
    proc = lynx("build", "13", "--questions", input=ANSWERS, cwd=ws)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("✓") == 3
    proc = lynx("done", check=True, cwd=ws)
    assert git("branch", "--show-current", cwd=ws).strip() == "main"
    entry = progress(ws)["builds"]["13"]
    assert entry["passed"] is True and entry["at"].startswith("20")
    assert entry["sessions"][-1]["answers"] == [{"id": f"bq-13-0{i}", "correct": True} for i in (1, 2, 3)]
    notes = (ws / "learners/borja/phase-13/notes/build.md").read_text(encoding="utf-8")
    assert "outcome: passed (validator 19/19 tests)" in notes
    assert "the gradients sum up, with np.add.at" in notes and "bq-13-03" in notes
    # main still has the reference code; the learner's build is on its branch, committed
    assert "raise NotImplementedError" not in (ws / TARGET).read_text(encoding="utf-8")
    assert git("status", "--porcelain", cwd=ws).strip() == ""
    assert "learners/borja/phase-13/notes/build.md" in git("log", "-1", "--name-only", "main", cwd=ws)


def test_done_refuses_code_changed_after_the_pass(ws):
    start(ws)
    solve(ws)
    lynx("build", "13", "--check", check=True, cwd=ws)
    with open(ws / TARGET, "a", encoding="utf-8") as fh:
        fh.write("\n# an edit after the check\n")
    proc = lynx("done", cwd=ws)
    assert proc.returncode == 1 and "changed since the last passing check" in proc.stderr


def test_abort_keeps_the_work_and_an_abort_never_undoes_a_pass(ws):
    start(ws)
    (ws / TARGET).write_text((ws / TARGET).read_text(encoding="utf-8") + "\n# my half-done work\n", encoding="utf-8")
    proc = lynx("build", "13", "--abort", check=True, cwd=ws)
    assert "Back on main" in proc.stdout
    assert git("branch", "--show-current", cwd=ws).strip() == "main"
    assert "my half-done work" in git("show", f"lynx/build/13:{TARGET}", cwd=ws)
    entry = progress(ws)["builds"]["13"]
    assert entry["passed"] is False and entry["sessions"][-1]["outcome"] == "aborted"
    # pass once, then abort a second attempt: still passed
    start(ws)
    solve(ws)
    lynx("build", "13", "--check", check=True, cwd=ws)
    lynx("done", check=True, cwd=ws)
    start(ws)
    assert git("branch", "--show-current", cwd=ws).strip() == "lynx/build/13-3"
    lynx("abort", check=True, cwd=ws)
    assert progress(ws)["builds"]["13"]["passed"] is True


def test_refusals(ws):
    proc = lynx("build", "13", "--check", cwd=ws)
    assert proc.returncode == 2 and "no build challenge is active" in proc.stderr
    proc = lynx("build", "99", cwd=ws)
    assert proc.returncode == 2 and "unknown phase" in proc.stderr
    # uncommitted work on the stubbed file is never overwritten
    (ws / TARGET).write_text("# mine\n", encoding="utf-8")
    proc = lynx("build", "13", cwd=ws)
    assert proc.returncode == 2 and "uncommitted changes" in proc.stderr
    assert (ws / TARGET).read_text(encoding="utf-8") == "# mine\n"
    git("checkout", "--", TARGET, cwd=ws)
    # another session active
    lynx("break", "13", "--no-predict", check=True, cwd=ws)
    proc = lynx("build", "13", cwd=ws)
    assert proc.returncode == 2 and "still active" in proc.stderr


def test_a_syntax_error_is_reported_not_crashed(ws):
    start(ws)
    (ws / TARGET).write_text("def broken(:\n", encoding="utf-8")
    proc = lynx("build", "13", "--check", cwd=ws)
    assert proc.returncode == 1 and "✗" in proc.stdout and "Traceback" not in proc.stderr
    assert "SyntaxError" in proc.stdout


def test_a_phase_without_a_build(ws):
    manifest = ws / "phases" / "13-embeddings" / "phase.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("build: build\n", ""), encoding="utf-8")
    proc = lynx("build", "13", cwd=ws)
    assert proc.returncode == 2 and "phase 13 has no build challenge" in proc.stderr


@pytest.mark.parametrize("edit, problem", [
    (lambda t: t.replace("id: bq-13-02", "id: q-13-02"), "bad question id"),
    (lambda t: t.replace("files: [src/minimodel/nn/embedding.py]", "files: [src/minimodel/nn/linear.py]"),
     "touches src/minimodel/nn/embedding.py"),
    (lambda t: t.replace('id: "13"', 'id: "14"', 1), "is not its phase's id"),
    (lambda t: t.replace("tests: tests", "tests: nowhere"), "holds no test_*.py"),
    (lambda t: t.replace("  - en: No one-hot matrix", "  - fr: No one-hot matrix"), "constraints[1]: missing the `en` text"),
])
def test_build_yaml_errors_name_the_field(tmp_path, edit, problem):
    from lynx.content.challenge import parse_build
    from lynx.content.fields import ContentError

    folder = tmp_path / "build"
    shutil.copytree(REPO / "phases" / "13-embeddings" / "build", folder)
    path = folder / "build.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        parse_build(path, "13")
    assert problem in info.value.line() and "build" in info.value.line()


def test_reference_flag_for_code_that_diverged(ws):
    emb = ws / TARGET
    emb.write_text(emb.read_text(encoding="utf-8").replace('"""Token embedding', '"""My token embedding', 1),
                   encoding="utf-8")
    git("commit", "-qam", "my own docstring", cwd=ws)
    proc = lynx("build", "13", cwd=ws)
    assert proc.returncode == 2 and "--reference" in proc.stderr
    assert git("branch", "--show-current", cwd=ws).strip() == "main"
    lynx("build", "13", "--reference", check=True, cwd=ws)
    assert "raise NotImplementedError" in emb.read_text(encoding="utf-8")
    lynx("abort", check=True, cwd=ws)
    assert emb.read_text(encoding="utf-8").startswith('"""My token embedding')
