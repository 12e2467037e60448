"""`lynx class` over real bare remotes holding learners' histories made by the real commands."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from kit import git, lynx, quiz_answers


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under a folder with its size and mtime: a read-only reader changes none."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def do_break(ws: Path, calibration: str, fix_myself: bool, hints: int) -> None:
    r = lynx("break", "13", "--predict", "it will crash in the loss", cwd=ws)
    assert r.returncode == 0, r.stderr
    for _ in range(hints):
        assert lynx("hint", cwd=ws).returncode == 0
    if fix_myself:
        patch = next(ws.glob("breaks/13-00-*/break.patch"))
        git("apply", "-R", str(patch), cwd=ws)
    else:
        assert lynx("fix", "--apply", cwd=ws).returncode == 0
    r = lynx("done", "--calibration", calibration, cwd=ws)
    assert r.returncode == 0, r.stderr


def push(ws: Path, url: Path, ref: str = "main") -> None:
    git("add", "-A", cwd=ws)
    if git("status", "--porcelain", cwd=ws).strip():
        git("commit", "-q", "-m", "my work", cwd=ws)
    git("push", "-q", str(url), f"HEAD:refs/heads/{ref}", cwd=ws)


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """Three learners: ana (break with the solution shown, wrong prediction, a quiz, cards), bob (fixed it
    himself, right prediction, one hint) and cam (a repository with no lynx data)."""
    root = tmp_path_factory.mktemp("class")
    remotes = root / "remotes"
    remotes.mkdir()
    for name in ("ana", "bob", "cam"):
        git("init", "-q", "--bare", str(remotes / f"{name}.git"), cwd=root)
    ana, bob = root / "ana", root / "bob"
    assert lynx("init", str(ana), "--learner", "ana").returncode == 0
    assert lynx("init", str(bob), "--learner", "bob").returncode == 0
    do_break(ana, "n", fix_myself=False, hints=0)
    r = lynx("quiz", "phase-13", "--json", cwd=ana, input=json.dumps(quiz_answers(ana, {"q-13-01": None})))
    assert r.returncode in (0, 1), r.stderr
    assert json.loads(r.stdout)["finished"] is True
    r = lynx("cards", "--learn", "--count", "2", cwd=ana, input="\ny\n\ny\n", env={"LYNX_NOW": "2026-03-02T09:00:00Z"})
    assert r.returncode == 0, r.stderr
    push(ana, remotes / "ana.git")
    do_break(bob, "y", fix_myself=True, hints=1)
    push(bob, remotes / "bob.git")
    cam = root / "cam"
    cam.mkdir()
    git("init", "-q", cwd=cam)
    (cam / "notes.txt").write_text("I have not started yet\n")
    push(cam, remotes / "cam.git")
    return root


def run_class(root: Path, *args: str, cache: str = "cache", now: str | None = None, code: int = 0) -> tuple[list[dict], str]:
    """`lynx class ... --json`; ``code``: the exit status expected (1 when a remote could not be read)."""
    r = lynx("class", *args, "--cache", str(root / cache), "--json", cwd=root, env={"LYNX_NOW": now} if now else None)
    assert r.returncode == code, r.stderr
    assert "Traceback" not in r.stderr
    return json.loads(r.stdout), r.stderr


def test_table_over_three_bare_remotes(klass):
    remotes = klass / "remotes"
    before = snapshot(remotes)
    # The clock at ana's last break: its wrong prediction brings cards back tomorrow, not yet.
    ended = json.loads((klass / "ana/learners/ana/progress.json").read_text())["breaks"]["13-00"]["attempts"][-1]["ended"]
    rows, _ = run_class(klass, *(a for n in ("ana", "bob", "cam") for a in ("--remote", str(remotes / f"{n}.git"))),
                        now=ended)
    assert snapshot(remotes) == before  # read-only: nothing written to any learner's repository
    by = {r["name"]: r for r in rows}
    assert set(by) == {"ana", "bob", "cam"}
    ana, bob, cam = by["ana"], by["bob"], by["cam"]
    assert (ana["phase"], ana["breaks_done"], ana["breaks_with_solution"], ana["calibration"]) == ("13", 1, 1, 0.0)
    total = len(quiz_answers(klass / "ana"))
    assert ana["quiz"] == {"13": f"{total - 1}/{total}"}
    assert ana["cards_due"] == 2  # learned on 2026-03-02, long due by now
    # Two days on, the cards of her wrongly predicted break and of her missed quiz question are due too,
    # as her own `lynx cards` would show them.
    from datetime import datetime, timedelta, timezone

    from lynx.activities.misses import question_cards
    from lynx.content.course import Course
    from lynx.core.clock import iso

    expect = {"c-13-01", "c-13-02"} | set(Course(klass / "ana").brk("13-00").cards)
    expect |= set(question_cards(klass / "ana", None).get("q-13-01", []))
    later = iso(datetime.now(timezone.utc) + timedelta(days=2))
    r = lynx("class", "--remote", str(remotes / "ana.git"), "--cache", str(klass / "cache"), "--json", cwd=klass,
             env={"LYNX_NOW": later})
    assert json.loads(r.stdout)[0]["cards_due"] == len(expect) > 2
    r = lynx("cards", "--stats", "--json", cwd=klass / "ana", env={"LYNX_NOW": later})
    assert json.loads(r.stdout)["due_today"] == len(expect)
    assert (bob["breaks_done"], bob["breaks_with_solution"], bob["hints_per_break"], bob["calibration"]) == (1, 0, 1.0, 1.0)
    assert bob["last_activity"] and ana["last_activity"]
    # No lynx data: a row with empty cells, not an error.
    assert cam["note"] == "no lynx data yet"
    assert all(cam[k] is None for k in ("phase", "breaks_done", "hints_per_break", "quiz", "calibration", "cards_due"))
    assert cam["last_activity"]


def test_second_run_fetches_nothing_and_a_new_push_shows_up(klass, tmp_path):
    remotes = klass / "remotes"
    args = [a for n in ("ana", "bob") for a in ("--remote", str(remotes / f"{n}.git"))]
    first, _ = run_class(klass, *args, cache="cache2")
    cache_before = snapshot(klass / "cache2" / "repos")
    again, _ = run_class(klass, *args, cache="cache2")
    assert again == first
    assert snapshot(klass / "cache2" / "repos") == cache_before  # no fetch: nothing new in the cache
    # bob studies some cards and pushes: the next run reads his new commit.
    bob = tmp_path / "bob"
    git("clone", "-q", "-b", "main", str(remotes / "bob.git"), str(bob), cwd=tmp_path)
    r = lynx("cards", "--learn", "--count", "1", cwd=bob, input="\ny\n", env={"LYNX_NOW": "2026-03-02T09:00:00Z"})
    assert r.returncode == 0, r.stderr
    push(bob, remotes / "bob.git")
    for config in (klass / "cache2" / "repos").glob("*.git/config"):
        config.write_text("[core\n garbage")  # a damaged cache is rebuilt, not reported
    third, _ = run_class(klass, *args, cache="cache2")
    old = {r["name"]: r for r in first}["bob"]
    new = {r["name"]: r for r in third}["bob"]
    assert new["commit"] != old["commit"] and new["cards_due"] == (old["cards_due"] or 0) + 1


def test_one_repository_with_a_branch_per_learner_and_class_yaml(klass, tmp_path):
    shared = tmp_path / "class.git"
    git("init", "-q", "--bare", str(shared), cwd=tmp_path)
    for name in ("ana", "bob"):
        git("push", "-q", str(shared), f"main:refs/heads/learner/{name}", cwd=klass / name)
    git("push", "-q", str(shared), "main:refs/heads/teacher-notes", cwd=klass / "ana")  # not a learner
    (tmp_path / "class.yaml").write_text(f"remotes:\n  - {{url: {shared}, branches: 'learner/*'}}\n"
                                         f"  - {{url: {klass / 'remotes' / 'cam.git'}, name: camila}}\n")
    r = lynx("class", "--cache", str(tmp_path / "cache"), "--csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    table = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(row["name"], row["breaks_done"], row["note"]) for row in table] == [
        ("ana", "1", ""), ("bob", "1", ""), ("camila", "", "no lynx data yet")]


def test_unreachable_remote_is_a_row_with_a_note(klass):
    rows, err = run_class(klass, "--remote", str(klass / "remotes" / "bob.git"), "--remote", str(klass / "nowhere.git"),
                          code=1)
    by = {r["name"]: r for r in rows}
    assert by["bob"]["breaks_done"] == 1
    assert by["nowhere"]["note"].startswith("unreachable:") and by["nowhere"]["breaks_done"] is None
    assert "1 of 2 remotes could not be read" in err


def test_table_text_and_usage_errors(klass):
    r = lynx("class", "--remote", str(klass / "remotes" / "ana.git"), "--cache", str(klass / "cache3"),
             "--lang", "es", cwd=klass, env={"COLUMNS": "160"})
    assert r.returncode == 0, r.stderr
    assert "Nombre" in r.stdout and "ana" in r.stdout and "Calibración" in r.stdout
    r = lynx("class", cwd=klass)
    assert r.returncode == 2 and "no learners' remotes given" in r.stderr
    (klass / "bad.yaml").write_text("remotes:\n  - {url: x, colour: red}\n")
    r = lynx("class", "--file", str(klass / "bad.yaml"), cwd=klass)
    assert r.returncode == 2 and "bad.yaml" in r.stderr and "unknown key" in r.stderr


def test_a_remote_gone_down_shows_its_last_fetch(klass, tmp_path):
    copy = tmp_path / "bob-mirror.git"
    shutil.copytree(klass / "remotes" / "bob.git", copy)
    rows, _ = run_class(klass, "--remote", str(copy), cache="cache5")
    assert rows[0]["breaks_done"] == 1 and rows[0]["note"] == ""
    shutil.rmtree(copy)
    rows, err = run_class(klass, "--remote", str(copy), cache="cache5", code=1)
    assert rows[0]["name"] == "bob" and rows[0]["breaks_done"] == 1
    assert rows[0]["note"].startswith("unreachable now, showing the last fetch")
    assert "1 of 1 remotes could not be read" in err
