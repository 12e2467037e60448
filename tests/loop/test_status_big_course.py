"""On a course bigger than a screen, status is about the learner: touched phases, the next one, a pointer."""

from __future__ import annotations

import json
import subprocess
import sys

from lynxtest import REPO, lynx


def test_status_on_a_forty_phase_course(tmp_path):
    course = tmp_path / "big"
    subprocess.run([sys.executable, str(REPO / "benchmarks/make_course.py"), str(course), "--phases", "40",
                    "--breaks", "80"], check=True, capture_output=True)
    ws = tmp_path / "ws"
    r = lynx("init", str(ws), "--learner", "p", "--from", str(course), "--yes")
    assert r.returncode == 0, r.stderr
    st = json.loads(lynx("status", "--json", cwd=ws).stdout)
    assert st["phases_total"] >= 40
    assert [p["id"] for p in st["phases"]] == ["13"]  # nothing touched yet: only the next phase
    assert lynx("break", "13", "--predict", "x", cwd=ws).returncode == 0
    assert lynx("fix", "--apply", cwd=ws).returncode == 0
    assert lynx("done", "-c", "y", cwd=ws).returncode == 0
    text = lynx("status", cwd=ws).stdout
    assert " 13 " in text and "more phases: `lynx phases` lists them all" in text
    phases = json.loads(lynx("phases", "--json", cwd=ws).stdout)["phases"]
    assert len(phases) == st["phases_total"]
