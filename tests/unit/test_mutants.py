"""The mutant maker (lynx.authoring.mutants): each kind of mutant on a small module, one line changed each,
nothing made inside raise, assert, docstrings or strings; deterministic."""

from __future__ import annotations

from pathlib import Path

from lynx.authoring.mutants import KINDS, mutants_of

SOURCE = '''"""A module docstring with 1 + 2 in it."""
import numpy as np


def softmax(x, eps=1e-5):
    """Docstring: axis=-1 and a + b."""
    z = x - x.max(axis=-1, keepdims=True)
    e = np.exp(z)
    if x.ndim < 2:
        raise ValueError(f"need 2 dims, got {x.ndim + 0}")
    assert eps > 0.0
    return e / e.sum(axis=-1, keepdims=True) + eps


def shift(ids):
    return ids[:, 1:], [i * 2 for i in range(3)], "a + b"
'''


def make(tmp_path: Path):
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    return mutants_of(tmp_path, "m.py")


def test_every_kind_and_only_code_lines(tmp_path: Path) -> None:
    ms = make(tmp_path)
    assert {m.kind for m in ms} == set(KINDS)
    lines = SOURCE.splitlines()
    assert {m.line for m in ms} == {5, 7, 9, 12, 16}, "not in docstrings (1, 6), raise (10) or assert (11)"
    got = {(m.kind, m.after.strip()) for m in ms}
    assert ("operator", "z = x + x.max(axis=-1, keepdims=True)") in got
    assert ("axis", "z = x - x.max(axis=0, keepdims=True)") in got
    assert ("dropped term", "return e / e.sum(axis=-1, keepdims=True)") in got
    assert ("operator", "return e * e.sum(axis=-1, keepdims=True) + eps") in got
    assert ("off-by-one", 'return ids[:, 2:], [i * 2 for i in range(3)], "a + b"') in got
    assert ("off-by-one", 'return ids[:, 1:], [i * 2 for i in range(4)], "a + b"') in got
    assert ("constant", "def softmax(x, eps=0.0001):") in got  # a default value is code too
    assert ("operator", "if x.ndim <= 2:") in got
    assert all('"a - b"' not in m.after for m in ms), "strings are never mutated"
    for m in ms:
        mutated = m.apply(SOURCE).splitlines()
        assert [i for i, (a, b) in enumerate(zip(lines, mutated)) if a != b] == [m.line - 1]
        compile(m.apply(SOURCE), "m.py", "exec")  # every mutant is valid Python


def test_deterministic_and_no_duplicates(tmp_path: Path) -> None:
    a, b = make(tmp_path), make(tmp_path)
    assert a == b
    assert len({(m.line, m.after) for m in a}) == len(a)
