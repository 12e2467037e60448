"""A command about one break reads no more of a big course than of the bundled one.

Counted, not timed: benchmarks/course_reads.py runs lynx with an audit hook and counts the course files
it opens, the cache entries it reads and the folders it lists (folder listings are one each, whatever
their size). The same counts on a 40-phase course as on the 5 bundled phases mean O(1) in course size.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from kit import ENV, REPO, git, lynx
from test_benchmarks import _load

reads = _load("lynx_bench_course_reads", "course_reads.py")


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reads")
    subprocess.run([sys.executable, str(REPO / "benchmarks/make_course.py"), str(tmp / "big"), "--phases", "40",
                    "--breaks", "80"], check=True, capture_output=True)
    small, big = tmp / "small", tmp / "big-ws"
    assert lynx("init", str(small), "--learner", "p").returncode == 0
    assert lynx("init", str(big), "--learner", "p", "--from", str(tmp / "big"), "--yes").returncode == 0
    for ws in (small, big):  # warm the content cache, as the learner's earlier commands did
        assert lynx("break", "13", "00", "--predict", "x", cwd=ws).returncode == 0
        assert lynx("status", cwd=ws).returncode == 0
        assert lynx("abort", cwd=ws).returncode == 0
        git("branch", "-D", "lynx/break/13-00", cwd=ws)
    return small, big


def test_break_hint_status_abort_read_the_same_on_a_big_course(workspaces):
    counts = {}
    for name, ws in zip(("small", "big"), workspaces):
        counts[name] = {
            "break": reads.count(ws, "break", "13", "00", "--predict", "x", env=ENV),
            "hint": reads.count(ws, "hint", env=ENV),
            "status": reads.count(ws, "status", env=ENV),
            "abort": reads.count(ws, "abort", env=ENV),
        }
    for cmd in ("break", "hint", "status", "abort"):
        small, big = counts["small"][cmd], counts["big"][cmd]
        assert big["opened"] == 0, f"lynx {cmd} parsed course files despite a warm cache: {big}"
        for kind in ("cache", "listed"):
            assert big[kind] <= small[kind], f"lynx {cmd} reads more of a big course: {big} vs {small}"
    # the active break's folder is in state.json: hint lists no folder at all, breaks/ of any size
    assert counts["big"]["hint"]["listed"] == 0 == counts["small"]["hint"]["listed"], counts


def test_hint_still_finds_a_break_whose_folder_was_renamed(workspaces):
    small, _ = workspaces
    assert lynx("break", "13", "01", "--predict", "x", cwd=small).returncode == 0
    old = small / "breaks" / "13-01-embedding-scatter"
    old.rename(small / "breaks" / "13-01-scatter-renamed")  # an author renamed it meanwhile
    try:
        r = lynx("hint", cwd=small)
        assert r.returncode == 0 and "1/" in r.stdout, r.stdout + r.stderr
    finally:
        (small / "breaks" / "13-01-scatter-renamed").rename(old)
        assert lynx("abort", cwd=small).returncode == 0


def test_the_counter_sees_a_command_that_reads_the_whole_course(workspaces):
    small, big = workspaces
    # `lynx phases` lists every phase: its reads must grow with the course, or the counter is blind
    assert reads.count(big, "phases", env=ENV)["cache"] >= 40 > reads.count(small, "phases", env=ENV)["cache"]
