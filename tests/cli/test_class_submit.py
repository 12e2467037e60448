"""The learner's side of the class: lynx commits its own files after a quiz and a card session (never the
learner's staged work), and `lynx submit` pushes the learner's branch and every break branch, one line on
success, one clear line (exit 1, nothing lost) when the push fails."""

from __future__ import annotations

import json
import subprocess

from kit import ENV, git, lynx, quiz_answers, tree_hash


def test_a_quiz_and_a_card_session_are_committed_without_the_learners_staged_work(ws):
    src = ws / "src" / "minimodel" / "__init__.py"
    src.write_text(src.read_text() + "\n# my own idea, staged\n")
    git("add", str(src), cwd=ws)
    (ws / "scratch.txt").write_text("not for lynx\n")
    r = lynx("quiz", "phase-13", "--json", cwd=ws, input=json.dumps(quiz_answers(ws)))
    assert r.returncode in (0, 1), r.stderr
    assert git("log", "-1", "--format=%s", cwd=ws).strip() == "lynx: quiz phase-13 attempt"
    assert git("show", "--name-only", "--format=", "HEAD", cwd=ws).split() == ["learners/borja/phase-13/quiz.yaml"]
    assert git("diff", "--cached", "--name-only", cwd=ws).split() == ["src/minimodel/__init__.py"]  # still staged
    assert "?? scratch.txt" in git("status", "--porcelain", cwd=ws)
    r = lynx("cards", "--learn", "--count", "1", cwd=ws, input="\ny\n")
    assert r.returncode == 0, r.stderr
    assert git("log", "-1", "--format=%s", cwd=ws).strip() == "lynx: cards --learn session"
    assert git("show", "--name-only", "--format=", "HEAD", cwd=ws).split() == ["learners/borja/cards.json"]
    assert not git("status", "--porcelain", "learners", cwd=ws).strip()


def test_submit_pushes_the_learners_branch_and_the_break_branches(ws, tmp_path):
    bare = tmp_path / "borja.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True, env=ENV)
    git("remote", "add", "origin", str(bare), cwd=ws)
    assert lynx("break", "13-00", "--predict", "a crash", cwd=ws).returncode == 0
    assert lynx("fix", "--apply", cwd=ws).returncode == 0
    assert lynx("done", "--calibration", "n", cwd=ws).returncode == 0
    r = lynx("submit", cwd=ws)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "Submitted to origin: main and 1 break and build branches."
    heads = git("for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads", cwd=bare).splitlines()
    mine = git("for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads", cwd=ws).splitlines()
    assert sorted(heads) == sorted(mine)  # main and lynx/break/13-00, at the same commits
    progress = json.loads((ws / "learners/borja/progress.json").read_text())
    done = progress["breaks"]["13-00"]["attempts"][-1]
    assert done["commit"] == git("rev-parse", "lynx/break/13-00", cwd=ws).strip()  # what `lynx verify` re-checks


def test_a_failing_push_is_one_line_and_loses_nothing(ws, tmp_path):
    bare = tmp_path / "borja.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True, env=ENV)
    git("remote", "add", "origin", str(bare), cwd=ws)
    assert lynx("submit", cwd=ws).returncode == 0
    other = tmp_path / "other"
    git("clone", "-q", str(bare), str(other), cwd=tmp_path)
    (other / "elsewhere.txt").write_text("pushed from another machine\n")
    git("add", "elsewhere.txt", cwd=other)
    git("commit", "-q", "-m", "from elsewhere", cwd=other)
    git("push", "-q", "origin", "main", cwd=other)
    r = lynx("quiz", "phase-13", "--json", cwd=ws, input=json.dumps(quiz_answers(ws)))
    assert r.returncode in (0, 1)
    before = tree_hash(ws)
    r = lynx("submit", cwd=ws)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "the push to origin" in r.stderr and "rejected" in r.stderr and "nothing was lost" in r.stderr
    assert tree_hash(ws) == before  # the attempt is committed here, untouched
    assert git("log", "-1", "--format=%s", cwd=ws).strip() == "lynx: quiz phase-13 attempt"


def test_submit_without_a_remote_says_how_to_add_one(ws):
    r = lynx("submit", cwd=ws)
    assert r.returncode == 2 and "no git remote named 'origin'" in r.stderr and "git remote add origin" in r.stderr
    (ws / "lynx.toml").write_text((ws / "lynx.toml").read_text().replace("[workspace]\n", '[workspace]\nremote = "--evil"\n'))
    r = lynx("submit", cwd=ws)
    assert r.returncode == 2 and "is not a remote name" in r.stderr
