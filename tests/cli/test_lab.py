"""`lynx lab 13 rank-collapse`: the lab as data in the manifest, run on the learner's code, args passed through."""

from __future__ import annotations

import json

from kit import lynx


def test_lab_lists_and_runs_with_extra_args(ws, tmp_path):
    out = lynx("lab", "13", check=True, cwd=ws).stdout
    assert "rank-collapse" in out
    png = tmp_path / "spectra.png"
    proc = lynx("lab", "13", "rank-collapse", "--epochs", "1", "--json", "--plot", str(png), check=True, cwd=ws)
    data = json.loads(proc.stdout)
    assert data["config"]["epochs"] == 1 and len(data["trained"]["effective_rank_per_epoch"]) == 1
    assert data["init"]["effective_rank"] > data["trained"]["effective_rank"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_lab_runs_the_learners_code(ws):
    """The lab imports the learner's src/ (not lynx's copy), and its exit status comes back."""
    emb = ws / "src" / "minimodel" / "nn" / "embedding.py"
    code = emb.read_text(encoding="utf-8")
    emb.write_text(code.replace("        ids = self._check_ids(ids)\n",
                                "        raise RuntimeError('a bug in bea embedding')\n", 1), encoding="utf-8")
    proc = lynx("lab", "13", "rank-collapse", "--epochs", "1", cwd=ws)
    assert proc.returncode == 1 and "a bug in bea embedding" in proc.stderr


def test_lab_errors(ws):
    proc = lynx("lab", "13", "nope", cwd=ws)
    assert proc.returncode == 2 and "no lab 'nope'" in proc.stderr and "rank-collapse" in proc.stderr
    proc = lynx("lab", "13", "rank-collapse", "--epochs", "0", cwd=ws)
    assert proc.returncode == 2 and "--epochs must be at least 1" in proc.stderr
    assert "phase 14 has no labs" in lynx("lab", "14", cwd=ws).stdout.lower()


def test_validate_checks_the_lab_module(tmp_path):
    import shutil

    from kit import REPO
    from lynx.authoring.validate import lab_rows

    rows = {r.id: r for r in lab_rows(REPO, 1)}
    assert rows["13/rank-collapse"].ok
    course = tmp_path / "c"
    shutil.copytree(REPO / "phases", course / "phases")
    (course / "src").mkdir()
    rows = {r.id: r for r in lab_rows(course, 1)}
    assert not rows["13/rank-collapse"].ok and "not found under src/" in rows["13/rank-collapse"].message


def test_lab_speaks_the_learners_language_and_passes_help_through(ws):
    es = lynx("lab", "13", "rank-collapse", "--epochs", "1", "--lang", "es", check=True, cwd=ws).stdout
    assert "al inicio" in es and "123,7" in es and "nunca vistos" in es
    en = lynx("lab", "13", "rank-collapse", "--epochs", "1", check=True, cwd=ws).stdout
    assert "at init" in en and "123.7" in en
    helped = lynx("lab", "13", "rank-collapse", "--", "--help", check=True, cwd=ws).stdout
    assert "usage: rank_collapse.py" in helped and "--plot" in helped


def test_similarity_lab_runs_in_a_workspace(ws, tmp_path):
    """`lynx lab 13 similarity` (page 05) is listed and runs on the learner's code, --json and --plot passed through."""
    assert "similarity" in lynx("lab", "13", check=True, cwd=ws).stdout
    png = tmp_path / "sim.png"
    data = json.loads(lynx("lab", "13", "similarity", "--json", "--plot", str(png), check=True, cwd=ws).stdout)
    assert data["words"] == 24 and data["mean_top1_cosine"]["trained"] > data["mean_top1_cosine"]["init"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
