"""`lynx init`: a committed workspace from the bundled course, and what it refuses."""

from __future__ import annotations

from kit import git, lynx


def no_traceback(r) -> None:
    assert "Traceback" not in r.stderr, r.stderr


def test_init_makes_a_committed_workspace(tmp_path):
    root = tmp_path / "course"
    r = lynx("init", str(root), "--learner", "ana", "--lang", "es")
    assert r.returncode == 0, r.stderr
    for part in ("phases", "breaks", "data/quizzes", "src/minimodel", "learners/ana", "lynx.toml"):
        assert (root / part).exists(), part
    assert git("status", "--porcelain", cwd=root) == ""
    assert git("branch", "--show-current", cwd=root).strip() == "main"
    assert 'lang = "es"' in (root / "lynx.toml").read_text()


def test_init_refuses_a_non_empty_folder_and_bad_names(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("keep me")
    r = lynx("init", str(tmp_path / "full"), "--learner", "ana")
    assert r.returncode == 2 and "not empty" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert (tmp_path / "full" / "mine.txt").read_text() == "keep me"
    r = lynx("init", str(tmp_path / "x"), "--learner", "Ana Smith")
    assert r.returncode == 2 and "learner name" in r.stderr
    assert not (tmp_path / "x").exists()
    no_traceback(r)
