"""Checks: pytest run on the learner's code (a break's check, a build's validator) and what it says.

One reader of pytest's JUnit report (:func:`read_junit`) for `lynx check`, `lynx build --check` and
`lynx validate`; one way to build pytest's command line, safe from a checkout's own pytest config.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from lynx.core import process

# How a check's pytest is started: :func:`lynx.core.process.run` (cold, a new interpreter) by default;
# `lynx watch` passes its warm worker's ``run`` (lynx.core.warm), which takes the same arguments.
Runner = Callable[..., Any]


@dataclass(frozen=True)
class CaseResult:
    name: str
    passed: bool
    message: str = ""
    file: str = ""  # the test file, relative to pytest's rootdir (xunit1 reports carry it)
    detail: str = ""  # the whole failure message, several lines (shown for the first failure)


@dataclass(frozen=True)
class CheckResult:
    tests: tuple[CaseResult, ...]
    output: str  # pytest's own output, for when no test could even run
    titles: dict[str, str] = field(default_factory=dict)  # test function -> the first line of its docstring

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


def pytest_argv(test_file: Path, extra: Sequence[str] = ()) -> list[str]:
    return pytest_argv_many([test_file], test_file.parent, extra)


def pytest_argv_many(test_files: Sequence[Path], rootdir: Path, extra: Sequence[str] = ()) -> list[str]:
    # `-o pythonpath=` and `-o addopts=`: a pytest config further up (a checkout's pyproject.toml) must not
    # put another copy of minimodel ahead of the learner's src/ on the path.
    return ["python", "-m", "pytest", "-q", "--no-header", "-p", "no:cacheprovider", "-o", "addopts=",
            "-o", "pythonpath=", "--rootdir", str(rootdir), *extra, *map(str, test_files)]


def run_check(root: Path, check_file: Path, timeout: int, capture: bool) -> tuple[bool, str]:
    """A break's check on the code in ``root``: (passed, pytest's output when captured)."""
    proc = process.run(root, pytest_argv(check_file), timeout, capture=capture)
    return proc.returncode == 0, proc.stdout or ""


def run_break_check(root: Path, check_file: Path, timeout: int, runner: Runner = process.run) -> CheckResult:
    """A break's check on the code in ``root``, read test by test from pytest's JUnit report."""
    check_file = check_file.resolve()
    with tempfile.TemporaryDirectory(prefix="lynx-check-") as tmp:
        report = Path(tmp) / "junit.xml"
        argv = pytest_argv(check_file, ["-o", "junit_family=xunit1", f"--junitxml={report}"])
        proc = runner(root, argv, timeout, capture=True)
        found = read_junit(report) if report.exists() else []
    return _result(found, proc, titles([check_file]))


def titles(files: Sequence[Path]) -> dict[str, str]:
    """``{test function: first line of its docstring}`` for the test files given (what a check is called)."""
    import ast

    out: dict[str, str] = {}
    for path in files:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                doc = ast.get_docstring(node)
                if doc and doc.strip():
                    out[node.name] = doc.strip().splitlines()[0].rstrip(".")
    return out


def _result(found: list[CaseResult], proc, names: dict[str, str]) -> CheckResult:
    output = proc.stdout or ""
    if not found:  # nothing ran: a syntax error in the learner's file, a broken conftest...
        found = [CaseResult("collection", False, _collection_error(output, proc.returncode))]
    return CheckResult(tuple(found), output, names)


def _collection_error(output: str, status: int) -> str:
    """What stopped pytest before any test ran: its `E   ` lines' last one (the exception), else its last line."""
    errors = [ln[1:].strip() for ln in output.splitlines() if ln.startswith("E ") and ln[1:].strip()]
    last = [ln for ln in output.strip().splitlines() if ln.strip()]
    return one_line(errors[-1] if errors else last[-1] if last else f"pytest exited {status}")


def run_validator(root: Path, tests: Path, timeout: int, runner: Runner = process.run) -> CheckResult:
    """A build's validator (the pytest files in ``tests``) on the code in ``root``/src."""
    tests = tests.resolve()
    with tempfile.TemporaryDirectory(prefix="lynx-build-") as tmp:
        report = Path(tmp) / "junit.xml"
        # An empty config of our own: a pyproject.toml above the tests (a course checkout) must not add its
        # `pythonpath`, or the validator would test that checkout's src/ instead of the code in ``root``.
        ini = Path(tmp) / "pytest.ini"
        ini.write_text("[pytest]\n", encoding="utf-8")
        argv = ["python", "-m", "pytest", "-c", str(ini), "-q", "--no-header", "-p", "no:cacheprovider",
                "-o", "junit_family=xunit1", "--rootdir", str(tests), f"--junitxml={report}", str(tests)]
        proc = runner(root, argv, timeout, capture=True)
        found = read_junit(report) if report.exists() else []
    return _result(found, proc, titles(sorted(tests.glob("test_*.py"))))


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
        message = problem.get("message") or (lines[-1] if lines else "failed")
        if problem.tag == "error" and lines:  # an error in collection or a fixture: the exception pytest reports
            message = next((ln[1:].strip() for ln in reversed(lines) if ln.startswith("E ") and ln[1:].strip()), message)
        out.append(CaseResult(name, False, one_line(message), file, detail=message.strip()))
    return out


def one_line(message: str, limit: int = 300) -> str:
    line = " ".join(message.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def files_digest(root: Path, files: Sequence[str]) -> str:
    """A hash of the checked files: a pass only counts for the code that passed."""
    import hashlib

    h = hashlib.sha256()
    for rel in files:
        p = root / rel
        h.update(rel.encode() + b"\0" + (p.read_bytes() if p.is_file() else b"<missing>") + b"\0")
    return h.hexdigest()
