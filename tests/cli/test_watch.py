"""`lynx watch` driven in a real pseudo-terminal, as a learner uses it: the learner's fixing save turns the
screen to a pass; h, r, d, c, q and Enter do what they say; an unknown key is a note, not an exit; Ctrl-C
and SIGTERM leave nothing behind (no process, no lock, no state change beyond what the keys did); nothing
active is one line and exit 2; piped, the verdicts come line by line.

No timing is asserted except generous upper bounds (a loaded 2-core machine takes seconds per check).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from kit import ENV, git, lynx, spawn, state, tree_hash

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX terminals")
FIRST = 180    # seconds for the first verdict: the warm helper's imports on a busy machine, then the check
NEXT = 120     # seconds from a save to its verdict (a generous bound, never a goal)
PROGRESS = Path("learners/borja/progress.json")


def start(ws: Path, bid: str = "13-01") -> None:
    phase, which = bid.split("-")
    lynx("break", phase, which, "--predict", "only the repeated rows go wrong", cwd=ws, check=True)


def fix(ws: Path) -> None:
    """The learner's edit that fixes the bug: the fix diff, applied as an editor would save it."""
    diff = lynx("fix", "--show-diff", cwd=ws, check=True).stdout
    assert diff.strip()
    subprocess.run(["git", "apply", "-"], input=diff, text=True, cwd=ws, check=True, env=ENV)


def watch(ws: Path, *args: str, env: dict | None = None) -> pexpect.spawn:
    p = spawn(" ".join(["watch", *args]), ws, env=env, dimensions=(40, 100))
    p.timeout = NEXT
    return p


def first_verdict(p: pexpect.spawn, what: str = "checks fail") -> None:
    p.expect_exact(what, timeout=FIRST)


def strays(ws: Path) -> list[str]:
    """Processes still running whose command line names the workspace or whose working directory is in it
    (the warm helper, a forked check, a program a check started)."""
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            cwd = os.readlink(d / "cwd")
            zombie = (d / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
        except OSError:
            continue
        if not zombie and (str(ws) in cmd or cwd == str(ws) or cwd.startswith(f"{ws}/")):
            found.append(f"{d.name}: {cmd}")
    return found


def settled(ws: Path, seconds: float = 15) -> list[str]:
    deadline = time.monotonic() + seconds
    while (left := strays(ws)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def ended(p: pexpect.spawn) -> int | None:
    p.expect(pexpect.EOF, timeout=30)
    p.close()
    assert "Traceback" not in (p.before or "")
    return p.exitstatus


def test_the_fixing_save_turns_the_screen_to_a_pass_and_q_quits(workspace):
    w = workspace
    start(w)
    p = watch(w)
    p.expect_exact("lynx watch — break 13-01: Embedding backward that forgets repeated tokens", timeout=FIRST)
    first_verdict(p)
    p.expect_exact("q quit")
    assert state(w).get("passed_digest") is None
    fix(w)
    p.expect_exact("src/minimodel/nn/embedding.py saved: checking")
    p.expect_exact("All 3 checks pass.")
    p.expect_exact("✓ check passes: the bug is gone.")
    p.send("q")
    assert ended(p) == 0
    assert "\x1b[?1049l" in p.before and "\x1b[?25h" in p.before  # the screen and cursor given back
    assert "✓ check passes: the bug is gone. Record it with lynx done." in p.before  # left behind (code as code)
    assert state(w)["passed_digest"], "the pass is remembered, as `lynx check` remembers it"
    assert not settled(w)
    assert not (w / ".lynx" / "lock").exists()


def test_the_keys(workspace):
    w = workspace
    start(w)
    p = watch(w)
    first_verdict(p)
    p.send("h")
    p.expect(r"Hint 1/4 +Which tokens have a ratio")
    p.send("x")
    p.expect_exact("Unknown key x: h hint")
    p.send("d")
    p.expect_exact("the fix diff — break 13-01")
    p.expect_exact("np.add.at(grad, flat")
    p.expect_exact("Press any key to go back to the watch.")
    p.send(" ")
    p.expect_exact("q quit")
    p.send("r")
    p.expect_exact("lynx run — break 13-01: python -m minimodel.programs.embedding_grad")
    p.expect_exact("end of the program")
    p.expect_exact("Press any key to go back to the watch.")
    p.send("\r")  # any key: back to the frame (Enter here is not `done`)
    p.expect(r"Hint 1/4")
    p.send("\r")  # on the frame, before a pass: a note
    p.expect_exact("Enter records the break once its check passes")
    p.send("c")
    p.expect_exact("Checking your code")
    p.expect_exact("checks fail")
    assert p.isalive()
    p.send("q")
    assert ended(p) == 0
    assert json.loads((w / PROGRESS).read_text())["breaks"]["13-01"]["hints"] == 1
    assert state(w)["diff_shown"] is True
    assert not settled(w)


def test_enter_on_a_pass_records_the_break(workspace):
    w = workspace
    start(w)
    fix(w)
    p = watch(w)
    first_verdict(p, "✓ check passes: the bug is gone. Press Enter")
    p.send("\r")
    p.expect_exact("Was your prediction right? [y/partly/n]: ")
    p.sendline("partly")
    p.expect_exact("Back on main")
    assert ended(p) == 0
    assert git("branch", "--show-current", cwd=w).strip() == "main"
    assert state(w) is None
    assert not settled(w)


def test_ctrl_c_leaves_nothing_behind(workspace):
    w = workspace
    start(w)
    before = tree_hash(w)
    p = watch(w)
    first_verdict(p)
    p.sendintr()
    assert ended(p) == 130
    assert "\x1b[?1049l" in p.before  # the normal screen is back
    assert not settled(w), "processes left running"
    assert not (w / ".lynx" / "lock").exists()
    assert tree_hash(w) == before, "Ctrl-C changed the workspace"


def test_ctrl_c_while_a_check_runs_ends_it(workspace):
    """13-00's check runs a program of its own: Ctrl-C mid-check ends the fork and that program too."""
    w = workspace
    start(w, "13-00")
    before = tree_hash(w)
    p = watch(w)
    first_verdict(p)
    p.send("c")
    p.expect_exact("Checking your code")
    time.sleep(1.0)  # into the check (if it finished already, Ctrl-C is at rest: still nothing may be left)
    p.sendintr()
    assert ended(p) == 130
    assert not settled(w), "processes left running"
    assert tree_hash(w) == before


def test_sigterm_leaves_nothing_behind(workspace):
    w = workspace
    start(w)
    p = watch(w)
    first_verdict(p)
    os.kill(p.pid, signal.SIGTERM)
    assert ended(p) == 143
    assert "\x1b[?1049l" in p.before
    assert not settled(w)


def test_cold_checks_when_fork_is_not_used(workspace):
    """LYNX_WATCH_COLD=1 (what a platform without fork gets): each check a new interpreter, as `lynx check`."""
    w = workspace
    start(w)
    p = watch(w, env={"LYNX_WATCH_COLD": "1"})
    p.expect_exact("(cold).", timeout=FIRST)  # the status line, drawn above the verdict
    p.expect_exact("checks fail")
    fix(w)
    p.expect_exact("✓ check passes: the bug is gone.")
    p.send("q")
    assert ended(p) == 0
    assert not settled(w)


def test_nothing_active_is_one_line_and_exit_2(workspace):
    before = tree_hash(workspace)
    r = lynx("watch", cwd=workspace)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "nothing to watch: no break is active" in r.stderr
    assert "lynx break 13" in r.stderr and r.stdout == ""
    assert tree_hash(workspace) == before and not strays(workspace)


def test_piped_the_verdicts_come_line_by_line(workspace):
    w = workspace
    start(w)
    proc = subprocess.Popen([sys.executable, "-m", "lynx", "watch"], cwd=w, env=ENV, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: list[str] = []

    def until(text: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            if text in line:
                return
        pytest.fail(f"no {text!r} in: {''.join(seen)[-2000:]}")

    try:
        until("Not a terminal: each verdict is printed as it comes", 60)
        until("checks fail", FIRST)
        fix(w)
        until("✓ check passes: the bug is gone", NEXT)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 143 and "Traceback" not in err
    assert "\x1b[" not in "".join(seen) + out  # no screen codes, no colour: it is not a terminal
    assert not settled(w)


def test_spanish_and_colour(workspace):
    w = workspace
    start(w)
    env = {k: v for k, v in ENV.items() if k != "NO_COLOR"}
    p = pexpect.spawn(f"{sys.executable} -m lynx watch --lang es", cwd=str(w), env={**env, "TERM": "xterm"},
                      encoding="utf-8", timeout=NEXT, dimensions=(40, 100))
    p.expect_exact("lynx watch — ruptura 13-01: Un backward del embedding", timeout=FIRST)
    p.expect(r"Fallan? \d+ de \d+ comprobaci", timeout=FIRST)
    assert "\x1b[31m  ✗" in p.before  # without NO_COLOR, a failed check is red
    p.expect_exact("q salir")
    p.send("?")
    p.expect_exact("Tecla desconocida ?")
    p.send("q")
    assert ended(p) == 0


def test_no_color_means_no_colour(workspace):
    w = workspace
    start(w)
    p = watch(w)  # kit's environment has NO_COLOR=1
    first_verdict(p)
    p.expect_exact("q quit")
    screen = p.before
    p.send("q")
    assert ended(p) == 0
    assert "\x1b[31m" not in screen and "\x1b[32m" not in screen and "\x1b[1m" not in screen


@pytest.mark.slow
def test_a_build_is_watched_with_its_validator(workspace):
    w = workspace
    lynx("build", "13", cwd=w, check=True)
    p = watch(w)
    p.expect_exact("lynx watch — build 13", timeout=FIRST)
    first_verdict(p, "fail")
    p.send("h")
    p.expect_exact("a build has no hints")
    p.send("q")
    assert ended(p) == 0
    s = state(w)
    assert s["check"] is not None and s["check"]["passed"] is False  # the run is remembered, as --check does
    assert not settled(w)
