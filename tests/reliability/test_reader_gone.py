"""A reader that goes away (`lynx ... | head -1`): lynx stops writing, says nothing more, and no thread prints
a traceback — `lynx run` shows its program's output through a thread, which used to die loudly there."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kit import ENV, lynx


@pytest.mark.parametrize("argv", [["run"], ["status"], ["phases"], ["hint", "--all"]])
def test_a_closed_pipe_gives_no_traceback(argv, workspace):
    assert lynx("break", "13", "--predict", "p", cwd=workspace).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "lynx", *argv], cwd=workspace, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout.readline()  # one line read, as `head -1` does, then the reader is gone
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    code = proc.wait(timeout=120)
    assert "Traceback" not in err and "Exception in thread" not in err, err
    assert code in (0, 1, 141), (code, err)  # 1: `run` passes on its broken program's status
