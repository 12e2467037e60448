"""`lynx render`: the Markdown mirror of quizzes and theory pages, its --check, and the mkdocs build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kit import QUIZ_FILE, REPO, lynx
from kit import env as lynx_env


def make_course(root: Path) -> Path:
    """A small course: the canonical phase-13 quiz, a phase with two theory pages, a phase without pages."""
    (root / QUIZ_FILE).parent.mkdir(parents=True)
    shutil.copyfile(REPO / QUIZ_FILE, root / QUIZ_FILE)
    phase = root / "phases" / "13-embeddings"
    (phase / "theory").mkdir(parents=True)
    (phase / "phase.yaml").write_text(yaml.safe_dump({
        "id": "13", "title": {"en": "Embeddings", "es": "Embeddings"}, "quiz": "phase-13",
        "summary": {"en": "Token embeddings.", "es": "Embeddings de tokens."},
        "pages": [
            {"id": "01", "title": {"en": "Lookup", "es": "Búsqueda"},
             "file": {"en": "theory/01-lookup.en.md", "es": "theory/01-lookup.es.md"}},
            {"id": "02", "title": {"en": "Rank", "es": "Rango"},
             "file": {"en": "theory/02-rank.en.md", "es": "theory/02-rank.es.md"}},
        ]}, allow_unicode=True), encoding="utf-8")
    for lang, words in (("en", ("Lookup", "Next", "Rank")), ("es", ("Búsqueda", "Siguiente", "Rango"))):
        (phase / "theory" / f"01-lookup.{lang}.md").write_text(
            f"# 01 — {words[0]}\n\nBody.\n\n{words[1]}: [02 — {words[2]}](02-rank.{lang}.md)\n", encoding="utf-8")
        (phase / "theory" / f"02-rank.{lang}.md").write_text(f"# 02 — {words[2]}\n\nText.\n", encoding="utf-8")
    other = root / "phases" / "99-later"
    other.mkdir()
    (other / "phase.yaml").write_text('id: "99"\ntitle: {en: Later, es: Luego}\nsummary: {en: Later., es: Luego.}\n',
                                      encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "design.md").write_text("# Design\n\nNot generated.\n", encoding="utf-8")
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_repo_mirror_is_up_to_date(tmp_path: Path) -> None:
    """The committed docs/ tree is what `lynx render` makes from the committed YAML."""
    r = lynx("render", "--course", str(REPO), "--out", str(tmp_path / "docs"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    fresh = tree(tmp_path / "docs")
    assert "quizzes/phase-13.md" in fresh and "es/quizzes/phase-13.md" in fresh
    for rel, data in fresh.items():
        assert (REPO / "docs" / rel).is_file(), f"docs/{rel} missing: run `lynx render`"
        assert (REPO / "docs" / rel).read_bytes() == data, f"docs/{rel} is stale: run `lynx render`"
    r = lynx("render", "--check", cwd=REPO)  # defaults work from the repository root
    assert r.returncode == 0, r.stderr


def test_render_twice_gives_identical_files(tmp_path: Path) -> None:
    course = make_course(tmp_path / "c")
    for out in ("a", "b"):
        r = lynx("render", "--course", str(course), "--out", str(tmp_path / out), cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    first = tree(tmp_path / "a")
    assert first == tree(tmp_path / "b")
    assert lynx("render", "--course", str(course), "--out", str(tmp_path / "a"), cwd=tmp_path).returncode == 0
    assert tree(tmp_path / "a") == first


def test_check_finds_drift_and_render_repairs_it(tmp_path: Path) -> None:
    course = make_course(tmp_path / "c")
    assert lynx("render", cwd=course).returncode == 0  # defaults: course = cwd, out = ./docs
    assert lynx("render", "--check", cwd=course).returncode == 0
    quiz = course / QUIZ_FILE
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("Lookup is a matrix product", "Lookup = matmul"),
                    encoding="utf-8")
    (course / "docs" / "quizzes" / "phase-12.md").write_text("# old\n", encoding="utf-8")
    (course / "docs" / "notes.md").write_text("# mine\n", encoding="utf-8")
    r = lynx("render", "--check", cwd=course)
    assert r.returncode == 1
    assert "quizzes/phase-12.md" in r.stderr and "quizzes/phase-13.md" in r.stderr and "es/quizzes" not in r.stderr
    assert lynx("render", cwd=course).returncode == 0
    assert lynx("render", "--check", cwd=course).returncode == 0
    assert "Lookup = matmul" in (course / "docs" / "quizzes" / "phase-13.md").read_text(encoding="utf-8")
    assert not (course / "docs" / "quizzes" / "phase-12.md").exists(), "stale mirror page removed"
    assert (course / "docs" / "notes.md").read_text(encoding="utf-8") == "# mine\n", "other pages left alone"
    assert (course / "docs" / "design.md").is_file()


def test_quiz_pages_show_every_question_in_both_languages(tmp_path: Path) -> None:
    course = make_course(tmp_path / "c")
    assert lynx("render", cwd=course).returncode == 0
    data = yaml.safe_load((course / QUIZ_FILE).read_text(encoding="utf-8"))
    for lang, path in (("en", "docs/quizzes/phase-13.md"), ("es", "docs/es/quizzes/phase-13.md")):
        page = (course / path).read_text(encoding="utf-8")
        assert page.startswith(f"# {data['title'][lang]}\n")
        assert "`data/quizzes/phase-13-embeddings.yaml`" in page
        for q in data["questions"]:
            section = page.split(f"## {q['id']} — ")[1].split("\n## ")[0]
            assert section.startswith(f"{q['topic'][lang]} ({q['kind']}) {{ #{q['id']} }}\n")
            assert q["prompt"][lang].strip() in section and q["explanation"][lang].strip() in section
            if q["kind"] == "free":
                assert f"**{q['answer']['concepts'][0][lang][0]}**" in section
            else:
                marked = [line for line in section.splitlines() if line.startswith("- ") and "✓" in line]
                assert [m.split(") ", 1)[1].rsplit(" ✓", 1)[0] for m in marked] == \
                    [o["text"][lang].strip() for o in q["options"] if o.get("correct")]
    assert "[Español](../es/quizzes/phase-13.md)" in (course / "docs/quizzes/phase-13.md").read_text(encoding="utf-8")


def test_theory_pages_are_published_per_language(tmp_path: Path) -> None:
    course = make_course(tmp_path / "c")
    assert lynx("render", cwd=course).returncode == 0
    en = (course / "docs/theory/13-embeddings/01-lookup.en.md").read_text(encoding="utf-8")
    es = (course / "docs/es/theory/13-embeddings/01-lookup.es.md").read_text(encoding="utf-8")
    assert en.splitlines()[:3] == ["# 01 — Lookup", "", "English · [Español](../../es/theory/13-embeddings/01-lookup.es.md)"]
    assert es.splitlines()[2] == "[English](../../../theory/13-embeddings/01-lookup.en.md) · Español"
    assert "[02 — Rango](02-rank.es.md)" in es
    home = (course / "docs/index.md").read_text(encoding="utf-8")
    assert "[01 — Lookup](theory/13-embeddings/01-lookup.en.md)" in home and "(quizzes/phase-13.md)" in home
    assert "## Phase 99 — Later" in home and not (course / "docs/theory/99-later").exists()
    assert "[01 — Búsqueda](theory/13-embeddings/01-lookup.es.md)" in (course / "docs/es/index.md").read_text(encoding="utf-8")


def test_missing_theory_file_is_a_content_error(tmp_path: Path) -> None:
    course = make_course(tmp_path / "c")
    (course / "phases/13-embeddings/theory/02-rank.es.md").unlink()
    r = lynx("render", cwd=course)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1
    assert "phase.yaml: pages[1].file.es: page file theory/02-rank.es.md not found" in r.stderr


def test_render_in_a_workspace_and_outside_any_course(ws: Path, tmp_path: Path) -> None:
    # The workspace's own phases are other tests' business; give it the small course's phases.
    shutil.rmtree(ws / "phases")
    shutil.copytree(make_course(tmp_path / "c") / "phases", ws / "phases")
    r = lynx("render", cwd=ws / "learners")  # found by walking up to lynx.toml
    assert r.returncode == 0, r.stderr
    assert (ws / "docs" / "quizzes" / "phase-13.md").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    r = lynx("render", cwd=empty)
    assert r.returncode == 2 and "neither a lynx workspace nor a course checkout" in r.stderr


def test_mkdocs_strict_build(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    course = make_course(tmp_path / "c")
    assert lynx("render", cwd=course).returncode == 0

    def build() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                              cwd=course, text=True, capture_output=True, env=lynx_env(NO_MKDOCS_2_WARNING="1"),
                              timeout=300)

    r = build()
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "site" / "quizzes" / "phase-13" / "index.html").is_file()
    html = (tmp_path / "site" / "es" / "quizzes" / "phase-13" / "index.html").read_text(encoding="utf-8")
    assert 'id="q-13-04"' in html, "each question is linkable by its id"
    page = course / "phases/13-embeddings/theory/02-rank.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [nowhere](03-missing.en.md).\n", encoding="utf-8")
    assert lynx("render", cwd=course).returncode == 0
    r = build()
    assert r.returncode != 0 and "03-missing.en.md" in r.stderr
