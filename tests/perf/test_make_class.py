"""The class generator under benchmarks/ makes repositories `lynx class` can read (no timing here)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from kit import ENV, REPO, lynx


def test_generated_class_reads_back(tmp_path):
    out = tmp_path / "class"
    r = subprocess.run([sys.executable, str(REPO / "benchmarks" / "make_class.py"), str(out), "-n", "6", "--seed", "3"],
                       capture_output=True, text=True, env=ENV, timeout=300)
    assert r.returncode == 0, r.stderr
    assert len(list(out.glob("*.git"))) == 6
    r = lynx("class", "--file", str(out / "class.yaml"), "--cache", str(tmp_path / "cache"), "--csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 6 and len({row["name"] for row in rows}) == 6
    assert any(row["breaks_done"] not in ("", "0") for row in rows)
    assert all(row["last_activity"] for row in rows)


def test_remote_that_looks_like_an_option_is_refused(tmp_path):
    r = lynx("class", "--remote", "--upload-pack=touch pwned", "--cache", str(tmp_path / "c"), "--json", cwd=tmp_path)
    assert r.returncode == 1 and "is not a repository URL" in r.stdout  # a row with a note; exit 1: one remote unread
    assert not (tmp_path / "pwned").exists()
