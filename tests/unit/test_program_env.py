"""The environment lynx gives a course program (observe, check, lab, validator): the learner's src/ first on
the path and one BLAS thread, unless the learner chose a thread count of their own."""

from __future__ import annotations

import sys

from lynx.core import process

PRINT = "import os, sys; print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'], sys.path[1])"


def test_a_course_program_gets_one_blas_thread_and_the_learners_src(tmp_path, monkeypatch):
    for name in process.BLAS_ENV:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "src").mkdir()
    out = process.run(tmp_path, [sys.executable, "-c", PRINT], 60, capture=True).stdout.split()
    assert out[:2] == ["1", "1"]
    assert out[2] == str(tmp_path / "src")


def test_the_learners_own_thread_count_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    out = process.run(tmp_path, [sys.executable, "-c", PRINT], 60, capture=True).stdout.split()
    assert out[:2] == ["2", "1"]
