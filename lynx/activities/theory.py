"""Theory pages: the Markdown files a phase manifest lists under `pages:`, found and read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lynx.content.fields import ContentError, read_content, text
from lynx.content.phase import Page, Phase
from lynx.core.errors import LynxError
from lynx.learner.workspace import Workspace


@dataclass(frozen=True)
class PageText:
    phase: str
    id: str
    title: str
    path: Path
    markdown: str


def listing(ws: Workspace, phase_id: str, lang: str) -> tuple[Phase, list[dict[str, str]]]:
    """The pages of a phase, in manifest order: id, title, file (relative to the workspace)."""
    ph = ws.course.phase(phase_id)
    rows = [{"id": p.id, "title": text(p.title, lang), "file": str(ph.page_path(p, lang).relative_to(ws.root))}
            for p in ph.pages]
    return ph, rows


def find_page(ph: Phase, page_id: str) -> Page:
    """`04`, `4` and `page-04` all name page 04."""
    want = page_id.strip().lower().removeprefix("page-")
    for p in ph.pages:
        if p.id == want or (want.isdigit() and p.id.isdigit() and int(p.id) == int(want)):
            return p
    ids = ", ".join(p.id for p in ph.pages) or "none"
    raise LynxError(f"phase {ph.id} has no theory page {page_id!r} (it has {ids})", f"list them with `lynx learn {ph.id}`")


def read(ws: Workspace, phase_id: str, page_id: str, lang: str) -> PageText:
    ph = ws.course.phase(phase_id)
    page = find_page(ph, page_id)
    path = ph.page_path(page, lang)
    if not path.is_file():
        raise ContentError(ph.manifest, f"pages[{page.id}].file.{lang}", f"{path.relative_to(ws.root)} does not exist")
    body = read_content(path, "page")
    return PageText(ph.id, page.id, text(page.title, lang), path, body)
