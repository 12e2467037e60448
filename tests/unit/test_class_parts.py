"""The class view's parts on their own: refs read from files, objects read and written out safely, the roster,
the table's widths and cells, timestamps, and the sandbox that runs a learner's code."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kit import ENV, git

from lynx.core import sandbox
from lynx.core.errors import LynxError
from lynx.teacher import roster
from lynx.teacher.summary import zulu
from lynx.teacher.table import tell_apart
from lynx.term.class_view import NARROW, clean, safe_csv, widths
from lynx.vcs import refs
from lynx.vcs.objects import ObjectReader


@pytest.fixture
def repo(tmp_path) -> Path:
    r = tmp_path / "r"
    r.mkdir()
    git("init", "-q", "-b", "main", cwd=r)
    (r / "a.txt").write_text("one\n")
    (r / "src").mkdir()
    (r / "src" / "m.py").write_text("x = 1\n")
    os.symlink("/etc/passwd", r / "src" / "link")
    git("add", "-A", cwd=r)
    git("commit", "-q", "-m", "one", cwd=r)
    git("branch", "lynx/break/13-00", cwd=r)
    return r


def test_refs_are_read_from_files_as_git_reads_them(repo):
    head = git("rev-parse", "HEAD", cwd=repo).strip()
    assert refs.local_heads(repo) == ({"main": head, "lynx/break/13-00": head}, "main")
    assert refs.local_heads(repo, every=False) == ({"main": head}, "main")
    git("pack-refs", "--all", cwd=repo)  # now only in packed-refs
    assert refs.local_heads(repo)[0] == {"main": head, "lynx/break/13-00": head}
    assert refs.local_heads(repo.parent / "nothing") is None
    assert refs.is_local(str(repo)) and not refs.is_local("git://h/x.git") and not refs.is_local("host:x.git")


def test_a_fifo_in_a_learners_refs_never_stalls_the_reader(repo):
    os.mkfifo(repo / ".git" / "refs" / "heads" / "stuck")
    done = []
    t = threading.Thread(target=lambda: done.append(refs.local_heads(repo)), daemon=True)
    t.start()
    t.join(20)
    assert done and "stuck" not in (done[0] or ({}, None))[0]


def test_objects_are_read_through_one_process_and_written_out_safely(repo, tmp_path):
    head = git("rev-parse", "HEAD", cwd=repo).strip()
    with ObjectReader(repo / ".git") as r:
        assert r.text(head, "a.txt") == "one\n"
        assert r.folders(head, "") == ["src"]
        assert r.text(head, "missing.txt") is None and r.text("0" * 40, "a.txt") is None
        n = r.export(r.tree_id(head, "src"), tmp_path / "out")
        assert n == 1 and (tmp_path / "out" / "m.py").read_text() == "x = 1\n"
        assert not (tmp_path / "out" / "link").exists()  # a symlink is never written out
        assert r.read_many([head, "not an id", head])[1] is None


def test_a_tree_entry_that_would_leave_the_folder_is_refused(repo, tmp_path):
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo, input="evil\n", capture_output=True,
                          text=True, env=ENV).stdout.strip()
    made = subprocess.run(["git", "mktree"], cwd=repo, input=f"100644 blob {blob}\t..\n100644 blob {blob}\tok.py\n",
                          capture_output=True, text=True, env=ENV)
    if made.returncode != 0:
        pytest.skip("this git refuses to make a tree entry named '..'")
    with ObjectReader(repo / ".git") as r:
        r.export(made.stdout.strip(), tmp_path / "out" / "src")
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["ok.py", "src"]


def test_a_roster_is_checked_and_one_line_names_the_problem(tmp_path):
    f = tmp_path / "class.yaml"
    f.write_text("learners:\n  - {name: Ana, id: 14, email: a@b, remote: ana.git}\n  - {name: Bo}\n")
    got = roster.read_class_file(f)
    assert got[0] == roster.Remote(url=str(tmp_path / "ana.git"), name="Ana", id="14", email="a@b")
    assert got[1].url == "" and got[1].name == "Bo"
    for text, says in (("learners:\n  - {id: 3}\n", "learners[0].name"), ("title: x\n", "remotes"),
                       ("learners:\n  - {name: A, colour: red}\n", "unknown key"), ("remotes: 7\n", "remotes")):
        f.write_text(text)
        with pytest.raises(LynxError) as e:
            roster.read_class_file(f)
        assert says in e.value.line() and "\n" not in e.value.line()


def test_learners_of_the_same_name_are_told_apart_by_their_remote():
    rows = [{"name": "bob", "remote": "/srv/a/bob.git", "branch": "main"},
            {"name": "bob", "remote": "/srv/b/bob.git", "branch": "main"},
            {"name": "ana", "remote": "/srv/a/ana.git", "branch": "main"}]
    tell_apart(rows)
    assert [r["name"] for r in rows] == ["bob (a/bob.git)", "bob (b/bob.git)", "ana"]


def test_the_table_widths_fit_80_columns_keep_names_and_the_note():
    cols = ["name", "phase", "breaks_done", "hints_per_break", "quiz", "calibration", "cards_due", "last_activity", "note"]
    titles = ["Name", "Phase", "Breaks", "Hints/break", "Quiz", "Calibration", "Cards due", "Last activity", "Note"]
    cells = [["alexandrina-de-la-fuente", "14", "11 (2 sol.)", "1.27", "13:7/12 14:11/12 15:6/12", "68% (22)", "38",
              "2026-10-11 23:07", "unreachable: timed out after 30 s"]]
    w = widths(cols, cells, titles, 80)
    assert sum(w.values()) + len(cols) - 1 <= 80 and w["name"] >= 12 and w["note"] >= NARROW["note"]
    assert widths(cols, cells, titles, 400) == {c: max(len(t), len(x)) for c, t, x in zip(cols, titles, cells[0])}


def test_untrusted_text_is_made_safe_for_a_terminal_and_a_spreadsheet():
    assert clean("a\x1b[31mb\u202ec\nd") == "a?[31mb?c d"
    assert safe_csv("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and safe_csv("-1") == "-1" and safe_csv("ok") == "ok"


def test_every_timestamp_is_written_utc_with_z():
    assert zulu("2026-10-01T10:00:00+00:00") == "2026-10-01T10:00:00Z"
    assert zulu("2026-10-01T10:00:00.123456Z") == "2026-10-01T10:00:00Z"
    assert zulu("2026-10-01T12:00:00+02:00") == "2026-10-01T10:00:00Z"
    assert zulu("2026-10-01T10:00:00") == "2026-10-01T10:00:00Z" and zulu("yesterday") is None and zulu(7) is None


def run_sandboxed(tmp_path: Path, code: str, timeout: float = 60, **limits) -> sandbox.Finished:
    return sandbox.run(tmp_path, [sys.executable, "-c", code], timeout, limits=sandbox.Limits(**limits))


def test_the_sandbox_gives_an_empty_environment_and_its_own_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TEACHERS_SECRET", "s3cret")
    done = run_sandboxed(tmp_path, "import os, json; print(json.dumps(dict(os.environ)))")
    assert done.returncode == 0, done.output
    env = __import__("json").loads(done.output.strip().splitlines()[-1])
    assert "TEACHERS_SECRET" not in env and env["HOME"].startswith(str(tmp_path))
    assert env["TMPDIR"].startswith(str(tmp_path))


def test_the_sandbox_stops_a_run_at_its_timeout_with_everything_it_started(tmp_path):
    done = run_sandboxed(tmp_path, "import subprocess, time; subprocess.Popen(['sleep', '300']); time.sleep(300)", timeout=2)
    assert done.timed_out
    left = subprocess.run(["pgrep", "-f", "sleep 300"], capture_output=True, text=True).stdout.split()
    assert not [p for p in left if Path(f"/proc/{p}/cwd").exists() and str(tmp_path) in os.path.realpath(f"/proc/{p}/cwd")]


def test_the_sandbox_limits_memory_and_file_size(tmp_path):
    done = run_sandboxed(tmp_path, "x = bytearray(3 * 2**30)", memory_mb=1024)
    assert done.returncode != 0 and "MemoryError" in done.output
    done = run_sandboxed(tmp_path, "open('big', 'wb').write(b'x' * 8 * 2**20)", file_mb=1)
    assert done.returncode != 0 and (tmp_path / "big").stat().st_size <= 2**20


def test_the_sandbox_has_no_network_where_the_machine_allows_it(tmp_path):
    iso = sandbox.isolation()
    if iso.network:
        pytest.skip(f"no network namespace on this machine (isolation: {iso.kind}); docs/teachers.md names the fallback")
    done = run_sandboxed(tmp_path, "import socket; s = socket.socket(); s.settimeout(3);"
                                   " print(s.connect_ex(('1.1.1.1', 53)))")
    assert done.returncode == 0 and done.output.strip() not in ("0", "")
    listening = run_sandboxed(tmp_path, "import socket; print([i[1] for i in socket.if_nameindex()])")
    assert "eth0" not in listening.output
