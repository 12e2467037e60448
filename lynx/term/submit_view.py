"""`lynx submit`'s one line, and the warning when lynx could not commit its own files after an activity."""

from __future__ import annotations

import sys

from lynx.i18n import t


def submitted(done, lang: str) -> int:  # done: lynx.activities.submit.Submitted
    code = [b for b in done.branches[1:]]
    line = t("Submitted to {remote}: {branch} and {n} break and build branches.", lang,
             remote=done.remote, branch=done.branches[0], n=len(code))
    sys.stdout.write(line + "\n")
    return not_committed(done.committed_note, lang)


def not_committed(note, lang: str) -> int:  # note: lynx.activities.submit.NotCommitted | None
    """One line on stderr when the activity is saved but not committed (so not yet seen by `lynx class`);
    the exit code: 2 when the reason was an OS error (a full disk, say), else 0 (a merge in progress, say)."""
    if note is None:
        return 0
    sys.stderr.write("lynx: " + t("saved, but not committed ({why}): commit learners/ yourself or run `lynx submit` later",
                                  lang, why=note.why) + "\n")
    return 2 if note.os_error else 0
