"""lynx's benchmark suite: every figure a ratio against a baseline timed in the same run.

    python benchmarks/run.py                 # everything; writes benchmarks/RESULTS.md
    python benchmarks/run.py --only startup,scale --runs 9 --no-write
    python benchmarks/run.py --only minimodel --keep-others   # refresh one section's rows in RESULTS.md

Sections (each row: measured / baseline, with its goal):
  startup    `lynx --help`, `lynx hint`, `lynx status` (a break active), `lynx phases`
             against `python -c "import typer"`.                 goals: hint, status <= 1.7x; --help <= 3x
  break      `lynx break 13 00 --predict x` + `lynx abort` against the raw git commands
             (switch -c, apply, commit, switch back).             goal: <= 1.5x
  scale      status, hint and break + abort on a generated course of 500 phases and 2,000
             breaks (benchmarks/make_course.py) against the bundled course.   goal: <= 1.1x
  validate   `lynx validate` on the bundled course (the one absolute figure). goal: < 30 s
  minimodel  the phase-13 CBOW step and the phase-17 mini-GPT step (the lab's shapes: its BPE
             vocabulary, its schedule and clipping) against PyTorch on CPU, the same shapes, one
             thread each (skipped without PyTorch).   goals: GPT >= 1.0x, CBOW >= 1.2x throughput;
             and the peak RSS of `lynx lab 17 train` (python -m minimodel.labs.gpt_train, 600 steps)
             with this checkout's src/ on PYTHONPATH.                      goal: <= 200 MiB
  watch      `lynx watch`'s save -> verdict for each phase-13 break's check (the watcher, the warm
             worker, the JUnit verdict), beside a cold `lynx check` on the same code.  goal: <= 500 ms
  class      `lynx class` over 1,000 and 200 generated learners (benchmarks/make_class.py), first run
             and nothing new, and --verify over 200 (absolute seconds; benchmarks/class_bench.py).
                                                 goals: 1,000 <= 12 s / <= 2 s; --verify 200 <= 90 s / <= 3 s

Timing: each round runs every command of a section once, in a shuffled order (interleaved), and a
figure is the median over --runs rounds (at least 9), so slow and fast machines give the same
ratios. Commands run in real workspaces made by `lynx init` in a temporary folder, with the lynx
and the Python of this environment (`sys.executable`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

SECTIONS = ("startup", "break", "scale", "validate", "minimodel", "watch", "class")
PY = sys.executable
LYNX = str(Path(PY).with_name("lynx")) if Path(PY).with_name("lynx").exists() else (shutil.which("lynx") or "lynx")
ENV = {
    **os.environ,
    "NO_COLOR": "1", "COLUMNS": "120",
    "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org",
}
for _k in ("LYNX_LANG", "LYNX_WORKSPACE", "LYNX_LEARNER", "LYNX_CRASH_AFTER"):
    ENV.pop(_k, None)
# Small models on a 2-core machine: one thread each, for NumPy's BLAS and for PyTorch alike.
# (With two OpenMP threads, PyTorch's small steps ran 10-20x slower when the other core was busy.)
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# -- results ---------------------------------------------------------------------------------
@dataclass
class Row:
    section: str
    name: str
    value: float              # the ratio (or seconds, for absolute rows)
    goal: str                 # e.g. "<= 1.7", ">= 0.5", "< 30 s", "" for no goal
    detail: str               # the medians behind the ratio
    unit: str = "x"

    @property
    def holds(self) -> bool | None:
        if not self.goal:
            return None
        op, num = self.goal.split()[:2]
        v, n = self.value, float(num)
        return {"<=": v <= n, ">=": v >= n, "<": v < n, ">": v > n}[op]

    def cell(self) -> str:
        return f"{self.value:.2f}{self.unit}" if self.unit == "x" else f"{self.value:.1f} {self.unit}"


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # facts measured once (git calls, cold cache, ...)
    skipped: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        mark = {True: "holds", False: "NOT MET", None: ""}[row.holds]
        goal = f"goal {row.goal}" if row.goal else "no goal"
        print(f"  {row.name:<44} {row.cell():>9}   {goal:<12} {mark:<8} {row.detail}", flush=True)


# -- timing ------------------------------------------------------------------------------------
Action = Callable[[], None]


def run_cmd(argv: Sequence[str], cwd: Path | None = None, env: dict | None = None, check: bool = True) -> None:
    p = subprocess.run(list(argv), cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if check and p.returncode != 0:
        raise SystemExit(f"benchmark command failed ({p.returncode}): {' '.join(map(str, argv))}\n"
                         f"{p.stderr.decode(errors='replace')[-2000:]}")


@dataclass
class Timing:
    wall: float  # median seconds on the clock
    cpu: float   # median CPU seconds (user + system) of the child processes, or of this process

    def __truediv__(self, other: "Timing") -> float:
        return self.wall / other.wall

    def cpu_ratio(self, other: "Timing") -> float:
        return self.cpu / other.cpu if other.cpu else float("nan")


def _cpu(in_process: bool) -> float:
    if in_process:
        return time.process_time()
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def interleaved(actions: dict[str, tuple[Action | None, Action]], runs: int, seed: int = 0,
                in_process: bool = False, samples: dict[str, list[tuple[float, float]]] | None = None,
                ) -> dict[str, Timing]:
    """Median wall and CPU time of each ``(setup, timed)`` action; every round runs each once, shuffled.

    The CPU time (of the child processes, or of this process with ``in_process``) does not count the
    time spent waiting for a busy core, so it shows whether a ratio moved because of the machine's load.
    With ``samples``, every round's (wall, cpu) of each action is also stored there, in round order.
    """
    wall: dict[str, list[float]] = {k: [] for k in actions}
    cpu: dict[str, list[float]] = {k: [] for k in actions}
    order = list(actions)
    rng = random.Random(seed)
    for _ in range(runs):
        rng.shuffle(order)
        for k in order:
            setup, timed = actions[k]
            if setup:
                setup()
            c0, t0 = _cpu(in_process), time.perf_counter()
            timed()
            wall[k].append(time.perf_counter() - t0)
            cpu[k].append(_cpu(in_process) - c0)
    if samples is not None:
        samples.update({k: list(zip(wall[k], cpu[k])) for k in actions})
    return {k: Timing(statistics.median(wall[k]), statistics.median(cpu[k])) for k in actions}


def spread(values: Sequence[float]) -> tuple[float, float]:
    """The interquartile range (25th and 75th percentiles) of ``values``."""
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def ms(s: "float | Timing") -> str:
    s = s.wall if isinstance(s, Timing) else s
    return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"


def vs(a: Timing, b: Timing, b_name: str = "") -> str:
    """'157 ms vs 80 ms (CPU 1.52x)': the medians behind a wall-clock ratio, and the CPU-time ratio."""
    return f"{ms(a)} vs {b_name + ' ' if b_name else ''}{ms(b)}; CPU-time ratio {a.cpu_ratio(b):.2f}x"


# -- workspaces ----------------------------------------------------------------------------------
def init_workspace(target: Path, source: Path | None = None) -> Path:
    argv = [LYNX, "init", str(target), "--learner", "bench"]
    if source is not None:
        argv += ["--from", str(source), "--yes"]
    run_cmd(argv)
    return target


def with_active_break(ws: Path, bid: str = "13-00") -> Path:
    phase, which = bid.split("-")
    run_cmd([LYNX, "break", phase, which, "--predict", "x"], cwd=ws)
    run_cmd([LYNX, "status"], cwd=ws)  # fills the content cache, as any earlier command would have
    return ws


def progress_restorer(ws: Path) -> Action:
    """Put progress.json back as it is now: every timed `lynx hint` reveals (and writes) a hint."""
    path = ws / "learners" / "bench" / "progress.json"
    saved = path.read_bytes()

    def restore() -> None:
        path.write_bytes(saved)

    return restore


def break_round_trip(ws: Path, bid: str = "13-00") -> tuple[Action, Action]:
    phase, which = bid.split("-")

    def setup() -> None:  # the branch an abort leaves behind would make the next one `...-2`
        run_cmd(["git", "branch", "-D", f"lynx/break/{bid}"], cwd=ws, check=False)

    def timed() -> None:
        run_cmd([LYNX, "break", phase, which, "--predict", "x"], cwd=ws)
        run_cmd([LYNX, "abort"], cwd=ws)

    return setup, timed


def raw_round_trip(raw: Path, bid: str = "13-00") -> tuple[Action, Action]:
    """What `lynx break` + `lynx abort` do, as the bare git commands: switch -c, apply, commit, switch back."""
    brk = next((raw / "breaks").glob(f"{bid}-*"))
    files = [line.split(" b/", 1)[1] for line in (brk / "break.patch").read_text().splitlines()
             if line.startswith("diff --git ")]
    home = subprocess.run(["git", "-C", str(raw), "branch", "--show-current"], capture_output=True,
                          text=True).stdout.strip()

    def git(*a: str) -> list[str]:
        return ["git", "-C", str(raw), *a]

    def setup() -> None:
        run_cmd(git("branch", "-D", f"raw/{bid}"), check=False)

    def timed() -> None:
        run_cmd(git("switch", "--quiet", "-c", f"raw/{bid}"))
        run_cmd(git("apply", str(brk / "break.patch")))
        run_cmd(git("commit", "--quiet", "--no-verify", "--only", "-m", f"break {bid}", "--", *files))
        run_cmd(git("switch", "--quiet", home))

    return setup, timed


def floor() -> tuple[None, Action]:
    return None, lambda: run_cmd([PY, "-c", "import typer"])


# -- sections ---------------------------------------------------------------------------------------
def startup(rep: Report, tmp: Path, runs: int) -> None:
    ws = with_active_break(init_workspace(tmp / "startup"))
    restore = progress_restorer(ws)

    def cmd(*argv: str, env: dict | None = None) -> Action:
        return lambda: run_cmd(argv, cwd=ws, env=env)

    m = interleaved({
        "pass": (None, cmd(PY, "-c", "pass")),
        "floor": (None, cmd(PY, "-c", "import typer")),
        "help": (None, cmd(LYNX, "--help")),
        "help_plain": (None, cmd(LYNX, "--help", env={**ENV, "TYPER_USE_RICH": "0"})),
        "hint": (restore, cmd(LYNX, "hint")),
        "status": (None, cmd(LYNX, "status")),
        "phases": (None, cmd(LYNX, "phases")),
    }, runs)
    f = m["floor"]
    rows = [("hint", "lynx hint (reveals a hint, writes progress)", "<= 1.7"),
            ("status", "lynx status (break active)", "<= 1.7"),
            ("help", "lynx --help (Rich)", "<= 3"),
            ("help_plain", "lynx --help (TYPER_USE_RICH=0)", ""),
            ("phases", "lynx phases (Rich table)", ""),
            ("pass", "python -c pass", "")]
    for key, name, goal in rows:
        rep.add(Row("startup", name, m[key] / f, goal, vs(m[key], f, "floor")))


def git_calls(ws: Path, argv: Sequence[str]) -> int:
    """How many git commands a lynx command runs (GIT_TRACE lists each one)."""
    trace = ws.parent / f"trace-{os.getpid()}.txt"
    run_cmd(argv, cwd=ws, env={**ENV, "GIT_TRACE": str(trace)})
    n = sum(1 for line in trace.read_text().splitlines() if "trace: built-in: git" in line)
    trace.unlink()
    return n


def _index_entries(ws: Path) -> int:
    return subprocess.run(["git", "ls-files"], cwd=ws, capture_output=True, text=True).stdout.count("\n")


def break_section(rep: Report, tmp: Path, runs: int) -> None:
    ws = init_workspace(tmp / "break-lynx")
    raw = init_workspace(tmp / "break-raw")
    m = interleaved({"lynx": break_round_trip(ws), "raw": raw_round_trip(raw), "floor": floor(),
                     # what GitPython adds to a command that already has Typer and Rich loaded
                     "no_git": (None, lambda: run_cmd([PY, "-c", "import typer, rich.console"])),
                     "with_git": (None, lambda: run_cmd([PY, "-c", "import typer, rich.console, git"]))}, runs)
    rep.add(Row("break", "lynx break 13 00 + lynx abort, against raw git", m["lynx"] / m["raw"], "<= 1.5",
                vs(m["lynx"], m["raw"], "raw git")))
    rep.add(Row("break", "the same, against two Typer floors + raw git", m["lynx"].wall /
                (2 * m["floor"].wall + m["raw"].wall), "", f"floor {ms(m['floor'])}"))
    gp = m["with_git"].wall - m["no_git"].wall
    rep.add(Row("break", "`import git` on top of Typer + Rich, per command / floor", gp / m["floor"].wall, "",
                f"{ms(gp)} per command (import, and GitPython's two `git version`); two per round trip"))
    run_cmd(["git", "branch", "-D", "lynx/break/13-00"], cwd=ws, check=False)
    n_break = git_calls(ws, [LYNX, "break", "13", "00", "--predict", "x"])
    n_abort = git_calls(ws, [LYNX, "abort"])
    rep.notes.append(f"`lynx break 13 00` runs {n_break} git commands and `lynx abort` {n_abort} "
                     f"(GIT_TRACE; each count includes the 2 `git version` GitPython runs when imported); "
                     f"the raw baseline runs 4.")


def scale(rep: Report, tmp: Path, runs: int) -> None:
    from make_course import make

    t0 = time.perf_counter()
    got = make(tmp / "big-course", 500, 2000)
    small = with_active_break(init_workspace(tmp / "scale-small"))
    big = init_workspace(tmp / "scale-big", source=tmp / "big-course")
    t1 = time.perf_counter()
    run_cmd([LYNX, "break", "13", "00", "--predict", "x"], cwd=big)
    t_cold = time.perf_counter()
    run_cmd([LYNX, "status"], cwd=big)
    cold = time.perf_counter() - t_cold
    rep.notes.append(f"Scale course: {got['phases']} phases, {got['breaks']} breaks, made and `lynx init`-ed in "
                     f"{t1 - t0:.0f} s; the first `lynx status` on it (empty content cache) took {cold:.1f} s.")
    restore_small, restore_big = progress_restorer(small), progress_restorer(big)

    def cmd(ws: Path, *argv: str) -> Action:
        return lambda: run_cmd(argv, cwd=ws)

    m = interleaved({
        "status_small": (None, cmd(small, LYNX, "status")),
        "status_big": (None, cmd(big, LYNX, "status")),
        "hint_small": (restore_small, cmd(small, LYNX, "hint")),
        "hint_big": (restore_big, cmd(big, LYNX, "hint")),
    }, runs)
    for k in ("status", "hint"):
        rep.add(Row("scale", f"lynx {k}: 500-phase course / bundled", m[f"{k}_big"] / m[f"{k}_small"], "<= 1.1",
                    vs(m[f"{k}_big"], m[f"{k}_small"])))
    for ws in (small, big):
        run_cmd([LYNX, "abort"], cwd=ws)
    raw_small = init_workspace(tmp / "scale-raw-small")
    raw_big = init_workspace(tmp / "scale-raw-big", source=tmp / "big-course")
    m = interleaved({"small": break_round_trip(small), "big": break_round_trip(big),
                     "raw_small": raw_round_trip(raw_small), "raw_big": raw_round_trip(raw_big)}, runs)
    rep.add(Row("scale", "lynx break + abort: 500-phase course / bundled", m["big"] / m["small"], "<= 1.1",
                vs(m["big"], m["small"])))
    rep.add(Row("scale", "raw git break + back: 500-phase repo / bundled", m["raw_big"] / m["raw_small"], "",
                vs(m["raw_big"], m["raw_small"]) + " (what git itself pays for the larger index)"))
    # Counted, not timed: what lynx itself reads of each course (benchmarks/course_reads.py).
    from course_reads import count

    def reads(ws: Path) -> str:
        run_cmd(["git", "branch", "-D", "lynx/break/13-00"], cwd=ws, check=False)
        got = {"break": count(ws, "break", "13", "00", "--predict", "x", env=ENV), "hint": count(ws, "hint", env=ENV),
               "status": count(ws, "status", env=ENV), "abort": count(ws, "abort", env=ENV)}
        return ", ".join(f"{k} {v['opened']}/{v['cache']}/{v['listed']}" for k, v in got.items())

    rep.notes.append(f"Course reads (YAML files parsed / cache entries read / folders listed) on the bundled course: "
                     f"{reads(small)}; on the 500-phase course: {reads(big)}.")
    n_big = git_calls(big, [LYNX, "break", "13", "00", "--predict", "x"]) + git_calls(big, [LYNX, "abort"])
    rep.notes.append(f"`lynx break` + `lynx abort` on the 500-phase course run {n_big} git commands (GIT_TRACE, "
                     f"GitPython's `git version` included); each that reads the index reads {_index_entries(big):,} entries.")


def validate(rep: Report, tmp: Path, runs: int) -> None:
    ws = init_workspace(tmp / "validate")
    c0, t0 = _cpu(False), time.perf_counter()
    p = subprocess.run([LYNX, "validate", "--json"], cwd=ws, env=ENV, capture_output=True, text=True)
    took, cpu = time.perf_counter() - t0, _cpu(False) - c0
    try:
        rows = json.loads(p.stdout)["rows"]
        failed = [r for r in rows if not r["ok"]]
        detail = f"{len(rows)} rows, {len(failed)} failed" + (
            f" ({', '.join(r['kind'] + ' ' + r['id'] for r in failed[:4])})" if failed else "")
    except (ValueError, KeyError):
        detail = f"exit {p.returncode}: {(p.stderr or p.stdout).strip()[-200:]}"
    rep.add(Row("validate", f"lynx validate, bundled course ({os.cpu_count()} cores, one run)", took, "< 30 s",
                f"{detail}; CPU {cpu:.1f} s (user + system, all processes)", unit="s"))


MINIMODEL_GOALS = {"cbow": ">= 1.2", "gpt": ">= 1.0"}
LAB17_GOAL_MIB = 200


def minimodel(rep: Report, tmp: Path, runs: int) -> None:
    import train_steps as ts

    lab17_memory(rep, tmp)
    if not ts.have_torch():
        rep.skipped.append("minimodel: PyTorch is not installed (`pip install torch==2.13.0`, CPU build)")
        print("  skipped: PyTorch is not installed", flush=True)
        return
    models = ["cbow"] + (["gpt"] if ts.gpt_available() else [])
    if "gpt" not in models:
        rep.skipped.append("minimodel gpt: src/minimodel/nn/gpt.py is missing")
    # Timing in a child with one BLAS / OpenMP thread (set before NumPy and PyTorch load).
    p = subprocess.run([PY, str(HERE / "run.py"), "--_throughput", ",".join(models), "--runs", str(runs)],
                       env={**ENV, **ONE_THREAD}, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"minimodel throughput failed:\n{p.stderr[-3000:]}")
    res = json.loads(p.stdout.strip().splitlines()[-1])
    for mod in models:
        mm, pt = res[mod]["minimodel"], res[mod]["torch"]
        mem = {}
        for fw in ("minimodel", "torch"):
            q = subprocess.run([PY, str(HERE / "train_steps.py"), mod, fw], env={**ENV, **ONE_THREAD},
                               capture_output=True, text=True)
            mem[fw] = json.loads(q.stdout) if q.returncode == 0 else {}
        tok = res[mod]["tokens"]

        def mem_s(fw: str) -> str:
            d = mem.get(fw) or {}
            return (f"peak RSS {d['process_peak_mib']:.0f} MiB (+{d['training_peak_mib']:.0f} MiB while training)"
                    if d else "memory: n/a")

        label = {"cbow": "phase-13 CBOW step (B=32, V=512, d=128, AdamW)",
                 "gpt": "phase-17 mini-GPT step, the lab's (B=16, T=32, BPE V=384, d=64, 2 layers, clip 1.0)"}[mod]
        # CPU time is the figure: one thread each, compute-bound, so on an idle machine CPU time is the
        # wall time; on a shared one the wall clock also counts waiting for a core. The spread is the
        # interquartile range of the ratio measured round by round (each round times both, back to back).
        mc, pc = mm["cpu"], pt["cpu"]
        lo, hi = spread([t / m for m, t in zip(mm["cpu_rounds"], pt["cpu_rounds"])])
        rep.add(Row("minimodel", f"{label}: minimodel / PyTorch throughput", pc / mc, MINIMODEL_GOALS[mod],
                    f"{mc * 1000:.2f} vs {pc * 1000:.2f} CPU ms/step ({tok / mc:,.0f} vs {tok / pc:,.0f} tokens/s); "
                    f"ratio per round {lo:.2f}-{hi:.2f}x (interquartile, {len(mm['cpu_rounds'])} rounds); "
                    f"wall-clock ratio {pt['wall'] / mm['wall']:.2f}x; "
                    f"minimodel {mem_s('minimodel')}; PyTorch {mem_s('torch')}"))


def _proc_cpu(pid: int) -> float:
    """CPU seconds of a process and of its children it has reaped (utime, stime, cutime, cstime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _spread(xs: list[float]) -> str:
    q = statistics.quantiles(xs, n=4) if len(xs) >= 2 else [xs[0]] * 3
    return f"IQR {q[0] * 1000:.0f}-{q[2] * 1000:.0f} ms, range {min(xs) * 1000:.0f}-{max(xs) * 1000:.0f} ms"


def watch_section(rep: Report, tmp: Path, runs: int) -> None:
    """Save -> verdict with `lynx watch`'s own machinery (lynx.activities.watching.Watch: watchfiles, the warm
    worker, the JUnit reading; only the screen's drawing is left out), one workspace per phase-13 break, each
    save a real edit of the break's file; beside it, in the same shuffled rounds, a cold `lynx check`."""
    import select

    if not hasattr(os, "fork"):
        rep.skipped.append("watch: no fork on this platform (the warm worker needs it)")
        return
    from lynx.activities import watching
    from lynx.learner import workspace

    load0 = os.getloadavg()
    course = init_workspace(tmp / "watch-course")
    bids = [b.name[:5] for b in sorted((course / "breaks").glob("13-*"))]
    setups: dict[str, tuple] = {}
    for bid in bids:
        ws = init_workspace(tmp / f"watch-{bid}")
        run_cmd([LYNX, "break", *bid.split("-"), "--predict", "x"], cwd=ws)
        w = workspace.load(ws)
        tgt = watching.target(w)
        watch = watching.Watch(w, tgt, use_warm=True).start()
        setups[bid] = (ws, tgt, watch, ws / tgt.files[0], (ws / tgt.files[0]).read_bytes())
    try:
        for bid, (_, _, watch, _, _) in setups.items():
            if _next_verdict(watch, select, 300) is None:
                raise SystemExit(f"watch {bid}: no first verdict within 300 s")
        wall: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        saves = {bid: 0 for bid in bids}

        def warm_save(bid: str) -> tuple[float, float]:
            ws, tgt, watch, path, base = setups[bid]
            _quiet(watch, select)
            saves[bid] += 1
            helper = watch.worker.proc.pid if watch.worker else None
            c0 = (_proc_cpu(helper) if helper else 0.0) + time.process_time()
            t0 = time.perf_counter()
            path.write_bytes(base + (f"\n# save {saves[bid]}\n".encode() if saves[bid] % 2 else b""))
            v = _next_verdict(watch, select, 300)
            took = time.perf_counter() - t0
            if v is None or not v.warm:
                raise SystemExit(f"watch {bid}: {'no verdict' if v is None else 'a cold verdict'} after a save")
            return took, (_proc_cpu(helper) if helper else 0.0) + time.process_time() - c0

        def cold_check(bid: str) -> tuple[float, float]:
            ws = setups[bid][0]
            c0, t0 = _cpu(False), time.perf_counter()
            run_cmd([LYNX, "check"], cwd=ws, check=False)
            return time.perf_counter() - t0, _cpu(False) - c0

        jobs = [(f"{kind} {bid}", fn, bid) for bid in bids for kind, fn in (("warm", warm_save), ("cold", cold_check))]
        rng = random.Random(0)
        for _ in range(runs):
            rng.shuffle(jobs)
            for key, fn, bid in jobs:
                took, used = fn(bid)
                wall.setdefault(key, []).append(took)
                cpu.setdefault(key, []).append(used)
    finally:
        for _, _, watch, path, base in setups.values():
            watch.close()
            path.write_bytes(base)
    load1 = os.getloadavg()
    for bid in bids:
        title = setups[bid][1].title["en"]
        hot, cold = wall[f"warm {bid}"], wall[f"cold {bid}"]
        h, c = statistics.median(hot), statistics.median(cold)
        hc, cc = statistics.median(cpu[f"warm {bid}"]), statistics.median(cpu[f"cold {bid}"])
        rep.add(Row("watch", f"save -> verdict, break {bid} ({title[:40]})", h * 1000, "<= 500",
                    f"median {h * 1000:.0f} ms ({_spread(hot)}), CPU {hc * 1000:.0f} ms; cold `lynx check` "
                    f"{c * 1000:.0f} ms ({_spread(cold)}), CPU {cc * 1000:.0f} ms; {c / h:.1f}x faster", unit="ms"))
    rep.notes.append(f"watch: load average (1/5/15 min) {' '.join(f'{x:.1f}' for x in load0)} at the start, "
                     f"{' '.join(f'{x:.1f}' for x in load1)} at the end, on {os.cpu_count()} cores; the warm "
                     f"row's CPU is the helper's and its forks' (from /proc) plus the watcher's; the save is "
                     f"timed from the write, so watchfiles' {watching.STEP_MS} ms debounce is in it.")


def _quiet(watch, select) -> None:
    """Untimed: until the watch has had nothing to say for 0.3 s (a check still due is waited for)."""
    while True:
        ready, _, _ = select.select([watch.fileno()], [], [], 0.3)
        if not ready:
            return
        kinds = [ev.kind for ev in watch.events() if ev.kind in ("checking", "verdict")]
        if kinds and kinds[-1] == "checking":  # a check started and has not said its verdict yet
            _next_verdict(watch, select, 300)


def _next_verdict(watch, select, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        select.select([watch.fileno()], [], [], 0.5)
        for ev in watch.events():
            if ev.kind == "verdict":
                return ev.verdict
            if ev.kind == "gone":
                return None
    return None


def lab17_memory(rep: Report, tmp: Path) -> None:
    """Peak RSS of `lynx lab 17 train` as lynx runs it: a process of its own, this checkout's src/ on the path.

    The rusage of that one child (os.wait4) gives its own high-water mark, not the largest of all children.
    """
    env = {**ENV, **ONE_THREAD, "PYTHONPATH": str(REPO / "src"), "MPLBACKEND": "Agg"}
    out_path, err_path = tmp / "lab17.json", tmp / "lab17.err"
    t0 = time.perf_counter()
    with open(out_path, "w") as out, open(err_path, "w") as err:
        proc = subprocess.Popen([PY, "-m", "minimodel.labs.gpt_train", "--json"], env=env, cwd=REPO,
                                stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"lab 17 failed:\n{err_path.read_text()[-3000:]}")
    lab = json.loads(out_path.read_text())
    peak = usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux
    rep.add(Row("minimodel", "`lynx lab 17 train` (its 600 steps): peak RSS", peak, f"<= {LAB17_GOAL_MIB}",
                f"{lab['settings']['steps']} steps in {took:.0f} s, CPU {usage.ru_utime + usage.ru_stime:.0f} s; "
                f"final held-out loss {lab['final_held_out_loss']:.3f}", unit="MiB"))


def klass(rep: Report, tmp: Path, runs: int) -> None:
    import class_bench

    class_bench.section(rep, Row, tmp, runs, LYNX, ENV)


def _throughput(models: list[str], runs: int) -> None:
    """Child process: seconds per step, each framework timed over a block of steps, interleaved."""
    import torch

    import train_steps as ts

    torch.set_num_threads(1)
    out = {}
    for mod in models:
        steps = {fw: ts.MODELS[mod](fw) for fw in ("minimodel", "torch")}
        block = 20 if mod == "cbow" else 5
        for fw, (step, _) in steps.items():
            for _ in range(3):
                step()  # warm-up: optimizer state, caches, first-call costs
        acts = {fw: (None, (lambda s=s: [s() for _ in range(block)])) for fw, (s, _) in steps.items()}
        rounds: dict[str, list[tuple[float, float]]] = {}
        med = interleaved(acts, runs, in_process=True, samples=rounds)
        out[mod] = {fw: {"wall": med[fw].wall / block, "cpu": med[fw].cpu / block,
                         "cpu_rounds": [c / block for _, c in rounds[fw]]} for fw in steps}
        out[mod]["tokens"] = steps["minimodel"][1]
    print(json.dumps(out))


# -- the report -----------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    def ver(mod: str) -> str:
        try:
            from importlib.metadata import version

            return version(mod)
        except Exception:  # noqa: BLE001
            return "not installed"

    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = "?"
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    gitv = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    return {
        "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit or "?",
        "cpu": f"{cpu}, {os.cpu_count()} cores, {mem} RAM",
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()) + " (1/5/15 min, at the end)",
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": ", ".join(f"{m} {ver(m)}" for m in ("typer", "rich", "PyYAML", "GitPython", "numpy", "fsrs", "torch")),
        "git": gitv,
    }


@dataclass
class Earlier:
    """What the RESULTS.md on disk says about the sections this run leaves out (--keep-others)."""
    when: str = "?"
    commit: str = "?"
    rows: dict[str, list[str]] = field(default_factory=dict)  # section -> its table lines, as written
    facts: list[str] = field(default_factory=list)


def read_earlier(path: Path, leave_out: Sequence[str]) -> Earlier:
    import re

    if not path.is_file():
        return Earlier()
    text = path.read_text(encoding="utf-8")
    got = Earlier()
    for key in ("when", "commit"):
        m = re.search(rf"^- {key}: (.+)$", text, re.M)
        if m:
            setattr(got, key, m.group(1).strip())
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| section |"):
            section = line.split("|")[1].strip()
            if section in leave_out:
                got.rows.setdefault(section, []).append(line)
    m = re.search(r"^## Facts measured in this run\n\n(.*?)(?:\n## |\Z)", text, re.M | re.S)
    if m:
        got.facts = [ln for ln in m.group(1).splitlines() if ln.startswith("- ")]
    return got


def write_results(rep: Report, runs: int, sections: list[str], took: float, keep_others: bool = False) -> Path:
    info = machine()
    out = HERE / "RESULTS.md"
    others = [s for s in SECTIONS if s not in sections] if keep_others else []
    earlier = read_earlier(out, others) if others else Earlier()
    others = [s for s in others if s in earlier.rows]
    lines = [
        "# lynx benchmarks — last run",
        "",
        "Written by `python benchmarks/run.py` (do not edit by hand: the next run replaces it). Every figure",
        "but `validate` and `class` is a ratio against a baseline timed in the same run, interleaved with it, the median",
        f"of {runs} rounds; the ratios mean the same on a slow or a fast machine. The figure is the wall-clock",
        "ratio; the CPU-time ratio beside it (user + system time, which does not count waiting for a busy core)",
        "shows how much the machine's load moved it. For minimodel (one thread, compute-bound) CPU time is",
        "the figure.",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        f"- sections: {', '.join(sections)}; {runs} rounds; the whole run took {took / 60:.1f} min",
        *([f"- carried over (--keep-others): the rows of {', '.join(others)}, as the run of {earlier.when} "
           f"(commit {earlier.commit}) wrote them; that run's machine and load are not the ones above"] if others else []),
        "",
        "## Results",
        "",
        "| section | measure | value | goal | holds | medians |",
        "|---|---|---|---|---|---|",
    ]
    for section in SECTIONS:
        if section in others:
            lines += earlier.rows[section]
        for r in rep.rows:
            if r.section == section:
                mark = {True: "yes", False: "**no**", None: "—"}[r.holds]
                lines.append(f"| {r.section} | {r.name} | {r.cell()} | {r.goal or '—'} | {mark} | {r.detail} |")
    if rep.notes or rep.skipped:
        lines += ["", "## Facts measured in this run", ""]
        lines += [f"- {n}" for n in rep.notes]
        lines += [f"- skipped: {s}" for s in rep.skipped]
    if others and earlier.facts:
        lines += ["", f"## Facts measured in the run of {earlier.when} (commit {earlier.commit})", "", *earlier.facts]
    lines += ["", "## Per section: what stands in the way, what was measured, what is proposed", "",
              "The notes are written by hand in benchmarks/notes/ from profiles and local experiments; the run",
              "above shows which goals they concern today.", ""]
    for s in SECTIONS:
        if s in others:
            marks = [ln.split("|")[5].strip() for ln in earlier.rows[s]]
            met, total = marks.count("yes"), sum(m in ("yes", "**no**") for m in marks)
            lines += [f"### {s}: {met} of {total} goals met in the run of {earlier.when}", ""]
        elif s in sections:
            mine = [r for r in rep.rows if r.section == s and r.holds is not None]
            lines += [f"### {s}: {sum(r.holds for r in mine)} of {len(mine)} goals met in this run", ""]
        else:
            continue
        note = HERE / "notes" / f"{s}.md"
        if note.is_file():
            lines += [note.read_text(encoding="utf-8").strip(), ""]
    out.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections: {', '.join(SECTIONS)}")
    ap.add_argument("--runs", type=int, default=11, help="rounds per figure (median; at least 9)")
    ap.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md as it is")
    ap.add_argument("--keep-others", action="store_true",
                    help="with --only: keep the rows of the other sections from the RESULTS.md on disk (marked as such)")
    ap.add_argument("--_throughput", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a._throughput:
        _throughput(a._throughput.split(","), a.runs)
        return
    if a.runs < 9:
        ap.error("--runs must be at least 9 (a median of fewer runs is noise)")
    sections = [s.strip() for s in a.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s) {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    if not Path(LYNX).exists() and not shutil.which(LYNX):
        raise SystemExit(f"no `lynx` next to {PY}: run `pip install -e .` in this environment first")
    rep = Report()
    start = time.perf_counter()
    funcs = {"startup": startup, "break": break_section, "scale": scale, "validate": validate, "minimodel": minimodel,
             "watch": watch_section, "class": klass}
    with tempfile.TemporaryDirectory(prefix="lynx-bench-") as tmp:
        for s in sections:
            print(f"== {s}", flush=True)
            funcs[s](rep, Path(tmp), a.runs)
    took = time.perf_counter() - start
    bad = [r for r in rep.rows if r.holds is False]
    print(f"\n{sum(r.holds is True for r in rep.rows)} goals hold, {len(bad)} not met; {took / 60:.1f} min")
    if not a.no_write:
        print(f"wrote {write_results(rep, a.runs, sections, took, keep_others=a.keep_others)}")


if __name__ == "__main__":
    main()
