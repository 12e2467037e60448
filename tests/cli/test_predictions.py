"""Scored predictions through the real CLI: recorded in the notes and progress, refused when malformed
(nothing changed), shown by `lynx run`, scored at `lynx done`, and proven by `lynx validate`."""

from __future__ import annotations

import json
import shutil

import pexpect
import pytest

from kit import REPO, finish, lynx, spawn, tree_hash


def test_a_scored_prediction_through_break_run_done_and_report(workspace):
    w = workspace
    p = spawn("break 13 02", w)
    p.expect("Your prediction: ")
    p.sendline("a first loss far above ln 512")
    p.expect("Your number: ")
    p.sendline("25")
    p.expect("How sure are you")
    p.sendline("120")  # out of range: asked again
    p.expect("outside 50-100")
    p.sendline("60")
    p.expect("Applied on branch")
    assert finish(p) == 0
    notes = (w / "learners/borja/phase-13/notes/breaks.md").read_text(encoding="utf-8")
    assert "**Expected:** 25 — confidence 60 %" in notes
    run = lynx("run", cwd=w)
    assert run.returncode == 0 and "Measured: " in run.stdout
    assert lynx("fix", "--apply", cwd=w).returncode == 0
    assert lynx("done", "-c", "y", cwd=w).returncode == 0
    attempt = json.loads((w / "learners/borja/progress.json").read_text())["breaks"]["13-02"]["attempts"][-1]
    assert attempt["expect"] == "25" and attempt["confidence"] == 60 and attempt["hit"] is True  # within 25 %
    assert 0 < attempt["log_error"] < 0.223
    report = json.loads(lynx("report", "--json", cwd=w).stdout)
    assert report["brier"] == pytest.approx((0.6 - 1) ** 2) and report["scored"]["log_error"] == attempt["log_error"]
    text = lynx("report", cwd=w).stdout
    assert "Brier score 0.160" in text and "60-69 %" in text


def test_bad_expectations_are_refused_with_one_line_and_nothing_changed(workspace):
    before = tree_hash(workspace)
    for args, says in ((["--expect", "a", "--confidence", "120"], "outside 50-100"),
                       (["--expect", "z", "--confidence", "80"], "not an option"),
                       (["--confidence", "80"], "goes with --expect"),
                       (["--expect", "a"], "needs --confidence")):
        r = lynx("break", "13", "--predict", "x", *args, cwd=workspace)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and says in r.stderr, (args, r.stderr)
        assert tree_hash(workspace) == before, args
    r = lynx("break", "13", "02", "--predict", "x", "--expect", "b", "--confidence", "70", cwd=workspace)
    assert r.returncode == 2 and "asks for a number" in r.stderr and tree_hash(workspace) == before


def test_validate_proves_each_outcome_and_catches_a_wrong_key(tmp_path):
    course = tmp_path / "course"
    for part in ("src", "breaks", "phases", "data"):
        shutil.copytree(REPO / part, course / part, ignore=shutil.ignore_patterns("__pycache__"))
    for other in course.glob("breaks/*"):
        if not other.name.startswith("15-00"):
            shutil.rmtree(other)
    for manifest in course.glob("phases/*/phase.yaml"):
        text = manifest.read_text(encoding="utf-8")
        if "15-00" not in text:
            shutil.rmtree(manifest.parent)
    manifest, = course.glob("phases/*/phase.yaml")
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("breaks: [15-00, 15-01]", "breaks: [15-00]"),
                        encoding="utf-8")
    shutil.rmtree(manifest.parent / "build", ignore_errors=True)
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text("\n".join(ln for ln in text.splitlines() if not ln.startswith("build:")) + "\n", encoding="utf-8")
    r = lynx("validate", "--course", str(course), "--json")
    rows = {(x["kind"], x["id"]): x for x in json.loads(r.stdout)["rows"]}
    assert rows[("break", "15-00")]["ok"] and "outcome proven" in rows[("break", "15-00")]["message"]
    yml = course / "breaks/15-00-attention-no-scale/break.yaml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("value: 56.74", "value: 12.0"), encoding="utf-8")
    r = lynx("validate", "--course", str(course), "--json")
    row = {(x["kind"], x["id"]): x for x in json.loads(r.stdout)["rows"]}[("break", "15-00")]
    assert r.returncode == 1 and not row["ok"] and "outcome not proven" in row["message"]
