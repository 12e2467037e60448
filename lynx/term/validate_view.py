"""`lynx validate`'s table, and one unwrapped line per failure (what a CI log or grep needs)."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from lynx.authoring.break_proofs import Row
from lynx.core.untrusted import visible


def as_json(root: Path, rows: list[Row]) -> dict[str, Any]:
    return {"course": str(root), "ok": all(r.ok for r in rows), "rows": [asdict(r) for r in rows]}


def show(rows: list[Row]) -> None:
    from rich.markup import escape
    from rich.table import Table

    from lynx.term.console import console

    t = Table(title="lynx validate", title_justify="left")
    for col in ("", "kind", "id", "detail"):
        t.add_column(col)
    for r in rows:
        t.add_row("[green]✓[/green]" if r.ok else "[red]✗[/red]", escape(r.kind), escape(r.id), escape(r.message))
    console().print(t)
    bad = [r for r in rows if not r.ok]
    for r in bad:
        sys.stdout.write(visible(f"FAILED {r.kind} {r.id}: {r.message}") + "\n")
    console().print(f"{len(rows) - len(bad)} ok, {len(bad)} failed" if bad else f"all {len(rows)} ok")
