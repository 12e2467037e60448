"""Every break of phases 14-17 loads, touches only its listed files, and is proven like `lynx validate` does:
the check passes on the reference, fails with break.patch applied, and passes again after the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from lynx.authoring.break_proofs import prove_break
from lynx.content.course import Course

pytestmark = pytest.mark.slow  # minutes of real subprocesses: README's command runs them, `-m 'not slow'` skips

REPO = Path(__file__).resolve().parents[2]
BREAKS = sorted(p.name[:5] for p in (REPO / "breaks").iterdir() if p.name[:2] in ("14", "15", "16", "17"))


def test_each_phase_lists_its_breaks_in_order():
    course = Course(REPO, use_cache=False)
    for pid in ("14", "15", "16", "17"):
        listed = course.phase(pid).breaks
        assert len(listed) >= 2 and listed == [f"{pid}-{n:02d}" for n in range(len(listed))]
        assert listed == [b for b in BREAKS if b.startswith(pid)]


@pytest.mark.parametrize("bid", BREAKS)
def test_break_is_proven(bid):
    b = Course(REPO, use_cache=False).brk(bid)
    assert len(b.hints) >= 3 and all(set(h) == {"en", "es"} for h in b.hints)
    assert all(f.startswith("src/minimodel/") for f in b.files)
    row = prove_break(REPO, b)
    assert row.ok, row.message
