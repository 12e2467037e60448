"""`lynx check` on every shipped break, with the bug in: a compiler's few lines, never pytest's pages."""

from __future__ import annotations

import pytest

from kit import REPO, env, lynx

pytestmark = pytest.mark.slow  # one break applied and checked per case: README's command runs them

BREAKS = sorted(p.name[:5] for p in (REPO / "breaks").iterdir() if (p / "break.yaml").is_file())


def test_the_course_has_its_breaks():
    assert len(BREAKS) >= 11


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("break_id", BREAKS)
def test_check_with_the_bug_in_fits_25_lines_of_80_columns(workspace, break_id, lang):
    phase, nn = break_id.split("-")
    start = lynx("break", phase, nn, "--predict", "something breaks", cwd=workspace)
    assert start.returncode == 0, start.stderr
    r = lynx("check", "--lang", lang, cwd=workspace, env=env(COLUMNS="80"))
    lines = r.stdout.rstrip("\n").splitlines()
    assert r.returncode == 1, r.stdout + r.stderr
    assert 2 <= len(lines) <= 25, r.stdout
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert "✗" in r.stdout and "def test_" not in r.stdout  # verdicts, not the test's source
