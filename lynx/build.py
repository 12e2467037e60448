"""Build challenges: write a piece of minimodel yourself, checked by a pytest validator.

`lynx build 13` applies the challenge's stub patch on a branch of its own (a session, exactly like a
break), `--check` runs the validator against the learner's code and records the result, and after it
passes three conceptual questions are asked. `lynx done` / `lynx abort` end the session and call
`require_passed` and `record_end` below. `lynx validate` proves every challenge (`validate_course`).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lynx import progress
from lynx.content import ContentError, Fields, bilingual, load_yaml, text
from lynx.errors import LynxError
from lynx.workspace import Workspace

BUILD_KEYS = ("id", "title", "objective", "background", "constraints", "steps", "pitfalls", "files", "stub",
              "tests", "questions", "timeout")
QUESTION_ID = re.compile(r"^bq-\d{2}-\d{2,}$")  # bq-13-01: a build question, not a quiz question


@dataclass(frozen=True)
class Build:
    id: str
    phase: str
    dir: Path
    title: dict[str, str]
    objective: dict[str, str]
    background: dict[str, str]
    constraints: tuple[dict[str, str], ...]
    steps: tuple[dict[str, str], ...]
    pitfalls: tuple[dict[str, str], ...]
    files: tuple[str, ...]
    stub: Path
    tests: Path
    questions: tuple[Any, ...]  # lynx.quiz.Question
    timeout: int = 300


# --- the challenge as data -----------------------------------------------------------------


def parse_build(path: Path, phase_id: str) -> Build:
    """Load and check `build.yaml` (schema in docs/design.md); the first problem raises ContentError."""
    from lynx.brk import patch_paths, unsafe_path
    from lynx.quiz import _question

    f = Fields(path, load_yaml(path))
    f.only(BUILD_KEYS)
    bid = f.str("id")
    if bid != phase_id:
        raise ContentError(path, "id", f"id {bid!r} is not its phase's id {phase_id!r}", f'use id: "{phase_id}"')

    def texts(key: str) -> tuple[dict[str, str], ...]:
        return tuple(bilingual(path, f"{key}[{i}]", v) for i, v in enumerate(f.list(key, min_len=1)))

    files = tuple(f.strs("files", min_len=1))
    for i, rel in enumerate(files):
        problem = unsafe_path(rel)
        if problem:
            raise ContentError(path, f"files[{i}]", f"path {rel!r} {problem}", "list only files under src/")
    stub = path.parent / f.str("stub")
    extra = [p for p in patch_paths(stub) if p not in files]
    if extra:
        raise ContentError(stub, "", f"touches {extra[0]}, which build.yaml's `files` does not list", "add it to `files:`")
    tests = path.parent / f.str("tests")
    if not tests.is_dir() or not any(tests.glob("test_*.py")):
        raise ContentError(path, "tests", f"{tests.name}/ holds no test_*.py file", "put the validator's pytest files there")
    questions = []
    for i, item in enumerate(f.list("questions", min_len=1)):
        q = _question(path, i, item, QUESTION_ID)
        if not q.id.startswith(f"bq-{phase_id}-"):
            raise ContentError(path, f"questions[{i}].id", f"{q.id!r} is not a question of build {phase_id}",
                               f"use bq-{phase_id}-NN")
        questions.append(q)
    if len({q.id for q in questions}) != len(questions):
        raise ContentError(path, "questions", "two questions share an id")
    timeout = f.int("timeout", default=300)
    return Build(id=bid, phase=phase_id, dir=path.parent, title=f.bilingual("title"), objective=f.bilingual("objective"),
                 background=f.bilingual("background"), constraints=texts("constraints"), steps=texts("steps"),
                 pitfalls=texts("pitfalls"), files=files, stub=stub, tests=tests, questions=tuple(questions),
                 timeout=timeout)


def load(ws_or_root: Workspace | Path, phase_id: str) -> Build:
    from lynx.course import Course

    course = ws_or_root.course if isinstance(ws_or_root, Workspace) else Course(ws_or_root, use_cache=False)
    ph = course.phase(phase_id)
    if not ph.build_dir:
        raise LynxError(f"phase {ph.id} has no build challenge", "run `lynx phases` to see which phases have one")
    return parse_build(ph.build_dir / "build.yaml", ph.id)


# --- the validator ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseResult:
    name: str
    passed: bool
    message: str = ""
    file: str = ""  # the test file, relative to pytest's rootdir (xunit1 reports carry it)


@dataclass(frozen=True)
class CheckResult:
    tests: tuple[CaseResult, ...]
    output: str  # pytest's own output, for when no test could even run

    @property
    def passed(self) -> bool:
        return bool(self.tests) and all(t.passed for t in self.tests)

    @property
    def failed(self) -> list[CaseResult]:
        return [t for t in self.tests if not t.passed]

    def summary(self) -> dict[str, Any]:
        first = self.failed[0] if self.failed else None
        return {"passed": self.passed, "total": len(self.tests), "failed": len(self.failed),
                "first_failure": f"{first.name}: {first.message}" if first else None}


def run_validator(root: Path, b: Build) -> CheckResult:
    """Run the challenge's tests against the code in ``root``/src (cwd = root, PYTHONPATH = root/src)."""
    from lynx import runner

    tests = b.tests.resolve()
    with tempfile.TemporaryDirectory(prefix="lynx-build-") as tmp:
        report = Path(tmp) / "junit.xml"
        # An empty config of our own: a pyproject.toml above the tests (a course checkout) must not add its
        # `pythonpath`, or the validator would test that checkout's src/ instead of the code in ``root``.
        ini = Path(tmp) / "pytest.ini"
        ini.write_text("[pytest]\n", encoding="utf-8")
        argv = ["python", "-m", "pytest", "-c", str(ini), "-q", "--no-header", "-p", "no:cacheprovider",
                "-o", "junit_family=xunit1", "--rootdir", str(tests), f"--junitxml={report}", str(tests)]
        proc = runner.run(root, argv, b.timeout, capture=True)
        found = read_junit(report) if report.exists() else []
    output = proc.stdout or ""
    tests = found
    if not tests:  # nothing ran: a syntax error in the learner's file, a broken conftest...
        last = [ln for ln in output.strip().splitlines() if ln.strip()]
        tests = [CaseResult("collection", False, _one_line(last[-1] if last else f"pytest exited {proc.returncode}"))]
    return CheckResult(tuple(tests), output)


def read_junit(path: Path) -> list[CaseResult]:
    import xml.etree.ElementTree as ET

    try:
        tree = ET.parse(path)
    except ET.ParseError:
        return []
    out = []
    for case in tree.iter("testcase"):
        name, file = case.get("name", "?"), case.get("file", "")
        problem = next((c for c in case if c.tag in ("failure", "error")), None)
        if any(c.tag == "skipped" for c in case) and problem is None:
            continue
        if problem is None:
            out.append(CaseResult(name, True, file=file))
            continue
        lines = (problem.text or "").strip().splitlines()
        out.append(CaseResult(name, False, _one_line(problem.get("message") or (lines[-1] if lines else "failed")),
                              file))
    return out


def _one_line(message: str, limit: int = 300) -> str:
    line = " ".join(message.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def files_digest(root: Path, files: tuple[str, ...] | list[str]) -> str:
    """A hash of the challenge's files: a pass only counts for the code that passed."""
    h = hashlib.sha256()
    for rel in files:
        p = root / rel
        h.update(rel.encode() + b"\0" + (p.read_bytes() if p.is_file() else b"<missing>") + b"\0")
    return h.hexdigest()


# --- the session -----------------------------------------------------------------------------


def active_build(ws: Workspace) -> dict[str, Any] | None:
    state = progress.active(ws)
    return state if state is not None and state.get("kind") == "build" else None


def begin(ws: Workspace, b: Build, reference: bool) -> dict[str, Any]:
    """Apply the stub on `lynx/build/<id>` (the learner's branch keeps their working code)."""
    from lynx import gitops, lock, session

    with lock.held(ws.state_dir), gitops.repo(ws.root) as g:
        home = session.preflight(ws, g, list(b.files), b.stub, reference, label=f"build {b.id}")
        state = session.start(ws, g, kind="build", item_id=b.id, phase=b.phase, title=text(b.title, "en"),
                              files=list(b.files), patch=b.stub, fix_patch=None, reference=reference, home=home)
    data = progress.load(ws)
    entry = data["builds"].setdefault(b.id, {"passed": False})
    entry["started"] = state["started"]
    progress.save(ws, data)
    return state


def check(ws: Workspace) -> tuple[Build, CheckResult]:
    """Run the validator on the active build and record the result (state and progress)."""
    from lynx import gitops, session

    state = active_build(ws)
    if state is None:
        raise LynxError("no build challenge is active", "start one with `lynx build 13`")
    if state.get("stage") != "active":
        raise LynxError(f"build {state['id']} was interrupted while starting", "run `lynx abort`, then start it again")
    with gitops.repo(ws.root) as g:
        session.require_on_branch(g, state, f"`lynx build {state['id']} --check`")
    b = load(ws, state["phase"])
    result = run_validator(ws.root, b)
    record = {"at": progress.now(), **result.summary(), "digest": files_digest(ws.root, b.files)}
    state["check"] = record
    state["checks"] = int(state.get("checks", 0)) + 1
    progress.set_active(ws, state)
    data = progress.load(ws)
    entry = data["builds"].setdefault(b.id, {"passed": False})
    entry["last_check"] = {k: v for k, v in record.items() if k != "digest"}
    entry["checks"] = int(entry.get("checks", 0)) + 1
    progress.save(ws, data)
    return b, result


def require_passed(ws: Workspace, state: dict[str, Any]) -> None:
    """`lynx done` on a build: the last `--check` must have passed, on the code as it is now."""
    last = state.get("check")
    cmd = f"lynx build {state['id']} --check"
    if not last:
        raise LynxError(f"build {state['id']} has not been checked yet", f"run `{cmd}` first", code=1)
    if not last.get("passed"):
        raise LynxError(f"the last `{cmd}` failed ({last.get('failed')} of {last.get('total')} tests)",
                        f"fix your code and run `{cmd}` again, or leave with `lynx abort`", code=1)
    b = load(ws, state["phase"])
    if files_digest(ws.root, b.files) != last.get("digest"):
        raise LynxError(f"{', '.join(b.files)} changed since the last passing check", f"run `{cmd}` again", code=1)


def record_end(ws: Workspace, state: dict[str, Any], outcome: str) -> None:
    """Write the result into progress.json (`builds`) and the answers into phase-NN/notes/build.md."""
    last = state.get("check") or {}
    passed = outcome != "aborted" and bool(last.get("passed"))
    data = progress.load(ws)
    entry = data["builds"].setdefault(state["id"], {"passed": False})
    entry["passed"] = bool(entry.get("passed")) or passed  # an abort later never undoes a pass
    if passed:
        entry["at"] = progress.now()
    entry.setdefault("sessions", []).append({
        "started": state.get("started"), "ended": progress.now(), "outcome": "passed" if passed else outcome,
        "checks": state.get("checks", 0), "branch": state.get("branch"),
        "last_check": {k: v for k, v in last.items() if k != "digest"} or None,
        "answers": [{"id": a["id"], "correct": a["correct"]} for a in state.get("answers", [])],
    })
    progress.save(ws, data)
    from lynx.store import append_text

    lines = [f"\n## Build {state['id']} — {state.get('title', '')} — {progress.now()}\n",
             f"- outcome: {'passed' if passed else outcome}"
             + (f" (validator {last.get('total', 0) - last.get('failed', 0)}/{last.get('total', 0)} tests)" if last else ""),
             f"- your code: branch `{state.get('branch')}`\n"]
    answers = state.get("answers", [])
    if answers:
        lines.append("### Conceptual questions\n")
        for a in answers:
            mark = "right" if a["correct"] else "to review"
            lines.append(f"**{a['id']} — {a['topic']}** ({mark})\n\n{a['prompt']}\n\n> {a['answer']}\n")
    append_text(ws.phase_dir(state["phase"]) / "notes" / "build.md", "\n".join(lines))


def ask_questions(ws: Workspace, b: Build, lang: str) -> list[dict[str, Any]]:
    """The conceptual questions, asked like a quiz; the answers are kept in the session for `record_end`."""
    from lynx import quiz_session as qs
    from lynx.quiz import grade
    from lynx.ui import console

    con = console()
    answers = []
    steps = [qs.Step(q, tuple(range(len(q.options)))) for q in b.questions]
    for n, step in enumerate(steps, 1):
        qs._show_question(con, step, n, len(steps), lang)
        answer = qs._ask(con, step, lang)
        g = grade(step.question, answer, lang)
        qs._show_feedback(con, step, answer, g, lang)
        q = step.question
        shown = answer.raw if q.kind == "free" else "\n> ".join(
            f"{'abcdefghijklmnopqrstuvwxyz'[i]}) {text(q.options[i].text, lang).strip()}" for i in answer.chosen)
        answers.append({"id": q.id, "topic": text(q.topic, lang), "prompt": text(q.prompt, lang).strip(),
                        "answer": shown, "correct": g.correct})
    state = active_build(ws)
    if state is not None:
        state["answers"] = answers
        progress.set_active(ws, state)
    return answers


# --- lynx validate ---------------------------------------------------------------------------


def scratch_run(root: Path, b: Build, patch: Path | None) -> tuple[CheckResult | None, str | None]:
    """The validator on a scratch copy of the reference src/, with ``patch`` applied: (result, or why not)."""
    from lynx.validate import scratch_src

    with tempfile.TemporaryDirectory(prefix=f"lynx-validate-build-{b.id}-") as tmp:
        work = Path(tmp)
        scratch_src(root, work)
        if patch is not None:
            p = subprocess.run(["git", "apply", str(patch)], cwd=work, capture_output=True, text=True)
            if p.returncode != 0:
                return None, (p.stderr.strip().splitlines() or ["?"])[0]
        try:
            return run_validator(work, b), None
        except LynxError as exc:
            return None, exc.line()


def proof_patches(b: Build, break_patches: list[tuple[str, Path]]) -> list[Path | None]:
    """What :func:`prove` runs the validator on, in order: the reference, the stub, each break."""
    return [None, b.stub, *(patch for _, patch in break_patches)]


def prove(root: Path, b: Build, break_patches: list[tuple[str, Path]], results: Any = None) -> list[tuple[str, bool, str]]:
    """Reference passes every test; stub fails every test; every break fails at least one test.

    ``results``: the runs of :func:`scratch_run` over :func:`proof_patches`, in that order, when the caller
    ran them already (in parallel); by default they run here, one after another.
    """
    rows: list[tuple[str, bool, str]] = []
    runs = iter(results if results is not None else (scratch_run(root, b, x) for x in proof_patches(b, break_patches)))
    ref, err = next(runs)
    if ref is None or not ref.passed:
        why = err or "; ".join(f"{t.name}: {t.message}" for t in ref.failed[:2])
        rows.append((b.id, False, f"the reference fails the validator: {why}"))
        return rows
    stub, err = next(runs)
    if stub is None:
        rows.append((b.id, False, f"stub.patch does not apply to the reference: {err}"))
    else:
        still = _grouped(t.name for t in stub.tests if t.passed)
        rows.append((b.id, not still, f"reference passes {len(ref.tests)}/{len(ref.tests)} tests; stub fails "
                     f"{len(stub.failed)}/{len(stub.tests)}" + (f" (passes: {', '.join(still[:3])})" if still else "")))
    for bid, patch in break_patches:
        res, err = next(runs)
        if res is None:
            rows.append((f"{b.id}/{bid}", False, f"break.patch does not apply to the reference: {err}"))
            continue
        caught = _grouped(t.name for t in res.failed)
        rows.append((f"{b.id}/{bid}", bool(caught), f"caught by {', '.join(caught)}" if caught
                     else f"no validator test fails with break {bid} applied"))
    return rows


def _grouped(names) -> list[str]:
    """`test_x[a]`, `test_x[b]` -> `test_x (2 cases)`: short, and free of brackets a table might eat."""
    counts: dict[str, int] = {}
    for name in names:
        base = name.split("[", 1)[0]
        counts[base] = counts.get(base, 0) + 1
    return [f"{base} ({n} cases)" if n > 1 else base for base, n in counts.items()]


def validate_course(root: Path, jobs: int = 2) -> list:
    """`lynx validate`'s rows for the build challenges; every validator run of every build shares one pool."""
    from concurrent.futures import ThreadPoolExecutor

    from lynx.course import Course
    from lynx.validate import Row

    root = root.resolve()
    course = Course(root, use_cache=False)
    rows = []
    proofs = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for pid in course.phase_ids():
            try:
                ph = course.phase(pid)
            except LynxError:
                continue  # reported by the phase row
            if not ph.build_dir:
                continue
            try:
                b = parse_build(ph.build_dir / "build.yaml", ph.id)
                patches = [(bid, course.brk(bid).patch) for bid in ph.breaks]
            except LynxError as exc:
                rows.append(Row("build", ph.id, False, exc.line()))
                continue
            proofs.append((b, patches, [pool.submit(scratch_run, root, b, x) for x in proof_patches(b, patches)]))
        for b, patches, futures in proofs:
            rows += [Row("build", ident, ok, msg)
                     for ident, ok, msg in prove(root, b, patches, [f.result() for f in futures])]
    return rows
