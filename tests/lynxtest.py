"""Helpers every test module imports (`from lynxtest import lynx, git`): the real CLI, real git, a pty."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = {
    **os.environ,
    "NO_COLOR": "1",
    "COLUMNS": "120",
    "GIT_AUTHOR_NAME": "test learner", "GIT_AUTHOR_EMAIL": "learner@example.org",
    "GIT_COMMITTER_NAME": "test learner", "GIT_COMMITTER_EMAIL": "learner@example.org",
}
ENV.pop("LYNX_LANG", None)
ENV.pop("LYNX_WORKSPACE", None)


def lynx(*args: str, cwd: Path | None = None, input: str | None = None, env: dict | None = None,
         timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess, as a learner's shell would."""
    return subprocess.run([sys.executable, "-m", "lynx", *args], cwd=cwd, input=input, capture_output=True,
                          text=True, env={**ENV, **(env or {})}, timeout=timeout)


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=ENV).stdout




def spawn(args: str, cwd: Path, env: dict | None = None):
    """`lynx ARGS` in a real pseudo-terminal (pexpect), as a learner types it."""
    import pexpect

    # a pseudo-terminal has a terminal type, as an emulator sets it (CI may have no TERM at all)
    return pexpect.spawn(f"{sys.executable} -m lynx {args}", cwd=str(cwd), env={**ENV, "TERM": "xterm", **(env or {})},
                         encoding="utf-8", timeout=60, dimensions=(50, 120))


def finish(p) -> int:
    """Wait for a spawned lynx to end; no traceback allowed. Returns its exit status."""
    import pexpect

    p.expect(pexpect.EOF)
    p.close()
    assert "Traceback" not in (p.before or "")
    return p.exitstatus
