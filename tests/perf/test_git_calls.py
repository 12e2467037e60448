"""What lynx asks of git: few processes per command, and commits with or without an identity configured.

Every git process reads the index (about 11,000 entries on a 500-phase course), so the count is the
cost that grows with a course; it is counted with GIT_TRACE, never timed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kit import ENV, lynx


def traced(ws: Path, *args: str) -> list[str]:
    """The git commands one lynx command ran, without GitPython's start-up `git version`."""
    trace = ws.parent / "trace.txt"
    trace.unlink(missing_ok=True)
    r = lynx(*args, cwd=ws, env={"GIT_TRACE": str(trace)})
    assert r.returncode == 0, r.stderr
    lines = [line.split("trace: built-in: ", 1)[1] for line in trace.read_text().splitlines() if "trace: built-in: " in line]
    return [c for c in lines if c != "git version"]


def test_break_and_abort_run_few_git_processes(tmp_path):
    ws = tmp_path / "ws"
    assert lynx("init", str(ws), "--learner", "ana").returncode == 0
    started = traced(ws, "break", "13", "00", "--predict", "x")
    # status + apply --check; notes: status, add (a new notes file), commit; the branch: update-ref and
    # symbolic-ref (no `switch`, which refreshes the whole index); apply, commit
    assert len(started) <= 9, "\n".join(started)
    assert not [c for c in started if c.startswith(("git maintenance", "git config", "git read-tree", "git switch"))], started
    left = traced(ws, "abort")
    # one status for the patched files and the notes, rev-parse of both notes trees, switch, status, commit
    assert len(left) <= 5, "\n".join(left)
    assert lynx("status", cwd=ws).returncode == 0
    # the second round trip: the branch name lynx/break/13-00 is taken, found without a process
    again = traced(ws, "break", "13", "00", "--predict", "y")
    assert len(again) <= 9 and "refs/heads/lynx/break/13-00-2" in " ".join(again), again


def _env_without_identity(tmp_path: Path, config: str) -> dict[str, str]:
    env = {k: v for k, v in ENV.items() if not k.startswith(("GIT_AUTHOR_", "GIT_COMMITTER_")) and k != "EMAIL"}
    cfg = tmp_path / "gitconfig"
    cfg.write_text(config, encoding="utf-8")
    return {**env, "GIT_CONFIG_GLOBAL": str(cfg), "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}


def _run(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lynx", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def _authors(ws: Path, env: dict[str, str]) -> set[str]:
    return set(subprocess.run(["git", "log", "--all", "--format=%an <%ae>"], cwd=ws, env=env, capture_output=True,
                              text=True, check=True).stdout.split("\n")) - {""}


def test_no_identity_configured_commits_as_the_fallback(tmp_path):
    # useConfigOnly: git refuses to guess an identity from the host name, as on a fresh CI machine
    env = _env_without_identity(tmp_path, "[user]\n\tuseConfigOnly = true\n")
    ws = tmp_path / "ws"
    for args, cwd in ((("init", str(ws), "--learner", "ana"), None), (("break", "13", "--predict", "x"), ws),
                      (("fix", "--apply"), ws), (("done", "-c", "y"), ws)):
        r = _run(env, *args, cwd=cwd)
        assert r.returncode == 0, f"{args}: {r.stderr}"
        assert "Traceback" not in r.stderr
    assert _authors(ws, env) == {"lynx learner <learner@lynx.invalid>"}


def test_a_configured_identity_is_never_overridden(tmp_path):
    env = _env_without_identity(tmp_path, "[user]\n\tname = Ana Ruiz\n\temail = ana@school.example\n")
    ws = tmp_path / "ws"
    assert _run(env, "init", str(ws), "--learner", "ana").returncode == 0
    assert _run(env, "break", "13", "--predict", "x", cwd=ws).returncode == 0
    assert _run(env, "abort", cwd=ws).returncode == 0
    assert _authors(ws, env) == {"Ana Ruiz <ana@school.example>"}
