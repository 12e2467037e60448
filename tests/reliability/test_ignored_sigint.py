"""The suite itself under an ignored SIGINT (issue 18, class 5).

A run under `nohup`, or a background job of a non-interactive shell, starts with SIGINT ignored, and every
child inherits that: Python then installs no KeyboardInterrupt handler, so a Ctrl-C sent in a pseudo-terminal
and the kill harness's SIGINT would do nothing, and those tests would hang until their timeout or pass
without interrupting anything. lynx restores Ctrl-C at a terminal (lynx/cli.py) and the kill hook restores it
before it fires (lynx/core/faults.py). Here the Ctrl-C tests themselves run in a pytest whose SIGINT is
ignored, under pytest-xdist (two workers), and the SIGINT kill hook is checked to really stop lynx.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from kit import ENV, REPO, lynx, state

pytestmark = pytest.mark.slow

CTRL_C_TESTS = [
    "tests/cli/test_break_terminal.py::test_ctrl_c_at_the_prediction_changes_nothing",
    "tests/cli/test_quiz_terminal.py::test_stop_keeps_unfinished_attempt",
    "tests/cli/test_quiz_terminal.py::test_stop_before_any_answer_saves_nothing",
]


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_the_ctrl_c_tests_pass_under_xdist_when_sigint_is_ignored(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider",
                        "--basetemp", str(tmp_path / "t"), *CTRL_C_TESTS],
                       cwd=REPO, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, preexec_fn=_ignore_sigint,
                       capture_output=True, text=True, timeout=600)
    tail = (r.stdout + r.stderr)[-3000:]
    assert r.returncode == 0, tail
    assert "4 passed" in r.stdout, tail  # ctrl-c at a prediction, a quiz stopped by ctrl-c and ctrl-d, before any answer


def test_the_sigint_kill_hook_stops_lynx_when_sigint_is_ignored(workspace):
    """LYNX_CRASH_SIGNAL=INT after step 3 of `break`: killed there, not run to the end."""
    r = subprocess.run([sys.executable, "-m", "lynx", "break", "13", "--predict", "p"], cwd=workspace,
                       env={**ENV, "LYNX_CRASH_AFTER": "3", "LYNX_CRASH_SIGNAL": "INT"}, preexec_fn=_ignore_sigint,
                       capture_output=True, text=True, timeout=120)
    assert "killed after step 3" in r.stderr, r.stderr
    assert r.returncode in (130, -signal.SIGINT), (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    assert (state(workspace) or {}).get("stage") != "active", "the break ran to its end: SIGINT did nothing"
    assert lynx("recover", cwd=workspace).returncode == 0
