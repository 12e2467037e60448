"""One break of each phase, driven in a real terminal the way a learner would (issue: phases 14-17)."""

from __future__ import annotations

import json

import pytest

from kit import git, lynx
from kit import finish, spawn

pytestmark = pytest.mark.slow  # minutes of real subprocesses: README's command runs them, `-m 'not slow'` skips

PHASES = ["13", "14", "15", "16", "17"]


@pytest.mark.parametrize("phase", PHASES)
def test_one_break_of_each_phase(workspace, phase):
    w = workspace
    lang = "es" if phase in ("14", "16") else "en"  # both languages get driven
    p = spawn(f"break {phase} --lang {lang}", w)
    p.expect(f"Ruptura {phase}-" if lang == "es" else f"Break {phase}-")
    p.expect("Tu predicción: " if lang == "es" else "Your prediction: ")
    p.sendline("something will go wrong in the numbers")
    # every break is scored: an option by its letter, or a number, then a confidence
    asked = p.expect([r"Tu opción \(a-.\): ", r"Your option \(a-.\): ", "Tu número", "Your number"])
    p.sendline("a" if asked < 2 else "1")
    p.expect("Cuánto confías" if lang == "es" else "How sure are you")
    p.sendline("60")
    p.expect("Aplicado en la rama" if lang == "es" else "Applied on branch")
    assert finish(p) == 0
    state = json.loads((w / ".lynx/state.json").read_text())
    assert state["id"].startswith(f"{phase}-")

    run = lynx("run", cwd=w)
    assert "Traceback" not in run.stderr or run.returncode != 0  # a crash may be the observation
    assert run.stdout.strip() or run.stderr.strip()
    assert lynx("hint", "--lang", lang, cwd=w).returncode == 0
    assert lynx("check", cwd=w).returncode == 1, f"check of {state['id']} passes with the bug in"
    assert lynx("fix", "--apply", cwd=w).returncode == 0
    assert lynx("check", cwd=w).returncode == 0, f"check of {state['id']} fails after the fix"

    p = spawn(f"done --lang {lang}", w)
    p.expect(r"\[y/partly/n\]: ")
    p.sendline("partly")
    p.expect("De vuelta en main" if lang == "es" else "Back on main")
    assert finish(p) == 0
    assert git("branch", "--show-current", cwd=w).strip() == "main"
    prog = json.loads((w / "learners/borja/progress.json").read_text())
    assert prog["breaks"][state["id"]]["attempts"][-1]["calibration"] == "partly"
