"""Mutants of minimodel: small, plausible bugs made mechanically, one line each, the kind a break is made
of. Each operator names a mistake practitioners make (DeMillo, Lipton and Sayward 1978, "Hints on test
data selection", for the idea; the operators are chosen for numerical code):

- ``operator``: ``+`` ↔ ``-``, ``*`` ↔ ``/``, ``<`` ↔ ``<=``, ``>`` ↔ ``>=``
- ``axis``: ``axis=-1`` → ``axis=0`` and the reverse, ``axis=1`` → ``axis=0`` (reduce over the wrong axis)
- ``off-by-one``: an integer ``n`` in an index, slice or ``range`` → ``n + 1``
- ``constant``: a float constant ``c`` → ``c * 10`` (a scale, an epsilon, a momentum off by a decade)
- ``dropped term``: ``a + b`` → ``a`` (a residual, a bias, a correction left out)

Only code is mutated (no docstrings, strings or comments), never inside ``raise`` or ``assert`` (a changed
error message is not a bug a learner could see), one expression on one line at a time."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

KINDS = ("operator", "axis", "off-by-one", "constant", "dropped term")
_SWAP = {ast.Add: "-", ast.Sub: "+", ast.Mult: "/", ast.Div: "*"}
_TEXT = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMP = {ast.Lt: ("<", "<="), ast.LtE: ("<=", "<"), ast.Gt: (">", ">="), ast.GtE: (">=", ">")}


@dataclass(frozen=True)
class Mutant:
    file: str  # relative to the course root
    line: int  # 1-based
    kind: str
    before: str  # the original line
    after: str  # the mutated line

    @property
    def label(self) -> str:
        return f"{self.file}:{self.line} {self.kind}: `{self.before.strip()}` → `{self.after.strip()}`"

    def apply(self, text: str) -> str:
        lines = text.splitlines(keepends=True)
        end = lines[self.line - 1][len(lines[self.line - 1].rstrip("\r\n")):]
        lines[self.line - 1] = self.after + end
        return "".join(lines)


def mutants_of(root: Path, rel: str) -> list[Mutant]:
    """Every mutant of one source file, in line order (deterministic)."""
    source = (root / rel).read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    skip = _skipped_lines(tree)
    seen: set[tuple[int, str]] = set()
    out = []
    for node in ast.walk(tree):
        for line, col, end, new, kind in _edits(node, lines):
            if line in skip:
                continue
            before = lines[line - 1]
            after = before[:col] + new + before[end:]
            if after != before and (line, after) not in seen:
                seen.add((line, after))
                out.append(Mutant(rel, line, kind, before, after))
    return sorted(out, key=lambda m: (m.line, KINDS.index(m.kind), m.after))


def _skipped_lines(tree: ast.AST) -> set[int]:
    """Lines of raise/assert statements and of docstrings: no mutant there teaches anything."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Raise, ast.Assert)) or (
                isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            skip.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return skip


def _one_line(node: ast.AST) -> bool:
    return getattr(node, "lineno", None) is not None and node.lineno == node.end_lineno


def _edits(node: ast.AST, lines: list[str]) -> Iterator[tuple[int, int, int, str, str]]:
    """(line, start col, end col, replacement, kind) for each mutant of ``node``."""
    if isinstance(node, ast.BinOp) and type(node.op) in _SWAP and _one_line(node):
        line = lines[node.lineno - 1]
        gap = line[node.left.end_col_offset:node.right.col_offset]
        sym = _TEXT[type(node.op)]
        if gap.count(sym) == 1 and "*" * 2 not in gap and "/" * 2 not in gap:
            at = node.left.end_col_offset + gap.index(sym)
            yield node.lineno, at, at + 1, _SWAP[type(node.op)], "operator"
        if isinstance(node.op, ast.Add):
            yield node.lineno, node.col_offset, node.end_col_offset, ast.get_source_segment(
                "\n".join(lines), node.left) or "", "dropped term"
    elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _CMP and _one_line(node):
        line = lines[node.lineno - 1]
        old, new = _CMP[type(node.ops[0])]
        gap = line[node.left.end_col_offset:node.comparators[0].col_offset]
        if gap.strip() == old:
            at = node.left.end_col_offset + gap.index(old)
            yield node.lineno, at, at + len(old), new, "operator"
    elif isinstance(node, ast.keyword) and node.arg == "axis" and isinstance(node.value, (ast.Constant, ast.UnaryOp)) \
            and _one_line(node.value):
        text = ast.get_source_segment("\n".join(lines), node.value)
        for new in {"-1": ("0",), "0": ("-1",), "1": ("0",), "-2": ("-1",)}.get(text or "", ()):
            yield node.value.lineno, node.value.col_offset, node.value.end_col_offset, new, "axis"
    elif isinstance(node, (ast.Subscript, ast.Call)) and _one_line(node):
        inner = node.slice if isinstance(node, ast.Subscript) else (
            node.args[0] if isinstance(node.func, ast.Name) and node.func.id == "range" and node.args else None)
        for c in ast.walk(inner) if inner is not None else ():
            if isinstance(c, ast.Constant) and type(c.value) is int and _one_line(c):
                yield c.lineno, c.col_offset, c.end_col_offset, str(c.value + 1), "off-by-one"
    elif isinstance(node, ast.Constant) and type(node.value) is float and node.value != 0.0 and _one_line(node):
        yield node.lineno, node.col_offset, node.end_col_offset, repr(node.value * 10), "constant"
