"""Build challenges 14-17: the reference passes the validator, the stub fails every test, each break of
the phase is caught; the fixtures and stub patches are what their committed scripts produce."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lynx.authoring.build_proofs import prove
from lynx.content.challenge import parse_build
from lynx.content.course import Course

pytestmark = pytest.mark.slow  # minutes of real subprocesses: README's command runs them, `-m 'not slow'` skips

REPO = Path(__file__).resolve().parents[2]
PHASES = {"14": "14-sequence-models", "15": "15-attention", "16": "16-transformer-block", "17": "17-mini-gpt"}
FIXTURE = {"14": "sequence.npz", "15": "attention.npz", "16": "block.npz", "17": "gpt.npz"}


def load_script(path: Path):
    spec = importlib.util.spec_from_file_location(f"script_{path.parent.parent.name}_{path.stem}".replace("-", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("pid", sorted(PHASES))
def test_build_is_proven(pid):
    course = Course(REPO, use_cache=False)
    ph = course.phase(pid)
    assert ph.build_dir == REPO / "phases" / PHASES[pid] / "build"
    b = parse_build(ph.build_dir / "build.yaml", pid)
    rows = prove(REPO, b, [(bid, course.brk(bid).patch) for bid in ph.breaks])
    assert len(rows) == 1 + len(ph.breaks) >= 3
    for ident, ok, message in rows:
        assert ok, f"{ident}: {message}"
    assert "stub fails" in rows[0][2]


@pytest.mark.parametrize("pid", sorted(PHASES))
def test_fixtures_are_what_make_fixtures_writes(pid):
    build = REPO / "phases" / PHASES[pid] / "build"
    fresh = load_script(build / "make_fixtures.py").make()
    with np.load(build / "tests" / "fixtures" / FIXTURE[pid]) as saved:
        assert sorted(saved.files) == sorted(fresh)
        for key in saved.files:
            if saved[key].dtype.kind == "f":
                assert saved[key].dtype == np.float64, key
                # Equal up to float64 rounding: another CPU's SIMD kernels change the last bit or two
                # (seen: 1.4e-15 apart; 1.7e-10 for the LSTM input gradient, a finite difference), which is
                # not a different fixture: the validators compare with rtol 1e-5 or looser.
                np.testing.assert_allclose(saved[key], fresh[key], rtol=1e-7, atol=1e-9, err_msg=key)
            else:
                np.testing.assert_array_equal(saved[key], fresh[key], err_msg=key)


@pytest.mark.parametrize("pid", sorted(PHASES))
def test_stub_patch_is_the_stub_folder(pid, tmp_path):
    """Applying stub.patch to the reference gives exactly the files in stub/ (and reversing it restores them)."""
    build = REPO / "phases" / PHASES[pid] / "build"
    b = parse_build(build / "build.yaml", pid)
    for rel in b.files:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes((REPO / rel).read_bytes())
    subprocess.run(["git", "apply", str(b.stub)], cwd=tmp_path, check=True)
    for rel in b.files:
        assert (tmp_path / rel).read_text() == (build / "stub" / Path(rel).name).read_text(), rel
        assert "NotImplementedError" in (tmp_path / rel).read_text()
    subprocess.run(["git", "apply", "-R", str(b.stub)], cwd=tmp_path, check=True)
    for rel in b.files:
        assert (tmp_path / rel).read_bytes() == (REPO / rel).read_bytes()


@pytest.mark.parametrize("pid", sorted(PHASES))
def test_stub_still_imports(pid, tmp_path):
    """A learner who has written nothing yet can still import minimodel (the validator then fails test by test)."""
    build = REPO / "phases" / PHASES[pid] / "build"
    import shutil

    shutil.copytree(REPO / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(["git", "apply", str(build / "stub.patch")], cwd=tmp_path, check=True)
    proc = subprocess.run([sys.executable, "-c", "import minimodel, minimodel.nn, minimodel.sample"], cwd=tmp_path,
                          env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
