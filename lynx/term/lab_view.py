"""`lynx lab 13`: a phase's labs, one per line."""

from __future__ import annotations

from typing import Any

from lynx.content.phase import Phase
from lynx.i18n import t
from lynx.term.console import out
from lynx.term.text import say


def listing(ph: Phase, rows: list[dict[str, Any]], lang: str) -> None:
    if not rows:
        out(t("Phase {id} has no labs.", lang, id=ph.id))
        return
    for r in rows:
        out(f"{r['id']:20} {r['title']}")
    out()
    say(t("Run one with `lynx lab {id} {lab}`.", lang, id=ph.id, lab=rows[0]["id"]))
