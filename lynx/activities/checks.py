"""Checks: pytest run on the learner's code (a break's check, a build's validator) and what it says.

One reader of pytest's JUnit report (:func:`read_junit`) for `lynx check`, `lynx build --check` and
`lynx validate`; one way to build pytest's command line, safe from a checkout's own pytest config.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from lynx.core import process


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


def run_validator(root: Path, tests: Path, timeout: int) -> CheckResult:
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
        proc = process.run(root, argv, timeout, capture=True)
        found = read_junit(report) if report.exists() else []
    output = proc.stdout or ""
    if not found:  # nothing ran: a syntax error in the learner's file, a broken conftest...
        last = [ln for ln in output.strip().splitlines() if ln.strip()]
        found = [CaseResult("collection", False, one_line(last[-1] if last else f"pytest exited {proc.returncode}"))]
    return CheckResult(tuple(found), output)


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
        out.append(CaseResult(name, False, one_line(problem.get("message") or (lines[-1] if lines else "failed")), file))
    return out


def one_line(message: str, limit: int = 300) -> str:
    line = " ".join(message.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
