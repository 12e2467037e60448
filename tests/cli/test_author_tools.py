"""The tools for authors (issue 20, §6), driven as an author drives them: the real `lynx` in subprocesses, on
a copy of the course that is a real git repository in a tmp folder. `lynx new` scaffolds a break and a
phase, `lynx validate --stale` catches English that changed under a translation, `lynx validate --mutants`
finds a mutant of minimodel nothing kills and turns it into a draft break whose patch applies."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from kit import REPO, git, lynx, no_traceback

pytestmark = pytest.mark.slow


def course_copy(tmp_path: Path, phases: tuple[str, ...] | None = None) -> Path:
    """The course checkout (data, breaks, phases, src) as a fresh git repository; ``phases``: only those."""
    root = tmp_path / "course"
    root.mkdir()
    keep = shutil.ignore_patterns("__pycache__", "*.pyc", ".lynx-cache")
    shutil.copytree(REPO / "data", root / "data", ignore=keep)
    shutil.copytree(REPO / "src", root / "src", ignore=keep)
    for folder in ("phases", "breaks"):
        for d in sorted((REPO / folder).iterdir()):
            if d.is_dir() and (phases is None or d.name.split("-")[0] in phases):
                shutil.copytree(d, root / folder / d.name, ignore=keep)
    if (REPO / "translations.yaml").is_file():
        shutil.copy(REPO / "translations.yaml", root / "translations.yaml")
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "course", cwd=root)
    return root


def shipped_breaks(root: Path, phase: str) -> list[str]:
    """The break ids a phase's manifest lists, so the next id `lynx new` takes is known whatever the course holds."""
    manifest = next((root / "phases").glob(f"{phase}-*/phase.yaml"))
    return [str(b) for b in yaml.safe_load(manifest.read_text(encoding="utf-8"))["breaks"]]


def changed(root: Path) -> list[str]:
    return sorted(line[3:] for line in git("status", "--porcelain", "--untracked-files=all", cwd=root).splitlines())


def test_new_break_scaffolds_every_field_and_validate_says_what_is_left(tmp_path: Path) -> None:
    root = course_copy(tmp_path, phases=("14",))
    listed = shipped_breaks(root, "14")
    new_id, after_id = f"14-{len(listed):02d}", f"14-{len(listed) + 1:02d}"
    r = lynx("new", "break", "14", "truncated-bptt", "--file", "src/minimodel/nn/rnn.py", cwd=root, check=True)
    assert f"Made break {new_id}" in r.stdout and "lynx validate" in r.stdout
    folder = root / "breaks" / f"{new_id}-truncated-bptt"
    assert changed(root) == [f"breaks/{new_id}-truncated-bptt/break.patch", f"breaks/{new_id}-truncated-bptt/break.yaml",
                             f"breaks/{new_id}-truncated-bptt/check_test.py", "phases/14-sequence-models/phase.yaml"]
    data = yaml.safe_load((folder / "break.yaml").read_text(encoding="utf-8"))
    shipped = yaml.safe_load(next((REPO / "breaks").glob("14-00-*/break.yaml")).read_text(encoding="utf-8"))
    assert set(shipped) <= set(data), "every field a shipped break has"
    assert data["files"] == ["src/minimodel/nn/rnn.py"] and data["id"] == new_id
    assert all(data[k]["en"].startswith("TODO (en)") and data[k]["es"].startswith("TODO (es)") for k in ("title", "why"))
    assert (folder / "break.patch").read_text() == ""
    assert new_id in yaml.safe_load((root / "phases/14-sequence-models/phase.yaml").read_text())["breaks"]
    # the template check is a real pytest file that runs on the reference code
    proc = subprocess.run(["python", "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder / "check_test.py")],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout
    # the author's next step: validate names the draft and what it lacks, and proves the rest as before
    v = lynx("validate", "--json", cwd=root, timeout=900)
    assert v.returncode == 1
    rows = {(row["kind"], row["id"]): row for row in json.loads(v.stdout)["rows"]}
    assert not rows[("break", new_id)]["ok"] and "break.patch" in rows[("break", new_id)]["message"]
    assert all(rows[("break", b)]["ok"] for b in listed), "the shipped breaks are proven as before"
    # a second one takes the next id
    assert f"Made break {after_id}" in lynx("new", "break", "14", "another", cwd=root, check=True).stdout


def test_new_refuses_bad_input_in_one_line_and_writes_nothing(tmp_path: Path) -> None:
    root = course_copy(tmp_path, phases=("14",))
    for args, says in ((("new", "break", "14", "Bad Slug"), "slug 'Bad Slug'"),
                       (("new", "break", "99", "x"), "unknown phase '99'"),
                       (("new", "break", "14", "x", "--file", "../etc/passwd"), "not under src/"),
                       (("new", "kind", "14", "x"), "say `break` or `phase`"),
                       (("new", "phase", "14", "again"), "phase 14 already exists"),
                       (("new", "phase", "7", "short"), "not two digits")):
        r = lynx(*args, cwd=root)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert says in r.stderr and len(r.stderr.strip().splitlines()) == 1 and no_traceback(r), r.stderr
    # a `breaks:` list lynx cannot rewrite safely: refused before any file is made
    manifest = root / "phases/14-sequence-models/phase.yaml"
    text = manifest.read_text()
    one_line = f"breaks: [{', '.join(shipped_breaks(root, '14'))}]"
    assert one_line in text
    manifest.write_text(text.replace(one_line, "breaks:\n" + "".join(f"  - {b}\n" for b in shipped_breaks(root, "14"))))
    git("commit", "-q", "-am", "multi-line breaks", cwd=root)
    r = lynx("new", "break", "14", "x", cwd=root)
    assert r.returncode == 2 and "one-line list" in r.stderr and no_traceback(r)
    assert changed(root) == []


def test_new_phase_in_spanish_then_its_break_and_the_stale_record(tmp_path: Path) -> None:
    root = course_copy(tmp_path, phases=("13",))
    r = lynx("--lang", "es", "new", "phase", "18", "scaling-laws", cwd=root, check=True)
    assert "Fase 18 creada" in r.stdout, r.stdout
    assert (root / "phases/18-scaling-laws/theory/01-scaling-laws.es.md").is_file()
    assert "Made break 18-00" in lynx("new", "break", "18", "first", cwd=root, check=True).stdout
    listed = lynx("phases", "--json", cwd=root, check=True)
    assert "18" in {p["id"] for p in json.loads(listed.stdout)["phases"]}
    # the new phase's translations were never recorded: --stale names them, and translated records them
    v = lynx("validate", "--stale", cwd=root)
    assert v.returncode == 1 and "phases/18-scaling-laws/phase.yaml" in v.stdout and "never recorded" in v.stdout
    r = lynx("translated", "phases/18-scaling-laws/phase.yaml", "phases/18-scaling-laws/theory/01-scaling-laws.es.md",
             "breaks/18-00-first/break.yaml", cwd=root, check=True)
    assert "Recorded" in r.stdout
    assert lynx("validate", "--stale", cwd=root).returncode == 0


def test_stale_fails_when_the_english_changes_under_a_translation(tmp_path: Path) -> None:
    root = course_copy(tmp_path, phases=("13",))
    assert lynx("validate", "--stale", cwd=root).returncode == 0, "the shipped record is up to date"
    quiz = root / "data/quizzes/phase-13-embeddings.yaml"
    # the Spanish alone changes: still made from the same English
    quiz.write_text(quiz.read_text().replace("Subes la desviación típica", "Aumentas la desviación típica"))
    assert lynx("validate", "--stale", cwd=root).returncode == 0
    # the English changes: the translation of that field is stale, and only that file fails
    quiz.write_text(quiz.read_text().replace("You raise the init standard deviation to 1.0.",
                                             "You raise the init standard deviation to 2.0."))
    page = root / "phases/13-embeddings/theory/02-init-scale.en.md"
    page.write_text(page.read_text() + "\nOne more English sentence.\n")
    v = lynx("validate", "--stale", "--json", cwd=root)
    assert v.returncode == 1
    bad = {row["id"]: row["message"] for row in json.loads(v.stdout)["rows"] if not row["ok"]}
    assert set(bad) == {"data/quizzes/phase-13-embeddings.yaml", "phases/13-embeddings/theory/02-init-scale.es.md"}
    assert "questions/q-13-11/prompt (es)" in bad["data/quizzes/phase-13-embeddings.yaml"]
    assert "1 made from older English" in bad["phases/13-embeddings/theory/02-init-scale.es.md"]
    # the author updates the Spanish and records it; the other file stays stale
    lynx("translated", str(quiz), cwd=root, check=True)
    v = lynx("validate", "--stale", "--json", cwd=root)
    assert [row["id"] for row in json.loads(v.stdout)["rows"] if not row["ok"]] == [
        "phases/13-embeddings/theory/02-init-scale.es.md"]
    r = lynx("translated", "README.md", cwd=root)
    assert r.returncode == 2 and "no translations lynx knows" in r.stderr and no_traceback(r)


def test_mutants_finds_a_blind_spot_and_drafts_a_break_whose_patch_applies(tmp_path: Path) -> None:
    root = course_copy(tmp_path, phases=("14",))
    draft_id = f"14-{len(shipped_breaks(root, '14')):02d}"
    v = lynx("validate", "--mutants", "--mutate", "src/minimodel/nn/rnn.py", "--limit", "4", "--drafts", "--json",
             cwd=root, timeout=900)
    assert v.returncode == 1, v.stderr
    rows = json.loads(v.stdout)["rows"]
    assert rows[0]["message"].startswith("4 of ") and rows[0]["ok"]
    mutants = rows[1:]
    assert len(mutants) == 4
    killed = [m for m in mutants if m["ok"]]
    survived = [m for m in mutants if not m["ok"]]
    assert all(m["message"].startswith("killed by ") for m in killed) and killed
    # RNN.cell with `- self.w_hh(h)`: no fixture of build 14 and no break check looks at the plain RNN cell's sign
    assert [m["id"] for m in survived] == [
        "src/minimodel/nn/rnn.py:42 operator: `return (self.w_ih(x_t) + self.w_hh(h)).tanh()` → "
        "`return (self.w_ih(x_t) - self.w_hh(h)).tanh()`"]
    assert f"draft break {draft_id}" in survived[0]["message"]
    draft = next((root / "breaks").glob(f"{draft_id}-mutant-rnn-42-operator"))
    assert "- self.w_hh(h)" in (draft / "break.patch").read_text()
    git("apply", "--check", str(draft / "break.patch"), cwd=root)  # the draft's patch applies to the reference
    assert draft_id in yaml.safe_load((root / "phases/14-sequence-models/phase.yaml").read_text())["breaks"]
    assert git("diff", "--", "src", cwd=root) == "", "the course's own code is untouched"


def test_mutants_bad_input(tmp_path: Path) -> None:
    root = course_copy(tmp_path, phases=("14",))
    for args, says in ((("validate", "--mutants", "--mutate", "src/nothing.py"), "no such Python file"),
                       (("validate", "--limit", "3"), "go with --mutants"),
                       (("validate", "--stale", "--mutants"), "one at a time")):
        r = lynx(*args, cwd=root)
        assert r.returncode == 2 and says in r.stderr and no_traceback(r), r.stderr
    assert changed(root) == []
