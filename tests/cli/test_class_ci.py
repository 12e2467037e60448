"""The CI templates in docs/ci/ run as a runner would run them: each template's own commands (all but the step
that installs lynx: the lynx under test is on PATH), in a fresh clone of a learner's pushed repository, made the
way that host's runner makes it. An honest learner's job passes; one whose progress claims a break their code
does not fix fails, and lynx-verify.json says which."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kit import ENV, REPO, git, lynx, push_all

pytestmark = pytest.mark.slow
TEMPLATES = {"github-actions.yml": "all", "forgejo-actions.yml": "all", "gitlab-ci.yml": "single"}


def commands(template: Path) -> str:
    """The shell the template runs after lynx is installed."""
    doc = yaml.safe_load(template.read_text(encoding="utf-8"))
    if "jobs" in doc:  # GitHub / Forgejo Actions
        steps = doc["jobs"]["verify"]["steps"]
        assert any(s.get("name") == "Install lynx" for s in steps)
        return "\n".join(s["run"] for s in steps if "run" in s and s.get("name") != "Install lynx")
    job = doc["lynx-verify"]  # GitLab CI: before_script installs lynx, script verifies
    assert any("pip install" in line for line in job["before_script"])
    return "\n".join(job["script"])


@pytest.fixture(scope="module")
def learners(template_for, tmp_path_factory):
    root = tmp_path_factory.mktemp("ci")
    for name, honest in (("ana", True), ("mal", False)):
        ws = root / name
        shutil.copytree(template_for(name), ws, symlinks=True)
        assert lynx("break", "13-00", "--predict", "a crash", cwd=ws).returncode == 0
        if honest:
            git("apply", "-R", str(next(ws.glob("breaks/13-00-*/break.patch"))), cwd=ws)
        else:  # leaves the bug in and calls it done by hand
            p = ws / "learners" / name / "progress.json"
            assert lynx("abort", cwd=ws).returncode == 0
            data = json.loads(p.read_text())
            data["breaks"]["13-00"]["attempts"][-1].update(outcome="fixed", calibration="y")
            p.write_text(json.dumps(data))
            git("commit", "-q", "-am", "done, honest", cwd=ws)
        if honest:
            assert lynx("done", "--calibration", "y", cwd=ws).returncode == 0
        push_all(ws, root / f"{name}.git")
    return root


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_the_templates_command_runs_as_a_runner_would(template, learners, tmp_path):
    script = commands(REPO / "docs" / "ci" / template)
    env = {**ENV, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{ENV.get('PATH', '')}", "CI": "true"}
    for name, want in (("ana", 0), ("mal", 1)):
        work = tmp_path / f"{name}-checkout"
        how = ["--single-branch", "--branch", "main"] if TEMPLATES[template] == "single" else []
        git("clone", "-q", *how, str(learners / f"{name}.git"), str(work), cwd=tmp_path)  # the runner's checkout
        r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=work, env=env, capture_output=True,
                           text=True, timeout=600)
        assert r.returncode == want, (template, name, r.stdout[-2000:], r.stderr[-2000:])
        doc = json.loads((work / "lynx-verify.json").read_text())
        assert [(x["id"], x["status"]) for x in doc["results"]] == [("13-00", "passed" if want == 0 else "failed")]
