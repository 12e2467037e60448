"""`lynx verify` and `lynx class --verify`: what progress.json calls done, re-checked on the code committed for
it, over real repositories (served by `git daemon` and as paths): an honest learner passes, one whose progress
claims breaks their code does not fix is flagged, and a second run re-checks only what changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kit import git, lynx, push_all

pytestmark = pytest.mark.slow


def claim(ws: Path, bid: str, branch: str | None) -> None:
    """Write into progress.json, by hand, that break ``bid`` was fixed (what a learner can do in their repository)."""
    p = ws / "learners" / ws.name / "progress.json"
    data = json.loads(p.read_text())
    data["breaks"][bid] = {"hints": 0, "attempts": [{"started": "2026-11-30T10:00:00+00:00", "outcome": "fixed",
                                                    "hints": 0, "calibration": "y", "prediction": "easy",
                                                    **({"branch": branch} if branch else {})}]}
    p.write_text(json.dumps(data, indent=2))
    git("add", "-A", cwd=ws)
    git("commit", "-q", "-m", "my progress", cwd=ws)


@pytest.fixture(scope="module")
def klass(template_for, git_daemon, tmp_path_factory):
    served, url = git_daemon
    root = tmp_path_factory.mktemp("verify")
    out = {"root": root, "url": url, "served": served}
    for name in ("ana", "mal"):
        ws = root / name
        shutil.copytree(template_for(name), ws, symlinks=True)
        assert lynx("break", "13-00", "--predict", "a crash", cwd=ws).returncode == 0
        git("apply", "-R", str(next(ws.glob("breaks/13-00-*/break.patch"))), cwd=ws)  # fixed by hand
        r = lynx("done", "--calibration", "y", cwd=ws)
        assert r.returncode == 0, r.stderr
        out[name] = ws
    mal = out["mal"]
    # mal claims 13-01 too: its branch holds the break, unfixed; and 13-02, with no code at all
    git("switch", "-q", "-c", "lynx/break/13-01", cwd=mal)
    git("apply", str(next(mal.glob("breaks/13-01-*/break.patch"))), cwd=mal)
    git("commit", "-q", "-am", "lynx: break 13-01", cwd=mal)
    git("switch", "-q", "main", cwd=mal)
    claim(mal, "13-01", "lynx/break/13-01")
    claim(mal, "13-02", None)
    push_all(out["ana"], served / "ana.git")
    push_all(mal, root / "mal.git")
    return out


def run_class(k, *args: str, code: int, mal: Path | None = None, cache: Path | None = None) -> tuple[dict[str, dict], str]:
    r = lynx("class", "--verify", "--remote", f"{k['url']}/ana.git", "--remote", str(mal or k["root"] / "mal.git"),
             "--cache", str(cache or k["root"] / "cache"), "--json", *args, cwd=k["root"])
    assert r.returncode == code, (r.stdout[-1500:], r.stderr)
    return {row["name"]: row for row in json.loads(r.stdout)}, r.stderr


def test_class_verify_flags_claims_the_code_does_not_back(klass):
    rows, err = run_class(klass, code=1)
    ana, mal = rows["ana"], rows["mal"]
    assert (ana["verified"], ana["claims_failed"]) == ("1/1", 0)
    assert ana["verify"][0]["status"] == "passed" and ana["verify"][0]["same_as_solution"] is True
    assert (mal["verified"], mal["claims"], mal["claims_failed"]) == ("1/3", 3, 2)
    assert "13-01 claimed done, its check fails" in mal["note"]
    assert "13-02 claimed done, no code for it" in mal["note"]
    assert "2 claims of 1 learners are not backed by their code" in err
    # the second run re-verifies nothing: every result comes from the cache, by source tree
    again, _ = run_class(klass, code=1)
    assert all(v["cached"] for row in again.values() for v in row["verify"] if v["status"] in ("passed", "failed"))
    assert again["mal"]["note"] == mal["note"]


def test_a_fix_pushed_later_is_the_only_check_run_again(klass, tmp_path):
    bare, cache = tmp_path / "mal.git", tmp_path / "cache"
    shutil.copytree(klass["root"] / "mal.git", bare)  # this test's own copy of mal's repository
    run_class(klass, code=1, mal=bare, cache=cache)
    mal = tmp_path / "mal"
    git("clone", "-q", str(bare), str(mal), cwd=tmp_path)
    git("switch", "-q", "lynx/break/13-01", cwd=mal)
    git("apply", "-R", str(next(mal.glob("breaks/13-01-*/break.patch"))), cwd=mal)
    git("commit", "-q", "-am", "fixed it after all", cwd=mal)
    git("push", "-q", "origin", "lynx/break/13-01", cwd=mal)
    rows, _ = run_class(klass, code=1, mal=bare, cache=cache)
    checks = {v["id"]: v for v in rows["mal"]["verify"]}
    assert checks["13-01"]["status"] == "passed" and not checks["13-01"]["cached"]
    assert checks["13-00"]["cached"]
    assert rows["mal"]["claims_failed"] == 1 and "13-02 claimed done, no code for it" in rows["mal"]["note"]


def test_lynx_verify_in_the_learners_own_workspace(klass):
    r = lynx("verify", cwd=klass["ana"])
    assert r.returncode == 0 and "All 1 claims hold." in r.stdout, r.stdout + r.stderr
    r = lynx("verify", "--json", cwd=klass["mal"])
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert {x["id"]: x["status"] for x in doc["results"]} == {"13-00": "passed", "13-01": "failed", "13-02": "no code"}
    assert doc["failing"] == 2 and doc["sandbox"]
    # the learner's copy of a check is not what runs: editing it to pass changes nothing
    check = next(klass["mal"].glob("breaks/13-01-*/check_test.py"))
    saved = check.read_text()
    check.write_text("def test_nothing():\n    pass\n")
    try:
        r = lynx("verify", "--json", cwd=klass["mal"])
        assert {x["id"]: x["status"] for x in json.loads(r.stdout)["results"]}["13-01"] == "failed"
    finally:
        check.write_text(saved)


def test_verify_csv_has_the_verification_columns(klass):
    r = lynx("class", "--verify", "--csv", "--remote", str(klass["root"] / "mal.git"), "--cache",
             str(klass["root"] / "cache"), cwd=klass["root"])
    assert r.returncode == 1
    head, row = r.stdout.splitlines()[:2]
    assert head.endswith("verified,claims,claims_failed,same_as_solution") and row.split(",")[-4:-1] == ["1/3", "3", "2"]
