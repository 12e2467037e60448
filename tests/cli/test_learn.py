"""`lynx learn`: phase 13's theory pages listed, shown, in both languages; and published by the mirror."""

from __future__ import annotations

import json

import pytest
import yaml
from kit import REPO, lynx

PHASE = REPO / "phases" / "13-embeddings"


def test_manifest_lists_five_pages_that_exist_in_both_languages():
    data = yaml.safe_load((PHASE / "phase.yaml").read_text(encoding="utf-8"))
    assert [p["id"] for p in data["pages"]] == ["01", "02", "03", "04", "05"]
    for p in data["pages"]:
        for lang in ("en", "es"):
            body = (PHASE / p["file"][lang]).read_text(encoding="utf-8")
            assert body.startswith(f"# {p['id']} — "), f"{p['file'][lang]} should open with its number"
            assert len(body) > 2000


def test_learn_lists_the_pages(ws):
    out = lynx("learn", "13", check=True, cwd=ws).stdout
    for title in ("An embedding is a lookup", "Initialisation and scale", "Tied input and output", "Rank collapse",
                  "Similarity and pictures"):
        assert title in out
    es = lynx("learn", "13", "--lang", "es", check=True, cwd=ws).stdout
    assert "Colapso de rango" in es and "Teoría" in es
    data = json.loads(lynx("learn", "13", "--json", check=True, cwd=ws).stdout)
    assert [p["id"] for p in data["pages"]] == ["01", "02", "03", "04", "05"]
    assert data["pages"][3]["file"] == "phases/13-embeddings/theory/04-rank-collapse.en.md"


@pytest.mark.parametrize("lang, heading", [("en", "Rank collapse of a token-embedding table"),
                                           ("es", "Colapso de rango de una tabla de embeddings")])
def test_learn_renders_a_page(ws, lang, heading):
    proc = lynx("learn", "13", "04", "--lang", lang, check=True, cwd=ws)
    assert heading in proc.stdout
    assert "#" not in proc.stdout.splitlines()[0], "Markdown is rendered, not printed raw"
    assert "r_eff" in proc.stdout and "<!--" not in proc.stdout


def test_page_ids_can_be_short(ws):
    assert "lookup" in lynx("learn", "13", "1", check=True, cwd=ws).stdout


def test_unknown_page_and_phase_are_one_line_errors(ws):
    proc = lynx("learn", "13", "09", cwd=ws)
    assert proc.returncode == 2 and "no theory page" in proc.stderr and "Traceback" not in proc.stderr
    proc = lynx("learn", "99", cwd=ws)
    assert proc.returncode == 2 and "unknown phase" in proc.stderr


def test_missing_page_file_names_the_manifest(ws):
    (ws / "phases" / "13-embeddings" / "theory" / "02-init-scale.es.md").unlink()
    proc = lynx("learn", "13", "02", "--lang", "es", cwd=ws)
    assert proc.returncode == 2 and "phase.yaml" in proc.stderr and "02-init-scale.es.md" in proc.stderr


def test_mirror_publishes_the_pages(tmp_path):
    out = tmp_path / "site"
    proc = lynx("render", "--course", str(REPO), "--out", str(out), cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    for lang, pre in (("en", ""), ("es", "es/")):
        for name in ("01-lookup", "02-init-scale", "03-tied-embeddings", "04-rank-collapse", "05-similarity"):
            assert (out / f"{pre}theory/13-embeddings/{name}.{lang}.md").is_file()
    page = (out / "theory/13-embeddings/04-rank-collapse.en.md").read_text(encoding="utf-8")
    assert "| after 20 epochs | 95.1 |" in page
