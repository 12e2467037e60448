"""Verification: re-run the check of every break and the validator of every build a progress file calls
done, on the code the learner committed for it (its branch at the commit `done` recorded), never trusting
the progress file itself.

The code is written out of git's objects into a scratch folder (never a checkout, never anyone's working
tree), the course's own check (the teacher's or the installed course, never the learner's copy of it) is
copied beside it, and pytest runs in the sandbox (:mod:`lynx.core.sandbox`). Claims whose code is the same
tree run once together; results are kept by (source tree, check), so an unchanged tree is never run again.
Shared by `lynx verify` (a learner's workspace, or a CI runner's checkout) and `lynx class --verify`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from lynx.core import sandbox
from lynx.core.errors import LynxError
from lynx.learner.progress import DONE, Progress
from lynx.vcs.objects import ObjectReader, ReadFailed

FAILING = ("failed", "no code", "timed out", "error")
RESULTS_VERSION = 1


@dataclass(frozen=True)
class Claim:
    kind: str               # break | build
    id: str                 # 13-00, or the build's phase
    outcome: str            # fixed, solution, passed
    branch: str | None      # where its code lives (lynx/break/13-00)
    commit: str | None      # the commit `done` recorded there, when it did


@dataclass
class ClaimResult:
    kind: str
    id: str
    outcome: str
    status: str = "no code"     # passed, failed, no code, timed out, unknown, error
    detail: str = ""
    commit: str | None = None
    tree: str | None = None
    same_as_solution: bool | None = None
    cached: bool = False

    @property
    def failing(self) -> bool:
        return self.status in FAILING

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def claims_of(progress: Progress) -> list[Claim]:
    """What a progress file calls done: each break's latest fixed/solution attempt, each build passed."""
    out = []
    for bid, record in sorted(progress.breaks.items()):
        last = next((a for a in reversed(record.attempts) if a.outcome in DONE), None)
        if last is not None:
            out.append(Claim("break", bid, last.outcome or "fixed", last.branch, _str(last.extra.get("commit"))))
    for phase, b in sorted(progress.builds.items()):
        if b.passed:
            last = next((s for s in reversed(b.sessions) if s.outcome == "passed"), None)
            out.append(Claim("build", phase, "passed", last.branch if last else None,
                             _str(last.extra.get("commit")) if last else None))
    return out


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


# -- what the course runs for a claim ------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    key: str                          # break:13-00 / build:13
    source: Path                      # the course's check file, or a build's tests folder
    dest: str                         # where it goes in the scratch folder
    timeout: int
    digest: str                       # the check's content: a new check is a new result
    files: tuple[str, ...]            # the learner's files it is about (break.yaml / build.yaml `files`)
    solution: dict[str, bytes] = field(default_factory=dict, compare=False, hash=False)


class Checks:
    """The checks of one course, found once each."""

    def __init__(self, course_root: Path) -> None:
        from lynx.content.course import Course

        self.root = course_root
        self.course = Course(course_root, use_cache=False)
        self._found: dict[str, Check | None] = {}

    def of(self, kind: str, cid: str) -> Check | None:
        key = f"{kind}:{cid}"
        if key not in self._found:
            try:
                self._found[key] = self._break(cid) if kind == "break" else self._build(cid)
            except (LynxError, OSError):
                self._found[key] = None
        return self._found[key]

    def _break(self, bid: str) -> Check:
        b = self.course.brk(bid)
        return Check(f"break:{bid}", b.check_path, f"checks/{bid}/{b.check_path.name}", b.timeout,
                     _digest(b.check_path), tuple(b.files), self._fixed(b))

    def _build(self, phase: str) -> Check:
        from lynx.content import challenge

        b = challenge.load(self.course, phase)
        return Check(f"build:{phase}", b.tests, f"checks/build-{phase}", b.timeout, _digest(b.tests), tuple(b.files),
                     {rel: (self.root / rel).read_bytes() for rel in b.files if (self.root / rel).is_file()})

    def _fixed(self, b) -> dict[str, bytes]:
        """The course's solution of a break: the reference files, or the broken ones with fix.patch applied."""
        ref = {rel: (self.root / rel).read_bytes() for rel in b.files if (self.root / rel).is_file()}
        if b.fix_patch is None:
            return ref
        from lynx.vcs import scratch

        with tempfile.TemporaryDirectory(prefix="lynx-solution-") as tmp:
            for rel, data in ref.items():
                (Path(tmp) / rel).parent.mkdir(parents=True, exist_ok=True)
                (Path(tmp) / rel).write_bytes(data)
            if scratch.apply(Path(tmp), b.patch) or scratch.apply(Path(tmp), b.fix_patch):
                return {}
            return {rel: (Path(tmp) / rel).read_bytes() for rel in ref}


def _digest(path: Path) -> str:
    h = hashlib.sha1()
    for p in sorted([path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]):
        if "__pycache__" not in p.parts:
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


# -- finding the code ------------------------------------------------------------------------------
def _commit_for(claim: Claim, refs: dict[str, str]) -> list[str]:
    """Where a claim's code may be: the commit `done` recorded, else its branch, else lynx's usual branch."""
    out = [claim.commit] if claim.commit else []
    return out + [refs[n] for n in (claim.branch, f"lynx/{claim.kind}/{claim.id}") if n and refs.get(n)]


def known_location(claim: Claim, refs: dict[str, str], checks: Checks, results: "Results") -> ClaimResult | None:
    """A claim located in an earlier run (its commit's tree and comparison with the solution never change):
    no object need be read."""
    check = checks.of(claim.kind, claim.id)
    if check is None:
        return None
    for commit in _commit_for(claim, refs)[:1]:
        got = results.location(commit, check)
        if got is not None:
            return ClaimResult(claim.kind, claim.id, claim.outcome, "pending", "", commit, got["tree"], got["same"])
    return None


def locate(reader: ObjectReader, claim: Claim, refs: dict[str, str], checks: Checks,
           results: "Results | None" = None) -> ClaimResult:
    """Where a claim's code is (commit, its ``src/`` tree), and whether its files are the course's solution."""
    res = ClaimResult(claim.kind, claim.id, claim.outcome)
    check = checks.of(claim.kind, claim.id)
    if check is None:
        res.status, res.detail = "unknown", f"the course has no {claim.kind} {claim.id}"
        return res
    commit = next((c for c in _commit_for(claim, refs) if reader.commit(c) is not None), None)
    if commit is None:
        res.detail = f"no branch {claim.branch or f'lynx/{claim.kind}/{claim.id}'} and no recorded commit"
        return res
    res.commit, res.tree = commit, reader.tree_id(commit, "src")
    if res.tree is None:
        res.detail = f"commit {commit[:12]} has no src/"
        return res
    if check.solution:
        res.same_as_solution = all(reader.blob(commit, rel) == data for rel, data in check.solution.items())
    res.status = "pending"
    if results is not None:
        results.remember_location(commit, check, res.tree, res.same_as_solution)
    return res


# -- running ---------------------------------------------------------------------------------------
@dataclass
class Job:
    repo: Path
    tree: str
    checks: list[Check]


class Results:
    """Results kept by (source tree, check): ``results.json`` in a cache folder."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.data: dict[str, dict] = {}
        if path is not None:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if loaded.get("version") == RESULTS_VERSION:
                    self.data = loaded.get("results") or {}
            except (OSError, ValueError, AttributeError):
                pass
        self._changed = False

    @staticmethod
    def key(tree: str, check: Check) -> str:
        return f"{tree}|{check.key}|{check.digest}"

    def get(self, tree: str, check: Check) -> dict[str, str] | None:
        return self.data.get(self.key(tree, check))

    def put(self, tree: str, check: Check, status: str, detail: str) -> None:
        self.data[self.key(tree, check)] = {"status": status, "detail": detail}
        self._changed = True

    def location(self, commit: str, check: Check) -> dict | None:
        return self.data.get(f"at|{commit}|{check.key}|{check.digest}")

    def remember_location(self, commit: str, check: Check, tree: str, same: bool | None) -> None:
        self.data[f"at|{commit}|{check.key}|{check.digest}"] = {"tree": tree, "same": same}
        self._changed = True

    def save(self) -> None:
        if self.path is not None and self._changed:
            from lynx.core.files import atomic_write_text

            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps({"version": RESULTS_VERSION, "results": self.data},
                                                    sort_keys=True, separators=(",", ":")) + "\n")


def run(pending: list[tuple[Path, ClaimResult]], checks: Checks, results: Results, jobs: int, timeout: float,
        progress: Callable[[int, int], None] | None = None) -> None:
    """Fill in every pending result: from ``results`` when the same tree was checked before, else by one
    sandboxed pytest per distinct tree (in parallel), each bounded by ``timeout`` seconds."""
    todo: dict[tuple[str, str], Job] = {}
    for repo, res in pending:
        check = checks.of(res.kind, res.id)
        known = results.get(res.tree, check)
        if known is not None:
            res.status, res.detail, res.cached = known["status"], known["detail"], True
            continue
        # Breaks' checks on one tree run in one pytest (importlib mode: each is called check_test.py); a build's
        # validator runs alone (its tests import their own conftest).
        group = check.key if check.key.startswith("build:") else "breaks"
        job = todo.setdefault((res.tree, group), Job(repo, res.tree, []))  # the same tree in two repositories: once
        if check not in job.checks:
            job.checks.append(check)
    work = list(todo.values())
    done = [0]
    if progress is not None:
        progress(0, len(work))

    def one(job: Job) -> None:
        got = run_job(job, timeout)
        for check in job.checks:
            status, detail = got.get(check.key, ("error", "pytest reported nothing for it"))
            results.put(job.tree, check, status, detail)
        done[0] += 1
        if progress is not None:
            progress(done[0], len(work))

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(one, work))
    for _, res in pending:
        if res.status == "pending":
            known = results.get(res.tree, checks.of(res.kind, res.id)) or {"status": "error", "detail": "not run"}
            res.status, res.detail = known["status"], known["detail"]
    results.save()


def run_job(job: Job, timeout: float) -> dict[str, tuple[str, str]]:
    """One pytest over ``job.checks`` on the tree written out of ``job.repo``: ``{check key: (status, detail)}``."""
    from lynx.activities.checks import read_junit

    with tempfile.TemporaryDirectory(prefix="lynx-verify-") as tmp:
        work = Path(tmp)
        try:
            with ObjectReader(job.repo) as reader:
                reader.export(job.tree, work / "src")
        except ReadFailed as exc:
            return {c.key: ("error", str(exc)) for c in job.checks}
        for c in job.checks:
            target = work / c.dest
            target.parent.mkdir(parents=True, exist_ok=True)
            if c.source.is_dir():
                shutil.copytree(c.source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copyfile(c.source, target)
        (work / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        mode = [] if any(c.key.startswith("build:") for c in job.checks) else ["--import-mode=importlib"]
        argv = ["python", "-m", "pytest", "-c", "pytest.ini", "-q", "--no-header", "-p", "no:cacheprovider",
                "--rootdir", str(work / "checks"), *mode, "--continue-on-collection-errors",
                "-o", "junit_family=xunit1", "--junitxml=junit.xml", *(c.dest for c in job.checks)]
        limit = min(timeout, sum(c.timeout for c in job.checks) + 30)
        done = sandbox.run(work, argv, limit, env={"PYTHONPATH": str(work / "src")})
        cases = read_junit(work / "junit.xml") if (work / "junit.xml").exists() else []
    if done.timed_out:
        return {c.key: ("timed out", f"ran longer than {limit:g} s and was stopped") for c in job.checks}
    out = {}
    for c in job.checks:
        prefix = c.dest.removeprefix("checks/")
        mine = [x for x in cases if x.file == prefix or x.file.startswith(prefix.rstrip("/") + "/")]
        failed = [x for x in mine if not x.passed]
        if failed:
            out[c.key] = ("failed", f"{failed[0].name}: {failed[0].message}"[:300])
        elif mine:
            out[c.key] = ("passed", f"{len(mine)} passed")
        else:
            last = [ln for ln in done.output.strip().splitlines() if ln.strip()]
            out[c.key] = ("failed" if last else "error", (last[-1] if last else f"pytest exited {done.returncode}")[:300])
    return out


def describe(isolation: sandbox.Isolation) -> str:
    return isolation.kind
