"""`lynx class` over real learners' repositories served by a real `git daemon` on 127.0.0.1 (git://) and over
plain paths: the table, what a second run reads (nothing), a new push, rewritten history, deadlines,
a roster, learners of the same name, bounded remotes and exit codes, 80 columns, CSV timestamps."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from kit import ENV, git, lynx, push_all, quiz_answers


def learner(template_for, root: Path, name: str) -> Path:
    ws = root / name
    shutil.copytree(template_for(name), ws, symlinks=True)
    return ws


def break_done(ws: Path, calibration: str, solution: bool, prediction: str = "it will crash in the loss",
               env: dict | None = None) -> None:
    assert lynx("break", "13-00", "--predict", prediction, cwd=ws, env=env).returncode == 0
    if solution:
        assert lynx("fix", "--apply", cwd=ws, env=env).returncode == 0
    else:
        git("apply", "-R", str(next(ws.glob("breaks/13-00-*/break.patch"))), cwd=ws)
    r = lynx("done", "--calibration", calibration, cwd=ws, env=env)
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def klass(template_for, git_daemon, tmp_path_factory):
    """ana (hands in with `lynx submit`, over git://), bob (over git://), another bob (a path), dee (an empty
    repository), and cam (on the roster, no repository)."""
    served, url = git_daemon
    root = tmp_path_factory.mktemp("remotes")
    ana = learner(template_for, root, "ana")
    break_done(ana, "n", solution=True)
    r = lynx("quiz", "phase-13", "--json", cwd=ana, input=json.dumps(quiz_answers(ana, wrong={"q-13-01": 1})))
    assert r.returncode in (0, 1), r.stderr
    assert not git("status", "--porcelain", "learners", cwd=ana).strip()  # lynx committed the attempt itself
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(served / "ana.git")], check=True, env=ENV)
    git("remote", "add", "origin", str(served / "ana.git"), cwd=ana)
    r = lynx("submit", cwd=ana)
    assert r.returncode == 0 and "Submitted to origin" in r.stdout, r.stderr
    bob = learner(template_for, root, "bob")
    for _ in range(1):
        assert lynx("break", "13-00", "--predict", "the loss stalls", cwd=bob).returncode == 0
        assert lynx("hint", cwd=bob).returncode == 0
        git("apply", "-R", str(next(bob.glob("breaks/13-00-*/break.patch"))), cwd=bob)
        assert lynx("done", "--calibration", "y", cwd=bob).returncode == 0
    push_all(bob, served / "bob.git")
    other = root / "group-b"
    other.mkdir()
    bob2 = learner(template_for, other, "bob")
    push_all(bob2, other / "bob.git")
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(served / "dee.git")], check=True, env=ENV)
    (root / "class.yaml").write_text(
        "title: test class\n"
        "learners:\n"
        f"  - {{name: Ana, id: s1, email: ana@school.example, remote: '{url}/ana.git'}}\n"
        "  - {name: Cam, id: s3}\n"
        "remotes:\n"
        f"  - {url}/bob.git\n"
        f"  - {other / 'bob.git'}\n"
        f"  - {url}/dee.git\n", encoding="utf-8")
    return {"root": root, "url": url, "served": served, "ana": ana, "bob": bob, "bob2": bob2}


def run(k, *args: str, cache: str = "cache", code: int = 0, env: dict | None = None) -> tuple[str, str]:
    r = lynx("class", *args, "--cache", str(k["root"] / cache), cwd=k["root"], env=env)
    assert r.returncode == code, (r.returncode, r.stdout[-2000:], r.stderr)
    assert "Traceback" not in r.stderr
    return r.stdout, r.stderr


def rows_of(k, *args: str, **kw) -> dict[str, dict]:
    out, _ = run(k, *args, "--json", **kw)
    return {r["name"]: r for r in json.loads(out)}


def test_table_over_git_daemon_and_paths_with_a_roster(klass):
    by = rows_of(klass)
    assert set(by) == {"Ana", "Cam", "bob (127.0.0.1:" + klass["url"].rsplit(":", 1)[1] + "/bob.git)",
                       "bob (group-b/bob.git)", "dee"}
    ana = by["Ana"]
    assert (ana["id"], ana["email"], ana["phase"], ana["breaks_done"], ana["breaks_with_solution"]) == \
        ("s1", "ana@school.example", "13", 1, 1)
    assert ana["calibration"] == 0.0 and ana["note"] == ""
    total = len(quiz_answers(klass["ana"]))
    assert ana["quiz"] == {"13": f"{total - 1}/{total}"}
    served_bob = next(r for n, r in by.items() if n.startswith("bob (127"))
    assert (served_bob["breaks_done"], served_bob["breaks_with_solution"], served_bob["hints_per_break"],
            served_bob["calibration"]) == (1, 0, 1.0, 1.0)
    assert by["bob (group-b/bob.git)"]["note"] == "no lynx data yet"  # a new workspace, pushed
    assert by["Cam"]["note"].startswith("never pushed") and by["Cam"]["never_pushed"]
    assert by["dee"]["note"].startswith("never pushed")


def test_a_second_run_reads_nothing_and_a_new_push_is_the_only_one_read(klass, tmp_path):
    rows_of(klass, cache="c2")
    cache = klass["root"] / "c2"
    state = cache / "class.json"
    stamp = state.stat().st_mtime_ns
    repos = {p.name: p for p in (cache / "repos").iterdir()}
    before = {n: sorted((f.relative_to(p).as_posix(), f.stat().st_mtime_ns) for f in p.rglob("*") if f.is_file())
              for n, p in repos.items()}
    again = rows_of(klass, cache="c2")
    assert state.stat().st_mtime_ns == stamp  # nothing changed: the cache file is not even rewritten
    # ana studies some cards (lynx commits them itself) and hands in again
    r = lynx("cards", "--learn", "--count", "1", cwd=klass["ana"], input="\ny\n")
    assert r.returncode == 0, r.stderr
    assert lynx("submit", cwd=klass["ana"]).returncode == 0
    third = rows_of(klass, cache="c2")
    assert third["Ana"]["commit"] != again["Ana"]["commit"]
    after = {n: sorted((f.relative_to(p).as_posix(), f.stat().st_mtime_ns) for f in p.rglob("*") if f.is_file())
             for n, p in repos.items()}
    changed = [n for n in repos if after[n] != before[n]]
    assert len(changed) == 1  # only ana's cache repository was fetched into
    assert state.stat().st_mtime_ns != stamp


def test_a_rewritten_history_is_a_warning(klass, template_for, tmp_path):
    served = klass["served"]
    eve = learner(template_for, tmp_path, "eve")
    break_done(eve, "y", solution=True)
    push_all(eve, served / "eve.git")
    args = ("--remote", f"{klass['url']}/eve.git")
    first, _ = run(klass, *args, "--json", cache="c3")
    git("reset", "-q", "--hard", "HEAD~1", cwd=eve)
    git("commit", "-q", "--allow-empty", "-m", "history rewritten", cwd=eve)
    git("push", "-q", "-f", str(served / "eve.git"), "main", cwd=eve)
    out, err = run(klass, *args, "--json", cache="c3")
    row = json.loads(out)[0]
    assert row["warning"].startswith("history rewritten since the last fetch")
    assert "history rewritten" in err and row["commit"] != json.loads(first)[0]["commit"]


def test_as_of_reads_the_class_from_history(klass, template_for, tmp_path):
    served = klass["served"]
    fay = tmp_path / "fay"
    old = {"GIT_AUTHOR_DATE": "2026-09-01T10:00:00Z", "GIT_COMMITTER_DATE": "2026-09-01T10:00:00Z",
           "LYNX_NOW": "2026-09-01T10:00:00Z"}
    assert lynx("init", str(fay), "--learner", "fay", env=old).returncode == 0
    later = {"GIT_AUTHOR_DATE": "2026-10-05T10:00:00Z", "GIT_COMMITTER_DATE": "2026-10-05T10:00:00Z",
             "LYNX_NOW": "2026-10-05T10:00:00Z"}
    break_done(fay, "y", solution=True, env=later)
    push_all(fay, served / "fay.git")
    args = ("--remote", f"{klass['url']}/fay.git", "--json")
    now = json.loads(run(klass, *args, cache="c4")[0])[0]
    assert now["breaks_done"] == 1
    then = json.loads(run(klass, *args, "--as-of", "2026-10-01", cache="c4")[0])[0]
    assert then["breaks_done"] is None and then["note"] == "no lynx data yet" and then["commit"] != now["commit"]
    before, _ = run(klass, *args, "--as-of", "2026-08-01T00:00Z", cache="c4")
    assert json.loads(before)[0]["note"].startswith("nothing pushed by 2026-08-01")
    local = json.loads(run(klass, "--remote", str(served / "fay.git"), "--json", "--as-of", "2026-10-01", cache="c4b")[0])[0]
    assert local["commit"] == then["commit"]  # a path read in place gives the same answer


@pytest.mark.parametrize("args, says", [
    (("nobody-here",), "no learner called 'nobody-here'"),
    (("--as-of", "next tuesday"), "--as-of 'next tuesday' is not a date"),
    (("bob",), "2 learners are called 'bob'"),
])
def test_bad_input_is_one_line_and_exit_2(klass, args, says):
    r = lynx("class", *args, "--cache", str(klass["root"] / "cache"), cwd=klass["root"])
    assert r.returncode == 2 and says in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_a_bad_roster_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "class.yaml").write_text("learners:\n  - {id: s1, remote: /x.git}\n")
    r = lynx("class", "--cache", str(tmp_path / "c"), cwd=tmp_path)
    assert r.returncode == 2 and "class.yaml" in r.stderr and "learners[0].name" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.fixture
def silent_server():
    """A TCP server that accepts every connection and never says a word: a hung git host."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held, stop = [], threading.Event()

    def serve():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                pass

    th = threading.Thread(target=serve, daemon=True)
    th.start()
    yield srv.getsockname()[1]
    stop.set()
    th.join()
    for c in held:
        c.close()
    srv.close()


def test_a_remote_that_never_answers_costs_at_most_the_timeout(klass, silent_server):
    t0 = time.monotonic()
    out, err = run(klass, "--timeout", "3", "--remote", f"git://127.0.0.1:{silent_server}/silent.git",
                   "--remote", f"{klass['url']}/bob.git", "--json", cache="c5", code=1)
    assert time.monotonic() - t0 < 60  # generous: the bound, not a timing
    by = {r["name"]: r for r in json.loads(out)}
    assert by["silent"]["note"] == "unreachable: timed out after 3 s"
    assert by["bob"]["breaks_done"] == 1
    assert "1 of 2 remotes could not be read" in err


def test_gits_second_line_is_kept(klass):
    port = __import__("kit").free_port()  # nothing listens there
    out, err = run(klass, "--remote", f"git://127.0.0.1:{port}/x.git", "--json", cache="c6", code=1)
    assert "Connection refused" in json.loads(out)[0]["note"]


def test_the_table_fits_80_columns_and_keeps_names_and_notes(klass, template_for, tmp_path):
    long = "alexandrina-de-la-fuente"
    ws = learner(template_for, tmp_path, long)
    break_done(ws, "partly", solution=False, prediction="[bold red]not markup[/] \x1b[31mnor an escape")
    push_all(ws, tmp_path / f"{long}.git")
    out, _ = run(klass, "--remote", str(tmp_path / f"{long}.git"), "--remote", str(tmp_path / "gone.git"),
                 cache="c7", code=1, env={"COLUMNS": "80"})
    lines = out.splitlines()
    assert max(len(ln) for ln in lines) <= 80
    assert "Note" in lines[0] + lines[1] + lines[2]
    assert any(long[:12] in ln for ln in lines)  # the name is wrapped, never cut below 12 characters
    assert any("unreachable" in ln for ln in lines)
    detail, _ = run(klass, long, "--remote", str(tmp_path / f"{long}.git"), cache="c7")
    assert "[bold red]not markup[/]" in detail and "\x1b" not in detail  # shown literally, escape replaced


def test_csv_has_every_column_and_timestamps_in_utc_z(klass):
    out, _ = run(klass, "--csv", cache="c8")
    table = list(csv.DictReader(io.StringIO(out)))
    assert {"name", "id", "email", "remote", "commit", "breaks_with_solution", "brier", "last_activity",
            "committed", "note"} <= set(table[0])
    stamps = [r[c] for r in table for c in ("last_activity", "committed") if r[c]]
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s) for s in stamps)


def test_one_learner_in_detail(klass):
    out, _ = run(klass, "Ana", "--json", cache="c9")
    d = json.loads(out)
    assert d["name"] == "Ana" and d["id"] == "s1"
    b = d["breaks"][0]
    assert b["id"] == "13-00" and b["attempts"][0]["prediction"] == "it will crash in the loss"
    assert b["attempts"][0]["calibration"] == "n" and b["outcome"] == "solution"
    assert d["quizzes"] and d["quizzes"][0]["quiz"] == "phase-13"
    assert d["weeks"]
    text, _ = run(klass, "ana", cache="c9")  # case does not matter
    assert "it will crash in the loss" in text and "13-00" in text
