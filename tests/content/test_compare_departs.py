"""Every break names where `lynx run --compare` sees the reference run and the broken one part
(`departs:` in break.yaml), and the comparison on the broken code finds exactly that place."""

from __future__ import annotations

import json

import pytest
import yaml

from kit import REPO, lynx

pytestmark = pytest.mark.slow  # each case runs a break's program twice: README's command runs them

BREAKS = sorted((REPO / "breaks").glob("*/break.yaml"))


def test_every_break_says_where_the_runs_part():
    for path in BREAKS:
        assert yaml.safe_load(path.read_text(encoding="utf-8")).get("departs"), path


@pytest.mark.parametrize("path", BREAKS, ids=lambda p: p.parent.name[:5])
def test_compare_finds_the_place_the_break_names(workspace, path):
    departs = yaml.safe_load(path.read_text(encoding="utf-8"))["departs"]
    phase, nn = path.parent.name[:5].split("-")
    assert lynx("break", phase, nn, "--predict", "x", cwd=workspace).returncode == 0
    r = lynx("run", "--compare", "--json", cwd=workspace)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["where"] == departs, (data["first"], data["where"])
    if departs not in ("none", "no-module"):
        assert data["first"] is not None
