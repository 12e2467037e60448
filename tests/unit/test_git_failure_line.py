"""A failed git command becomes one line whose fix fits what git said: a full disk often shows only as a
file git could not write (seen on a real tmpfs: `cannot update ref ...: couldn't write '...main.lock'`)."""

from __future__ import annotations

from lynx.vcs.repo import failure

LOCK = ("error: cannot update ref 'refs/heads/main': couldn't write '/ws/.git/refs/heads/main.lock'\n")
OBJECT = "error: unable to write file .git/objects/ab/cdef: No space left on device\nfatal: cannot store blob\n"


def test_a_write_that_failed_points_at_the_disk():
    err = failure("commit", LOCK)
    assert err.code == 2
    assert err.line().startswith("git commit failed: cannot update ref 'refs/heads/main'")
    assert "is the disk full?" in err.line() and "free some space" in err.line() and "\n" not in err.line()


def test_git_saying_no_space_needs_no_guess():
    line = failure("add", OBJECT).line()
    assert "No space left on device" in line and "is the disk full?" not in line and "free some space" in line


def test_any_other_failure_sends_the_learner_to_git_status():
    line = failure("switch", "error: pathspec 'nope' did not match any file(s) known to git\n").line()
    assert line == ("git switch failed: pathspec 'nope' did not match any file(s) known to git — see `git status`; "
                    "your files are unchanged")
