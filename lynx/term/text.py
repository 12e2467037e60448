"""Text that fits the terminal: content shown with its inline code as code (never raw backticks, never
Markdown emphasis, so `__init__` keeps its underscores), wrapped to the width with hanging indents so
the terminal never cuts a word. No Rich here: `lynx hint` and `lynx status` use it on their fast path.
"""

from __future__ import annotations

import re
import shutil
import textwrap

from lynx.term.console import color_on, out, style

CODE = re.compile(r"`([^`\n]+)`")


def width(limit: int | None = None) -> int:
    """The terminal's width (COLUMNS when set), at most ``limit`` when given."""
    w = shutil.get_terminal_size((80, 24)).columns
    return max(40, min(limit, w) if limit else w)


def plain(text: str) -> str:
    """Inline code without its backticks (what a learner reads), the rest untouched."""
    return CODE.sub(lambda m: m.group(1), text)


OPEN, CLOSE, NBSP = "\x01", "\x02", "\u00a0"


def _code(m: re.Match) -> str:
    # A code span becomes one unbreakable word (its spaces non-breaking), marked at both ends; the two
    # marks take the width the backticks would have, so the wrapped text only ever gets narrower.
    return OPEN + m.group(1).replace(" ", NBSP) + CLOSE


def _finish(line: str) -> str:
    on = color_on()
    line = line.replace(OPEN, "\033[36m" if on else "").replace(CLOSE, "\033[0m" if on else "")
    return line.replace(NBSP, " ")


def wrap(text: str, indent: str = "", first: str | None = None, limit: int | None = None) -> list[str]:
    """``text`` (content: paragraphs, inline code) as lines no wider than the terminal: inline code in cyan
    when colour is on, never its backticks; a word is never cut, a code span never broken."""
    w = width(limit)
    out: list[str] = []
    lead = indent if first is None else first
    for para in re.split(r"\n\s*\n", text.strip()) or [""]:
        marked = CODE.sub(_code, " ".join(para.split()))
        lines = textwrap.wrap(marked, w, initial_indent=lead, subsequent_indent=indent, break_long_words=False,
                              break_on_hyphens=False) or [lead.rstrip()]
        out += [_finish(ln) for ln in lines]
        lead = indent
    return out


def say(message: str, indent: str = "", first: str | None = None, **look) -> None:
    """Print one of lynx's own messages wrapped to the terminal, inline code as code, each line styled."""
    for line in wrap(message, indent, first):
        out(style(line, **look) if look else line)


def headed(label: str, text: str, limit: int | None = None) -> list[str]:
    """``label`` in bold, then ``text`` wrapped after it (a `Next:` line): inline code as code, no backticks."""
    lines = wrap(label + text, limit=limit)
    if lines and lines[0].startswith(label):
        lines[0] = style(label, bold=True) + lines[0][len(label):]
    return lines


def labelled(rows: list[tuple[str, str]], limit: int | None = None) -> list[str]:
    """``label  text`` rows, the text wrapped under itself (a hanging indent as wide as the longest label)."""
    pad = max(len(label) for label, _ in rows) + 2
    out: list[str] = []
    for label, body in rows:
        out += wrap(body, " " * pad, first=label.ljust(pad), limit=limit)
    return out


def rule(title: str, limit: int | None = None) -> str:
    w = width(limit)
    head = f"── {plain(title)} "
    return head + "─" * max(3, w - len(head)) if len(head) < w else textwrap.shorten(head, w, placeholder="…")


def table(heads: list[str], rows: list[list[str]], flex: int, limit: int | None = None, gap: str = "  ") -> list[str]:
    """A plain table that fits the terminal: every column as wide as its widest cell, except column ``flex``,
    which takes what is left and wraps its cells (never cutting a word) onto further lines."""
    w = width(limit)
    widths = [max(len(plain(r[i])) for r in [heads, *rows]) for i in range(len(heads))]
    fixed = sum(x for i, x in enumerate(widths) if i != flex) + len(gap) * (len(heads) - 1)
    widths[flex] = max(12, min(widths[flex], w - fixed))
    out = []
    for r in [heads, *rows]:
        cells = [textwrap.wrap(plain(c), widths[i], break_long_words=False) or [""] if i == flex else [plain(c)]
                 for i, c in enumerate(r)]
        for k in range(max(len(c) for c in cells)):
            parts = [(c[k] if k < len(c) else "").ljust(widths[i]) for i, c in enumerate(cells)]
            out.append(gap.join(parts).rstrip())
    return out


def rich(text: str, style: str = ""):
    """``text`` as a Rich Text: taken literally (no markup), inline code without backticks, in cyan.
    Rich then wraps it at word boundaries (only for the commands that draw with Rich)."""
    from rich.text import Text

    out = Text(style=style)
    pos = 0
    for m in CODE.finditer(text):
        out.append(text[pos:m.start()])
        out.append(m.group(1), style="cyan")
        pos = m.end()
    out.append(text[pos:])
    return out
