"""A check's verdict the way a compiler speaks: one ✓/✗ line per check with a human name, the first
failure's own message in a few lines (never the test's source, never a repr of the model), and the count.
Shared by `lynx check`, `lynx build --check` and `lynx watch`."""

from __future__ import annotations

import re
import shutil
import textwrap
from dataclasses import dataclass

from lynx.activities.checks import CaseResult, CheckResult
from lynx.i18n import nt, t

PREFIXES = ("Failed: ", "AssertionError: ")  # what pytest puts before the author's own words
MAX_DETAIL = 4  # lines of the first failure's message
EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Warning)\b")


@dataclass(frozen=True)
class Line:
    passed: bool
    title: str
    cases: int      # parametrized cases grouped under one title
    failed: int


def width() -> int:
    return max(40, min(120, shutil.get_terminal_size((80, 24)).columns))


def human(name: str, titles: dict[str, str]) -> str:
    """`test_tied_lm_logits_match_the_head[512]` → its docstring's first line, else `tied lm logits match the head`."""
    base = name.split("[", 1)[0]
    if base in titles:
        return titles[base]
    return base.removeprefix("test_").removeprefix("test").replace("_", " ").strip() or name


def lines(result: CheckResult) -> list[Line]:
    """One line per test function, its parametrized cases grouped, in the order pytest ran them."""
    groups: dict[str, list[CaseResult]] = {}
    for case in result.tests:
        groups.setdefault(case.name.split("[", 1)[0], []).append(case)
    return [Line(all(c.passed for c in cases), human(base, result.titles), len(cases), sum(not c.passed for c in cases))
            for base, cases in groups.items()]


def explain(detail: str) -> list[str]:
    """The few lines of a failure message that say what went wrong: the author's message (or the bare
    assertion), and the exception at the end of a traceback it quotes; no introspection reprs."""
    raw = [ln.rstrip() for ln in detail.strip().splitlines() if ln.strip()]
    if not raw:
        return []
    first = raw[0].strip()
    for prefix in PREFIXES:
        first = first.removeprefix(prefix)
    out = [first]
    rest = [ln.strip() for ln in raw[1:] if not ln.lstrip().startswith(("+", "assert ", "where "))]
    tail = next((ln for ln in reversed(rest) if EXCEPTION.match(ln)), None)
    if tail and tail != first:
        out.append(tail)  # the error a quoted traceback (or a syntax error's report) ends with
    elif not tail and rest and not raw[0].startswith("assert ") and not rest[0].startswith("Traceback"):
        out += rest[:2]
    return out


def render(result: CheckResult, what: str, lang: str, verbose_hint: bool = True, count: bool = True,
           limit: int | None = None) -> list[str]:
    """The verdict as text lines (no colour), wrapped to the terminal's width (at most ``limit``)."""
    w = min(width(), limit) if limit else width()
    rows = lines(result)
    failed = [r for r in rows if not r.passed]
    out = [t("lynx check — {what}: {n} checks", lang, what=what, n=len(rows))]
    for r in rows:
        mark = "✓" if r.passed else "✗"
        more = "" if r.cases == 1 else " " + nt("({failed} of {n} case)", "({failed} of {n} cases)", r.cases, lang,
                                                 failed=r.failed if not r.passed else r.cases)
        out += textwrap.wrap(f"{mark} {r.title}{more}", w, initial_indent="  ", subsequent_indent="    ")
    first = next((c for c in result.tests if not c.passed), None)
    if first is not None:
        out.append(t("First failure: {name}", lang, name=human(first.name, result.titles)
                     + (f" [{first.name.split('[', 1)[1]}" if "[" in first.name else "")))
        shown = 0
        for para in explain(first.detail or first.message):
            for ln in textwrap.wrap(para, w - 4, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False):
                if shown < MAX_DETAIL:
                    out.append(ln)
                shown += 1
        if count:
            out.append(nt("{k} of {n} check fails.", "{k} of {n} checks fail.", len(rows), lang, k=len(failed))
                       + (" " + t("`lynx check -v` shows pytest's whole output.", lang) if verbose_hint else ""))
    elif count:
        out.append(nt("The {n} check passes.", "All {n} checks pass.", len(rows), lang))
    return out


def coloured(line: str) -> str:
    """A verdict line with its mark's colour (none when colour is off)."""
    from lynx.term.console import style

    if line.startswith("  ✓"):
        return style(line, fg="green")
    if line.startswith("  ✗"):
        return style(line, fg="red")
    return line


def show(result: CheckResult, what: str, lang: str, **options: bool) -> None:
    from lynx.term.console import out

    for line in render(result, what, lang, **options):
        out(coloured(line))
