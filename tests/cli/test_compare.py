"""`lynx run --compare` as a learner runs it: the table at 80 columns, the JSON, the PNG, and the refusals."""

from __future__ import annotations

import json

from kit import env, lynx, tree_hash


def test_compare_marks_the_first_departing_module_and_fits_80_columns(workspace):
    assert lynx("break", "13", "02", "--predict", "x", cwd=workspace).returncode == 0
    r = lynx("run", "--compare", cwd=workspace, env=env(COLUMNS="80"))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    marked = [line for line in lines if line.startswith("▶ ")]
    assert len(marked) == 1 and "TiedLM.embed" in marked[0]
    assert "the difference is made inside TiedLM.embed" in " ".join(r.stdout.split())
    assert "first_loss" in r.stdout and "Loss, step by step" in r.stdout


def test_compare_json_and_plot(workspace, tmp_path):
    assert lynx("break", "13", "00", "--predict", "x", cwd=workspace).returncode == 0
    png = tmp_path / "runs.png"
    r = lynx("run", "--compare", "--json", "--plot", str(png), cwd=workspace)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["break"] == "13-00" and data["where"] == "crash"
    crash = data["yours"]["crash"]
    assert crash["type"] == "ValueError" and crash["file"].endswith("functional.py") and crash["modules_ran"]
    assert data["reference"]["crash"] is None and len(data["reference"]["losses"]) >= 10
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_compare_in_spanish(workspace):
    assert lynx("break", "16", "01", "--predict", "x", cwd=workspace).returncode == 0
    r = lynx("run", "--compare", "--lang", "es", cwd=workspace, env=env(COLUMNS="80"))
    assert r.returncode == 0 and "propio forward de TransformerBlock" in " ".join(r.stdout.split()), r.stdout


def test_compare_refuses_without_a_break_and_plot_without_compare(workspace):
    before = tree_hash(workspace)
    r = lynx("run", "--compare", cwd=workspace)
    assert r.returncode == 2 and "no break is active" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert lynx("break", "13", "--predict", "x", cwd=workspace).returncode == 0
    after_break = tree_hash(workspace)
    r = lynx("run", "--plot", "x.png", cwd=workspace)
    assert r.returncode == 2 and "go with --compare" in r.stderr and not (workspace / "x.png").exists()
    assert tree_hash(workspace) == after_break != before
