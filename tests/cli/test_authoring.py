"""`python -m lynx.authoring stub`: an author regenerates a build's stub.patch from its stub/ folder."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from kit import ENV, REPO


@pytest.mark.parametrize("build", sorted(p.parent.relative_to(REPO).as_posix() for p in REPO.glob("phases/*/build/build.yaml")))
def test_regenerated_stub_patch_is_the_committed_one(tmp_path, build):
    course = tmp_path / "course"
    shutil.copytree(REPO / "src", course / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / build, course / build, ignore=shutil.ignore_patterns("__pycache__"))
    (course / build / "stub.patch").unlink()
    r = subprocess.run([sys.executable, "-m", "lynx.authoring", "stub", build], cwd=course, env=ENV,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (course / build / "stub.patch").read_bytes() == (REPO / build / "stub.patch").read_bytes()


def test_usage_error_is_one_line():
    r = subprocess.run([sys.executable, "-m", "lynx.authoring"], env=ENV, capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
