"""`lynx run --compare`: the break's observation program run twice with the same seed, on the reference code
(the break's files as they were before the break) and on the learner's, each under the recorder
(compare_probe.py, through minimodel's hooks); then the first place where the two runs part."""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lynx.activities.breaks import active
from lynx.activities.outcomes import observe
from lynx.content.breaks import Break
from lynx.core import process
from lynx.core.errors import LynxError
from lynx.learner.workspace import Workspace
from lynx.vcs.repo import open_repo

PROBE = Path(__file__).with_name("compare_probe.py")
TOLERANCE = 1e-4  # relative: the same code on the same seed gives the same numbers to float32's last bits


@dataclass(frozen=True)
class Stats:
    shape: list[int]
    mean: float
    std: float
    max: float
    nan: int
    inf: int


@dataclass(frozen=True)
class Event:
    kind: str          # forward (a module's output), loss (a backward pass), grad (a module's gradient norm)
    path: str          # TiedLM.embed; "loss" for a loss
    call: int          # which call of the module, or which backward pass
    stats: Stats | None = None
    value: float | None = None
    input: Stats | None = None  # forward: the module's first tensor argument


@dataclass(frozen=True)
class Crash:
    type: str
    message: str
    file: str
    line: int
    function: str
    modules_ran: bool


@dataclass(frozen=True)
class Run:
    status: int
    events: list[Event]
    losses: list[float]
    crash: Crash | None
    output: str
    measures: dict[str, float] = field(default_factory=dict)  # its `lynx-measure` lines


@dataclass(frozen=True)
class Row:
    """A module at its first call, in both runs."""
    path: str
    reference: Stats | None
    yours: Stats | None
    reference_grad: float | None
    yours_grad: float | None
    parts: bool        # the runs differ here


@dataclass(frozen=True)
class Departure:
    kind: str          # forward, loss, grad; "order" when the runs called different things; "stopped" when one ended
    path: str
    call: int
    reference: Event | None
    yours: Event | None


@dataclass(frozen=True)
class Compared:
    brk: Break
    reference: Run
    yours: Run
    first: Departure | None
    where: str         # whose code makes the difference: a module's path, loss, crash, none, no-module
    rows: list[Row] = field(default_factory=list)
    tolerance: float = TOLERANCE


def compare(ws: Workspace) -> Compared:
    """Run the active break's program on the reference code and on the learner's; find where they part."""
    session, b = active(ws)
    argv = list(b.observe)
    if not argv or argv[0] not in ("python", "python3"):
        raise LynxError(f"break {b.id}'s program is not a Python program, so --compare cannot watch it",
                        "use `lynx run` without --compare")
    with tempfile.TemporaryDirectory(prefix="lynx-compare-") as tmp:
        ref_root = Path(tmp) / "reference"
        shutil.copytree(ws.root / "src", ref_root / "src", ignore=shutil.ignore_patterns("__pycache__"))
        with open_repo(ws.root) as repo:
            for rel in session.files:
                text = repo.show(session.base, rel)
                target = ref_root / rel
                if text is None:
                    target.unlink(missing_ok=True)
                else:
                    target.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        jobs = [(ref_root, Path(tmp) / "reference.json"), (ws.root, Path(tmp) / "yours.json")]
        with ThreadPoolExecutor(2) as pool:  # the two runs are independent: both cores at once
            ref, mine = pool.map(lambda job: _record(job[0], job[1], argv, b.timeout), jobs)
    first = first_departure(ref.events, mine.events)
    return Compared(b, ref, mine, first, culprit(first, ref, mine), rows(ref, mine))


def _record(root: Path, out: Path, argv: list[str], timeout: int) -> Run:
    done = process.run(root, ["python", str(PROBE), str(out), *argv[1:]], timeout, capture=True,
                       env={"PYTHONHASHSEED": "0"})
    try:
        data = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # The recorder itself could not start (the code under test does not import): the output says why.
        output = done.stdout or ""
        return Run(done.returncode, [], [], _crash_from(output), output, observe(done.returncode, output).measures)
    events = [Event(e["kind"], e["path"], e["call"], _stats(e.get("stats")), e.get("value"), _stats(e.get("input")))
              for e in data["events"]]
    crash = Crash(**data["crash"]) if data.get("crash") else None
    output = done.stdout or ""
    return Run(int(data["status"]), events, [float(x) for x in data["losses"]], crash, output,
               observe(done.returncode, output).measures)


def _stats(d: dict | None) -> Stats | None:
    return Stats(**d) if d else None


def _crash_from(output: str) -> Crash:
    last = next((ln.strip() for ln in reversed(output.splitlines()) if ln.strip()), "the program did not start")
    kind, _, message = last.partition(": ")
    return Crash(kind, message, "", 0, "", False)


def close(a: float | None, b: float | None, tol: float) -> bool:
    if a is None or b is None:
        return a is b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= tol * max(abs(a), abs(b)) + 1e-12


def same(a: Event, b: Event, tol: float = TOLERANCE) -> bool:
    if a.stats is None or b.stats is None:
        return a.stats is b.stats and close(a.value, b.value, tol)
    x, y = a.stats, b.stats
    return (x.shape == y.shape and x.nan == y.nan and x.inf == y.inf
            and all(close(getattr(x, k), getattr(y, k), tol) for k in ("mean", "std", "max")))


def first_departure(ref: list[Event], mine: list[Event], tol: float = TOLERANCE) -> Departure | None:
    """Walk both records in step: the first event that differs (or the point where one run stopped)."""
    for a, b in zip(ref, mine):
        if (a.kind, a.path, a.call) != (b.kind, b.path, b.call):
            return Departure("order", b.path, b.call, a, b)
        if not same(a, b, tol):
            return Departure(a.kind, a.path, a.call, a, b)
    if len(ref) != len(mine):
        k = min(len(ref), len(mine))
        nxt = ref[k] if len(ref) > k else mine[k]
        return Departure("stopped", nxt.path, nxt.call, ref[k] if len(ref) > k else None,
                         mine[k] if len(mine) > k else None)
    return None


def culprit(d: Departure | None, ref: Run, mine: Run) -> str:
    """Whose code makes the difference. A module that gets the same input and returns a different output:
    that module. One that already gets a different input, every module before it agreeing: the code that
    called it (its parent's own forward, or the program for an outermost module)."""
    if d is None:
        return "none" if ref.events or mine.events else "no-module"
    if d.kind == "stopped" and mine.crash is not None and d.yours is None:
        return "crash"
    if d.kind == "forward" and d.reference and d.yours and not _same_stats(d.reference.input, d.yours.input):
        return d.path.rpartition(".")[0] or "program"
    return d.path


def _same_stats(a: Stats | None, b: Stats | None) -> bool:
    return same(Event("forward", "", 0, a), Event("forward", "", 0, b))


def rows(ref: Run, mine: Run) -> list[Row]:
    """Each module at its first call, in the order the reference finished them (then any only yours ran)."""
    def firsts(run: Run) -> dict[str, Event]:
        return {e.path: e for e in run.events if e.kind == "forward" and e.call == 0}

    def grads(run: Run) -> dict[str, float]:
        return {e.path: e.value for e in run.events if e.kind == "grad" and e.call == 0 and e.value is not None}

    fr, fm, gr, gm = firsts(ref), firsts(mine), grads(ref), grads(mine)
    out = []
    for path in [*fr, *(p for p in fm if p not in fr)]:
        a, b = fr.get(path), fm.get(path)
        parts = (a is None or b is None or not same(a, b)) or not close(gr.get(path), gm.get(path), TOLERANCE)
        out.append(Row(path, a.stats if a else None, b.stats if b else None, gr.get(path), gm.get(path), parts))
    return out
