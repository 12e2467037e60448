"""The warm worker of `lynx watch` (lynx/core/warm.py): each check runs the learner's code as it is on disk
now, in a fresh fork; the verdict is the cold path's; a check past its timeout is killed with everything it
started, and closing the worker leaves no process behind."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from lynx.activities.checks import pytest_argv, run_break_check
from lynx.core import lock, warm
from lynx.core.errors import LynxError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the warm worker forks")


def _root(tmp_path: Path, value: int = 1) -> Path:
    root = tmp_path / "ws"
    (root / "src" / "minimodel").mkdir(parents=True)
    (root / "src" / "minimodel" / "__init__.py").write_text(f"VALUE = {value}\n")
    (root / "checks").mkdir()
    (root / "checks" / "check_test.py").write_text(
        "import sys\nfrom pathlib import Path\nsys.path.insert(0, str(Path.cwd() / 'src'))\n\n"
        "import minimodel\n\n\ndef test_value_is_one():\n    \"\"\"The value is one.\"\"\"\n"
        "    assert minimodel.VALUE == 1, f'VALUE is {minimodel.VALUE}'\n")
    return root


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is not alive either
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def _processes_in(root: Path) -> list[int]:
    """Every process whose command line or working directory names ``root``."""
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(d / "cwd")
        except OSError:
            continue
        if (str(root) in cmd or cwd == str(root) or cwd.startswith(str(root) + "/")) and _alive(int(d.name)):
            found.append(int(d.name))
    return found


@pytest.fixture(scope="module")
def _worker(tmp_path_factory):
    w = warm.Worker(_root(tmp_path_factory.mktemp("warm")))
    w.wait_ready()
    yield w
    w.close()


@pytest.fixture
def worker(_worker):
    """One helper for the module (it takes seconds to warm up); each test starts from VALUE = 1."""
    (_worker.root / "src" / "minimodel" / "__init__.py").write_text("VALUE = 1\n")
    return _worker


def test_each_check_runs_the_code_as_it_is_now(worker):
    root = worker.root
    check = root / "checks" / "check_test.py"
    first = run_break_check(root, check, 60, runner=worker.run)
    assert first.passed, first.output
    (root / "src" / "minimodel" / "__init__.py").write_text("VALUE = 2\n")  # the learner's edit
    second = run_break_check(root, check, 60, runner=worker.run)
    assert not second.passed and "VALUE is 2" in second.tests[0].message
    assert second.titles == {"test_value_is_one": "The value is one"}
    # no bytecode left in the learner's tree: a pyc of VALUE = 1 (same size, same second) would be run again
    assert not list(root.rglob("__pycache__"))


def test_the_warm_verdict_is_the_cold_one(worker):
    root = worker.root
    (root / "src" / "minimodel" / "__init__.py").write_text("VALUE = 3\n")
    check = root / "checks" / "check_test.py"
    hot, cold = run_break_check(root, check, 60, runner=worker.run), run_break_check(root, check, 60)
    assert hot.summary() == cold.summary()
    assert hot.tests == cold.tests


def test_a_check_past_its_timeout_is_killed_with_what_it_started(worker, tmp_path):
    root = worker.root
    pidfile = tmp_path / "grandchild.pid"
    slow = root / "checks" / "slow_test.py"
    slow.write_text("import subprocess, sys, time\n\n\ndef test_forever():\n"
                    f"    p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
                    f"    open({str(pidfile)!r}, 'w').write(str(p.pid))\n"
                    "    while True:\n        time.sleep(0.1)\n")
    t0 = time.monotonic()
    with pytest.raises(LynxError, match="ran longer than 3 s"):
        worker.run(root, pytest_argv(slow), 3)
    assert time.monotonic() - t0 < 30
    grandchild = int(pidfile.read_text())
    deadline = time.monotonic() + 10
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(grandchild), "the check's own child survived the timeout"
    # and the worker still serves the next check
    assert run_break_check(root, root / "checks" / "check_test.py", 60, runner=worker.run).passed


def test_what_a_finished_check_left_running_is_ended(worker, tmp_path):
    root = worker.root
    pidfile = tmp_path / "left.pid"
    leaves = root / "checks" / "leaves_test.py"
    leaves.write_text("import subprocess, sys\n\n\ndef test_leaves_a_process():\n"
                      "    p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
                      f"    open({str(pidfile)!r}, 'w').write(str(p.pid))\n")
    assert worker.run(root, pytest_argv(leaves), 60).returncode == 0
    left = int(pidfile.read_text())
    deadline = time.monotonic() + 10
    while _alive(left) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(left)


def test_close_leaves_no_process_and_no_file(tmp_path):
    root = _root(tmp_path)
    before = {p.name for p in Path(os.environ.get("TMPDIR", "/tmp")).glob("lynx-warm-*")}
    w = warm.Worker(root)
    w.wait_ready()
    helper = w.proc.pid
    slow = root / "checks" / "slow_test.py"
    slow.write_text("import time\n\n\ndef test_slow():\n    time.sleep(600)\n")
    done: list[object] = []
    th = threading.Thread(target=lambda: done.append(_catch(lambda: w.run(root, pytest_argv(slow), 600))))
    th.start()
    deadline = time.monotonic() + 30
    while w.child is None and time.monotonic() < deadline:
        time.sleep(0.05)
    child = w.child
    assert child, "the check never started"
    w.close()  # while the check runs: what lynx does on q and Ctrl-C
    th.join(30)
    assert isinstance(done[0], warm.WorkerGone)
    deadline = time.monotonic() + 10  # SIGKILL is delivered at once, but a loaded machine takes a moment to end it
    while (_alive(helper) or _alive(child)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(helper) and not _alive(child)
    assert not _processes_in(root)
    after = {p.name for p in Path(os.environ.get("TMPDIR", "/tmp")).glob("lynx-warm-*")}
    assert after <= before, f"the helper left {sorted(after - before)}"


def _catch(fn):
    try:
        return fn()
    except BaseException as exc:  # noqa: BLE001
        return exc


def test_cold_when_told_or_without_fork(monkeypatch):
    monkeypatch.setenv(warm.COLD_ENV, "1")
    assert not warm.available()
    monkeypatch.delenv(warm.COLD_ENV)
    assert warm.available()
    monkeypatch.delattr(os, "fork")
    assert not warm.available()


def test_two_threads_of_one_process_take_turns_at_the_lock(tmp_path):
    """`lynx watch` remembers a verdict on one thread while a key reveals a hint on another."""
    state = tmp_path / ".lynx"
    inside = threading.Event()
    release = threading.Event()

    def holder():
        with lock.held(state):
            inside.set()
            release.wait(10)

    th = threading.Thread(target=holder)
    th.start()
    assert inside.wait(10)
    with pytest.raises(LynxError, match="another lynx command"):
        with lock.held(state, wait=0.3):
            pass
    release.set()
    th.join(10)
    with lock.held(state, wait=1):  # free again
        pass
    assert not (state / "lock").exists()
