"""Showing a fix diff in the terminal: highlighted, whole or one hunk at a time."""

from __future__ import annotations

import re
import sys

HUNK = re.compile(r"^@@ ", re.M)


def hunks(diff: str) -> list[str]:
    """Split a git diff into self-contained pieces, each with its file header and one hunk."""
    pieces: list[str] = []
    for filediff in re.split(r"(?m)^(?=diff --git )", diff):
        if not filediff.strip():
            continue
        m = HUNK.search(filediff)
        if not m:
            pieces.append(filediff)
            continue
        header, body = filediff[: m.start()], filediff[m.start():]
        for h in re.split(r"(?m)^(?=@@ )", body):
            if h.strip():
                pieces.append(header + h)
    return pieces


def _code(line: str) -> str:
    """A Python line without its comment and surrounding space ('' for a comment or blank line)."""
    import io
    import tokenize

    try:
        tokens = [tok for tok in tokenize.generate_tokens(io.StringIO(line).readline)
                  if tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                                      tokenize.DEDENT, tokenize.ENDMARKER)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return " ".join(line.split("#", 1)[0].split())
    return " ".join(tok.string for tok in tokens)


def changes_behaviour(piece: str) -> bool:
    """Whether a hunk changes code, not only comments, blank lines or spacing."""
    removed = [_code(ln[1:]) for ln in piece.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    added = [_code(ln[1:]) for ln in piece.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    return [x for x in removed if x] != [x for x in added if x]


def behaviour_only(diff: str) -> str:
    """The hunks of ``diff`` that change behaviour (each with its file header), joined again."""
    return "".join(p for p in hunks(diff) if changes_behaviour(p))


def compacted(diff: str) -> str:
    """Only what changed: each file's path, then its removed and added lines (no context, no git headers)."""
    out: list[str] = []
    for filediff in re.split(r"(?m)^(?=diff --git )", diff):
        path = re.search(r"(?m)^\+\+\+ b/(.+)$", filediff) or re.search(r"(?m)^--- a/(.+)$", filediff)
        changed = [ln for ln in filediff.splitlines() if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
        if path and changed:
            out += [f"{path.group(1)}:", *changed]
    return "\n".join(out) + ("\n" if out else "")


def show(diff: str, step: bool = False, compact: bool = False, lang: str = "en") -> None:
    from rich.syntax import Syntax

    from lynx.i18n import t
    from lynx.term.console import console

    c = console()
    parts = hunks(diff) if step else [compacted(diff) if compact else diff]
    for i, part in enumerate(parts, 1):
        if step:
            c.rule(t("hunk {i}/{n}", lang, i=i, n=len(parts)))
        c.print(Syntax(part.rstrip("\n"), "diff", theme="ansi_dark", background_color="default"))
        if step and i < len(parts) and sys.stdin.isatty():
            try:
                answer = input(t("Enter for the next hunk, q to stop: ", lang))
            except (EOFError, KeyboardInterrupt):
                return
            if answer.strip().lower() == "q":
                return
