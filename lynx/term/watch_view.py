"""`lynx watch`'s screen: one compact frame (the break's title, the hints revealed, the last verdict with its
first failure, the keys), redrawn in place whenever something changes.

In a terminal: the alternate screen, keys read one at a time (cbreak mode: no Enter needed, Ctrl-C still
interrupts), and the terminal restored on every way out (q, Ctrl-C, SIGTERM, SIGHUP). Not in a terminal
(piped, or no keyboard): each verdict is printed as it comes, one block after another, until Ctrl-C.
:func:`frame` is pure (state in, lines out), so the tests read it without a terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass, field

from lynx.activities.watching import Event, Target, Verdict, Watch
from lynx.content.fields import text
from lynx.i18n import number, t
from lynx.term import check_view
from lynx.term.console import style
from lynx.term.text import plain, wrap

ENTER = ("\r", "\n", "D")


@dataclass
class State:
    """What the screen shows; changed by the watch's events and by the keys."""

    tgt: Target
    hints: list[str] = field(default_factory=list)    # the hints revealed, in order
    verdict: Verdict | None = None
    checking: bool = True
    changed: tuple[str, ...] = ()   # the files whose save started the check running now
    saved: bool = False             # the last verdict followed a save (not the start, not `c`)
    note: str = ""                  # one line: an unknown key, the last hint, a problem


@dataclass(frozen=True)
class Ended:
    outcome: str  # quit (q), done (Enter on a pass), gone (the session ended elsewhere), interrupted (Ctrl-C),
    #               term (SIGTERM, SIGHUP), closed (the output's reader left)
    verdict: Verdict | None
    message: str = ""


# -- the frame ------------------------------------------------------------------------------------------
def frame(st: State, lang: str, cols: int, rows: int) -> list[str]:
    """The screen as lines, each narrower than ``cols`` (never the last column: no wrap, no scroll), at most
    ``rows`` of them: earlier hints and then the failure's detail give way on a small terminal."""
    w = max(10, cols - 1)
    tgt = st.tgt
    head = _title(st, lang, w) + [style(ln, dim=True) for ln in wrap(_status(st, lang), "  ", first="", limit=w)]
    hints = _hints(st, lang, w, earlier=True)
    verdict = _verdict(st, lang, w)
    tail = _passed(st, lang, w) + [""] + [style(ln, dim=True) for ln in wrap(_keys(tgt, lang), "  ", first="", limit=w)]
    if st.note:
        tail += [style(ln, fg="yellow") for ln in wrap(st.note, "  ", first="", limit=w)]

    def total() -> int:
        return len(head) + 1 + (len(hints) + 1 if hints else 0) + len(verdict) + len(tail)

    if total() > rows and len(st.hints) > 1:
        hints = _hints(st, lang, w, earlier=False)
    if total() > rows and len(verdict) > 3:
        keep = max(2, len(verdict) - (total() - rows) - 1)
        verdict = verdict[:keep] + [style("  …", dim=True)]
    lines = [*head, "", *(hints + [""] if hints else []), *verdict, *tail]
    return [piece for ln in lines for piece in fit(ln, w)][:rows]


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def fit(line: str, w: int) -> list[str]:
    """``line`` as it is when it fits in ``w`` columns, else cut into pieces that do (plain: a code span
    wider than a narrow terminal), so the terminal never wraps a line behind the frame's back."""
    bare = ANSI.sub("", line)
    if len(bare) <= w:
        return [line]
    return [bare[i:i + w] for i in range(0, len(bare), w)]


def _title(st: State, lang: str, w: int) -> list[str]:
    tgt = st.tgt
    kind = t("break", lang) if tgt.kind == "break" else t("build", lang)
    return [style(ln, bold=True) for ln in wrap(t("lynx watch — {kind} {id}: {title}", lang, kind=kind, id=tgt.id,
                                                 title=plain(text(tgt.title, lang))), "  ", first="", limit=w)]


def _status(st: State, lang: str) -> str:
    if st.checking:
        if st.changed:
            return t("{files} saved: checking…", lang, files=", ".join(st.changed))
        return t("Checking your code…", lang)
    v = st.verdict
    if v is None:
        return t("Watching src/: save a file to check it.", lang)
    took = number(v.seconds, lang, 2)
    how = t("warm", lang) if v.warm else t("cold", lang)
    said = (t("Checked {seconds} s after your save ({how}).", lang, seconds=took, how=how) if st.saved
            else t("Checked in {seconds} s ({how}).", lang, seconds=took, how=how))
    return said + " " + t("Watching src/: each save checks again.", lang)


def _hints(st: State, lang: str, w: int, earlier: bool) -> list[str]:
    if not st.tgt.hints:
        return []
    if not st.hints:
        return [style(ln, dim=True) for ln in wrap(t("No hint revealed yet: h shows the first of {n}.", lang,
                                                      n=st.tgt.hints), limit=w)]
    out: list[str] = []
    shown = list(enumerate(st.hints, 1))
    if not earlier and len(shown) > 1:
        out += [style(ln, dim=True) for ln in wrap(t("({n} earlier hints: `lynx hint --all`)", lang, n=len(shown) - 1),
                                                   limit=w)]
        shown = shown[-1:]
    label = t("Hint", lang)
    for i, body in shown:
        head = f"{label} {i}/{st.tgt.hints}  "
        lines = wrap(body, " " * len(head), first=head, limit=w)
        out += [style(lines[0][:len(head)], fg="yellow", bold=True) + lines[0][len(head):], *lines[1:]]
    return out


def _verdict(st: State, lang: str, w: int) -> list[str]:
    v = st.verdict
    if v is None:
        return []
    if v.result is None:
        return [style(ln, fg="red") for ln in wrap("✗ " + (v.error or ""), "  ", first="", limit=w)]
    lines = check_view.render(v.result, st.tgt.what, lang, verbose_hint=False, limit=w)
    return [check_view.coloured(ln) for ln in lines]


def _passed(st: State, lang: str, w: int) -> list[str]:
    if st.verdict is None or not st.verdict.passed:
        return []
    if st.tgt.kind == "break":
        msg = t("✓ check passes: the bug is gone. Press Enter to record it (`lynx done`), or q to quit.", lang)
    else:
        msg = t("✓ the validator passes. Next: `lynx build {id} --questions`, then `lynx done` (q quits the watch).",
                lang, id=st.tgt.id)
    return [""] + [style(ln, fg="green", bold=True) for ln in wrap(msg, "  ", first="", limit=w)]


def _keys(tgt: Target, lang: str) -> str:
    if tgt.kind == "break":
        return t("h next hint · r run the program · d fix diff · c check now · q quit", lang)
    return t("c check now · q quit", lang)


def apply(st: State, ev: Event, lang: str) -> None:
    """An event of the watch, into the state."""
    if ev.kind == "checking":
        st.checking, st.changed = True, ev.changed
    elif ev.kind == "verdict":
        st.saved = bool(st.changed)
        st.checking, st.verdict, st.changed = False, ev.verdict, ()
    elif ev.kind == "note":
        st.note = t(ev.message, lang, **dict(ev.fields))


def key_name(key: str) -> str:
    if key == "\x1b" or key.startswith("\x1b"):
        return "Esc"
    if len(key) == 1 and ord(key) < 32:
        return "^" + chr(ord(key) + 64)
    return key


# -- not a terminal -------------------------------------------------------------------------------------
def lines_mode(st: State, w: Watch, lang: str) -> Ended:
    """Not a terminal: each verdict printed as it comes, until Ctrl-C (or the session ends elsewhere, or
    whoever reads the output goes away)."""
    import select

    from lynx.term.console import out

    def width() -> int:
        return shutil.get_terminal_size((80, 24)).columns - 1

    try:
        for line in _title(st, lang, width()):
            out(line)
        out(t("Not a terminal: each verdict is printed as it comes; stop with Ctrl-C.", lang))
        sys.stdout.flush()
        while True:
            select.select([w.fileno()], [], [], 1.0)
            for ev in w.events():
                if ev.kind == "gone":
                    return Ended("gone", st.verdict, ev.message)
                apply(st, ev, lang)
                if ev.kind == "checking":
                    out(style(_status(st, lang), dim=True))
                elif ev.kind == "note":
                    out(st.note)
                elif ev.kind == "verdict":
                    for line in _verdict(st, lang, width()) + _passed(st, lang, width()):
                        out(line)
                    out(style(_status(st, lang), dim=True))
                sys.stdout.flush()
    except BrokenPipeError:  # the reader left (`lynx watch | head`): so do we, quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return Ended("closed", st.verdict)


def farewell(ended: Ended, tgt: Target, lang: str) -> None:
    """The line left on the normal screen once the watch is over."""
    from lynx.term import loop_view
    from lynx.term.console import out

    if ended.outcome == "gone":
        out(t("lynx watch stopped: {reason}", lang, reason=ended.message))
        return
    v = ended.verdict
    if v is None or ended.outcome in ("done", "closed"):
        return
    if tgt.kind == "break":
        loop_view.check_verdict(v.passed, lang)
    elif v.passed:
        out(style(t("✓ the validator passes. Next: `lynx build {id} --questions`, then `lynx done`.", lang, id=tgt.id),
                  fg="green", bold=True))
    else:
        out(style(t("✗ the validator fails. Fix your code and save, or run `lynx build {id} --check`.", lang,
                    id=tgt.id), fg="red", bold=True))


def size() -> tuple[int, int]:
    """The terminal's size as it is now (asked of the terminal: COLUMNS and LINES go stale on a resize)."""
    try:
        s = os.get_terminal_size(sys.stdout.fileno())
    except (OSError, ValueError):
        s = shutil.get_terminal_size((80, 24))
    return (s.columns or 80), (s.lines or 24)


def write(data: str) -> None:
    """Straight to the terminal (after anything print() still holds), all of it."""
    sys.stdout.flush()
    buf = data.encode("utf-8", "replace")
    while buf:
        buf = buf[os.write(sys.stdout.fileno(), buf):]
