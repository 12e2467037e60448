"""The benchmark tools themselves: the scale course generator makes a course lynx really runs, and
the runner's bookkeeping (interleaving, goals) does what RESULTS.md says. Nothing here reads a clock."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kit import git, lynx

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str, file: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, BENCH / file)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


make_course = _load("lynx_bench_make_course", "make_course.py")
bench = _load("lynx_bench_run", "run.py")


@pytest.fixture(scope="module")
def small_course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("gen") / "course"
    bundled = len(list((make_course.REPO / "breaks").glob("*/break.yaml")))  # the course grows; 6 more are made
    got = make_course.make(root, phases=9, breaks=bundled + 6)
    assert got == {"phases": 9, "breaks": bundled + 6}
    return root


def test_the_generated_course_has_the_asked_size_and_loads(small_course):
    from lynx.content.course import Course
    from lynx.content.deck import parse_deck

    course = Course(small_course, use_cache=False)
    phases = course.phase_ids()
    assert len(phases) == 9 and len(course.break_ids()) == len(list((small_course / "breaks").glob("*/break.yaml")))
    assert len(course.break_ids()) == len(list((make_course.REPO / "breaks").glob("*/break.yaml"))) + 6
    generated = [p for p in phases if int(p) >= make_course.FIRST_ID]
    listed = [b for p in phases for b in course.phase(p).breaks]
    assert sorted(listed) == sorted(course.break_ids())  # every break is listed by exactly one phase
    for pid in generated:
        ph = course.phase(pid)
        assert all(ph.page_path(page, lang).is_file() for page in ph.pages for lang in ("en", "es"))
        for bid in ph.breaks:
            b = course.brk(bid)
            assert b.phase == pid and b.patch.is_file() and b.check_path.is_file()
        deck = parse_deck(small_course / "data" / "cards" / f"generated-{pid}.yaml")
        assert {c["phase"] for c in deck["cards"]} == {pid}


def test_a_generated_break_runs_the_real_loop(small_course, tmp_path):
    ws = tmp_path / "ws"
    r = lynx("init", str(ws), "--learner", "perf", "--from", str(small_course), "--yes")
    assert r.returncode == 0, r.stderr
    pid = str(make_course.FIRST_ID)
    r = lynx("break", pid, "--predict", "a crash", cwd=ws)
    assert r.returncode == 0, r.stderr
    assert git("branch", "--show-current", cwd=ws).strip() == f"lynx/break/{pid}-00"
    r = lynx("check", cwd=ws)
    assert r.returncode == 1  # the copied patch really breaks the code its check tests
    r = lynx("abort", cwd=ws)
    assert r.returncode == 0, r.stderr
    assert git("branch", "--show-current", cwd=ws).strip() == "main"


def test_make_refuses_an_existing_folder(tmp_path):
    with pytest.raises(SystemExit):
        make_course.make(tmp_path, phases=9, breaks=17)


@pytest.mark.parametrize("value,goal,holds", [
    (1.7, "<= 1.7", True), (1.71, "<= 1.7", False), (0.5, ">= 0.5", True), (0.49, ">= 0.5", False),
    (29.9, "< 30 s", True), (30.0, "< 30 s", False), (3.0, "", None),
])
def test_a_row_knows_whether_its_goal_holds(value, goal, holds):
    assert bench.Row("s", "n", value, goal, "").holds is holds


def test_interleaving_runs_every_action_each_round_after_its_setup():
    log: list[str] = []
    actions = {k: ((lambda k=k: log.append(f"setup {k}")) if k != "c" else None, (lambda k=k: log.append(k)))
               for k in "abc"}
    out = bench.interleaved(actions, runs=9, seed=1)
    assert set(out) == {"a", "b", "c"}
    rounds = [log[i:i + 5] for i in range(0, len(log), 5)]
    assert len(rounds) == 9
    for rnd in rounds:
        assert sorted(x for x in rnd if len(x) == 1) == ["a", "b", "c"]
        for k in "ab":
            assert rnd[rnd.index(k) - 1] == f"setup {k}"  # each setup runs right before its own timed call
    orders = {tuple(x for x in rnd if len(x) == 1) for rnd in rounds}
    assert len(orders) > 1  # shuffled, not a fixed order a slow first slot would bias
