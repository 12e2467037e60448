"""The house holds its shape (docs/architecture.md): layers import only downwards, no import circle anywhere
(top-level or inside functions), no module over 400 lines, commands never touch git or subprocess, and
`__init__.py` files hold a docstring only. Read from the code with `ast`; nothing of it runs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kit import REPO

PKG = REPO / "lynx"
# Lower number = lower layer. A module may import its own layer or any lower one, never a higher one.
LAYERS = {"core": 0, "i18n": 1, "content": 2, "vcs": 2, "learner": 3, "activities": 4, "teacher": 5,
          "authoring": 5, "term": 6, "commands": 7, "cli": 8, "__main__": 9}


def modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        parts = list(p.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


MODS = modules()


def imports(path: Path) -> set[str]:
    """Every lynx module ``path`` imports, anywhere in it (inside functions and TYPE_CHECKING blocks too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            while name and name not in MODS:
                name = name.rpartition(".")[0]
            if name and name != "lynx":
                found.add(name)
    return found


GRAPH = {m: imports(p) - {m} for m, p in MODS.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def test_no_import_circle():
    seen: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(m: str, path: list[str]) -> None:
        seen[m] = 1
        for n in sorted(GRAPH[m]):
            if seen.get(n) == 1:
                pytest.fail("import circle: " + " -> ".join(path[path.index(n):] + [n]))
            if n not in seen:
                visit(n, path + [n])
        seen[m] = 2

    for m in MODS:
        if m not in seen:
            visit(m, [m])


def test_layers_import_only_downwards():
    wrong = [f"{m} ({layer(m)}) imports {n} ({layer(n)})" for m, deps in GRAPH.items() for n in deps
             if layer(m) is not None and layer(n) is not None and layer(n) > layer(m)]
    assert not wrong, "\n".join(wrong)


def test_every_subpackage_is_a_known_layer():
    assert {p.name for p in PKG.iterdir() if p.is_dir() and (p / "__init__.py").exists()} <= set(LAYERS)


@pytest.mark.parametrize("module", sorted(MODS), ids=str)
def test_no_module_over_400_lines(module):
    assert len(MODS[module].read_text(encoding="utf-8").splitlines()) <= 400


def test_commands_leave_git_and_subprocesses_to_the_domain():
    for m, p in MODS.items():
        if m.startswith("lynx.commands"):
            src = p.read_text(encoding="utf-8")
            assert not ({"git", "subprocess"} & {n.split(".")[0] for n in _imported_names(src)}), m
            assert "lynx.vcs" not in " ".join(GRAPH[m]), m


def test_command_modules_import_nothing_heavy_at_their_top():
    """They load for every command, --help included (see tests/perf/test_lazy_imports.py for the measure)."""
    for m, p in MODS.items():
        if m.startswith("lynx.commands") or m == "lynx.cli":
            top = ast.parse(p.read_text(encoding="utf-8")).body
            names = {n for node in top for n in _names(node)}
            assert names <= {"__future__", "typing", "pathlib", "sys", "typer", "lynx.commands.app",
                             "lynx.commands", "lynx.core.errors"}, (m, names)


def test_init_files_hold_a_docstring_only():
    for p in PKG.rglob("__init__.py"):
        if p.parent == PKG:
            continue  # lynx/__init__.py: the version
        body = ast.parse(p.read_text(encoding="utf-8")).body
        assert len(body) == 1 and isinstance(body[0], ast.Expr), p


def _names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""]
    return []


def _imported_names(src: str) -> list[str]:
    return [n for node in ast.walk(ast.parse(src)) for n in _names(node)]


def test_architecture_md_names_every_module():
    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [m for m, p in MODS.items() if p.name != "__init__.py"
               if f"`{p.name}`" not in doc and f"{p.relative_to(PKG).as_posix()}" not in doc]
    assert not missing, f"docs/architecture.md does not describe: {missing}"
