"""`lynx watch` in a terminal: the frame on the alternate screen, redrawn in place; the keys one at a time
(cbreak mode: no Enter needed, no echo, Ctrl-C still interrupts); the fix diff and the observation
program shown over the frame until a key is pressed; and the terminal as it was on every way out (q,
Enter on a pass, Ctrl-C, SIGTERM, SIGHUP). Not in a terminal, :func:`watch` hands over to the
line-by-line output of `lynx/term/watch_view.py`."""

from __future__ import annotations

import os
import re
import select
import signal
import sys
import termios
import tty

from lynx.activities.watching import Target, Watch
from lynx.core.errors import LynxError
from lynx.i18n import t
from lynx.learner.workspace import Workspace
from lynx.term.console import out, style
from lynx.term.text import rule, wrap
from lynx.term.watch_view import ENTER, Ended, State, apply, frame, key_name, lines_mode, size, write

ALT_ON, ALT_OFF = "\x1b[?1049h", "\x1b[?1049l"   # the alternate screen: the learner's scrollback stays as it was
HIDE, SHOW = "\x1b[?25l", "\x1b[?25h"            # the cursor
HOME, CLEAR, EOL, EOS = "\x1b[H", "\x1b[2J", "\x1b[K", "\x1b[J"
KEY = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|O.|.)?|.", re.S)  # one key: a character, or a whole escape sequence


class Terminated(Exception):
    """SIGTERM or SIGHUP: leave as after q (everything stopped, the terminal restored), then exit 143."""


def watch(ws: Workspace, tgt: Target, lang: str) -> Ended:
    """Watch until the learner leaves: every process the watch started ends with it."""
    from lynx.term.console import is_tty

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}

    def terminate(signum, frame):
        raise Terminated()

    for sig in previous:
        signal.signal(sig, terminate)
    try:
        with Watch(ws, tgt) as w:
            st = State(tgt, hints=_revealed(ws, tgt, lang))
            try:
                return Screen(ws, st, w, lang).run() if is_tty() else lines_mode(st, w, lang)
            except KeyboardInterrupt:
                return Ended("interrupted", st.verdict)
            except Terminated:
                return Ended("term", st.verdict)
    except Terminated:  # a second one, while stopping
        return Ended("term", None)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _revealed(ws: Workspace, tgt: Target, lang: str) -> list[str]:
    if tgt.kind != "break":
        return []
    from lynx.activities import breaks

    return breaks.next_hint(ws, lang, show_all=True).texts


class Screen:
    def __init__(self, ws: Workspace, st: State, w: Watch, lang: str) -> None:
        self.ws, self.st, self.w, self.lang = ws, st, w, lang
        self.fd = sys.stdin.fileno()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._gone: Ended | None = None  # the session ended while a page was shown

    def run(self) -> Ended:
        old = termios.tcgetattr(self.fd)
        previous = signal.signal(signal.SIGWINCH, self._resized)
        try:
            tty.setcbreak(self.fd)
            write(ALT_ON + HIDE + CLEAR)
            self.draw()
            while True:
                ended = self.step()
                if ended is not None:
                    return ended
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, old)
            write(SHOW + ALT_OFF)
            signal.signal(signal.SIGWINCH, previous)
            for fd in (self._wake_r, self._wake_w):
                os.close(fd)

    def _resized(self, signum, frame) -> None:
        try:
            os.write(self._wake_w, b"w")
        except OSError:
            pass

    def draw(self) -> None:
        cols, rows = size()
        write(HOME + (EOL + "\n").join(frame(self.st, self.lang, cols, rows)) + EOL + EOS)

    def step(self) -> Ended | None:
        if self._gone is not None:
            return self._gone
        ready, _, _ = select.select([self.fd, self.w.fileno(), self._wake_r], [], [], 1.0)
        dirty = False
        if self._wake_r in ready:
            os.read(self._wake_r, 512)
            dirty = True
        if self.w.fileno() in ready:
            for ev in self.w.events():
                if ev.kind == "gone":
                    return Ended("gone", self.st.verdict, ev.message)
                apply(self.st, ev, self.lang)
                dirty = True
        if self.fd in ready:
            data = os.read(self.fd, 256).decode("utf-8", "replace")
            if not data:  # the terminal went away
                return Ended("quit", self.st.verdict)
            for m in KEY.finditer(data):
                ended = self.key(m.group(0))
                if ended is not None:
                    return ended
            dirty = True
        if dirty:
            self.draw()
        return None

    # -- the keys -----------------------------------------------------------------------------------
    def key(self, k: str) -> Ended | None:
        st, lang, brk = self.st, self.lang, self.st.tgt.kind == "break"
        st.note = ""
        if k in ("q", "Q", "\x04"):
            return Ended("quit", st.verdict)
        if k == "c":
            self.w.recheck()
        elif k in ENTER and brk:
            if st.verdict is not None and st.verdict.passed:
                return Ended("done", st.verdict)
            st.note = t("Enter records the break once its check passes; it does not pass yet.", lang)
        elif k == "h" and brk:
            self.hint()
        elif k == "d" and brk:
            self.diff()
        elif k == "r" and brk:
            self.observe()
        elif brk:
            st.note = t("Unknown key {key}: h hint · r run · d fix diff · c check · q quit.", lang, key=key_name(k))
        else:
            st.note = t("Unknown key {key}: a build has no hints, program or fix diff; c checks, q quits.", lang,
                        key=key_name(k))
        return None

    def hint(self) -> None:
        from lynx.activities import breaks
        from lynx.term.loop_view import last_hint_text

        try:
            res = breaks.next_hint(self.ws, self.lang)
        except LynxError as exc:
            self.st.note = exc.line()
            return
        if res.number:
            self.st.hints.append(res.texts[0])
        if res.last:
            self.st.note = last_hint_text(self.lang)

    def diff(self) -> None:
        from lynx.activities import fixes
        from lynx.term import loop_view
        from lynx.term.diff_view import behaviour_only

        try:
            found = fixes.fix_diff(self.ws)
        except LynxError as exc:
            self.st.note = exc.line()
            return
        lang = self.lang
        cols, rows = size()
        w = cols - 1
        diff = behaviour_only(found.diff) if found.fixed else found.diff
        lines = [style(rule(t("the fix diff — break {id}", lang, id=self.st.tgt.id), limit=w), dim=True)]
        if found.fixed:
            lines += [style(ln, fg="green", bold=True) for ln in wrap(t("✓ The bug is fixed: the check passes on your code.", lang), limit=w)]
            lines += wrap(t("Where your code still differs from the fix in what it does:", lang) if diff.strip()
                          else t("Your code and the fix differ in nothing that changes behaviour (comments and spacing "
                                 "aside).", lang), limit=w)
        elif not diff.strip():
            lines += wrap(loop_view.fix_nothing_text(lang), limit=w)
        body = [_diff_line(ln, w) for ln in diff.splitlines()]
        room = max(3, rows - len(lines) - 2)
        if len(body) > room:
            more = len(body) - (room - 1)
            body = body[:room - 1] + [style(ln, dim=True) for ln in wrap(
                t("… {n} more lines: `lynx fix --show-diff` shows them all.", lang, n=more), limit=w)][:1]
        self.page(lines + body)

    def observe(self) -> None:
        from lynx.activities import breaks
        from lynx.term import loop_view

        write(HOME + CLEAR + SHOW)
        try:
            loop_view.run_header(*breaks.observe_target(self.ws), self.lang)
            seen = breaks.run_observe(self.ws)
            loop_view.run_footer(seen, self.lang)
        except KeyboardInterrupt:  # Ctrl-C stops the program (it is killed), not the watch
            out("")
            out(style(t("Stopped: the program was interrupted.", self.lang), fg="yellow"))
        except LynxError as exc:
            out(style(exc.line(), fg="yellow"))
        termios.tcflush(self.fd, termios.TCIFLUSH)  # keys typed while it ran are not commands for the watch
        self.page([], clear=False)

    def page(self, lines: list[str], clear: bool = True) -> None:
        """Lines over the frame until a key is pressed (the watch's verdicts keep coming meanwhile)."""
        back = style(t("Press any key to go back to the watch.", self.lang), bold=True)
        write((HOME + CLEAR if clear else "") + "".join(ln + EOL + "\n" for ln in lines) + "\n" + back + HIDE)
        while True:
            ready, _, _ = select.select([self.fd, self.w.fileno()], [], [], 1.0)
            if self.w.fileno() in ready:
                for ev in self.w.events():
                    if ev.kind == "gone":
                        self._gone = Ended("gone", self.st.verdict, ev.message)  # said once the page is left
                    else:
                        apply(self.st, ev, self.lang)
            if self.fd in ready:
                os.read(self.fd, 256)
                break
        write(CLEAR)


def _diff_line(line: str, w: int) -> str:
    cut = line if len(line) <= w else line[:w - 1] + "…"
    if line.startswith(("+++", "---", "diff --git", "index ")):
        return style(cut, bold=True)
    if line.startswith("+"):
        return style(cut, fg="green")
    if line.startswith("-"):
        return style(cut, fg="red")
    if line.startswith("@@"):
        return style(cut, fg="cyan")
    return cut
