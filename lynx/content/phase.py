"""A phase of the course: its manifest (`phases/NN-slug/phase.yaml`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lynx.content.fields import ID_RE, ContentError, Fields, load_yaml

PHASE_KEYS = ("id", "title", "summary", "breaks", "quiz", "pages", "build", "labs")


@dataclass(frozen=True)
class Page:
    id: str
    title: dict[str, str]
    file: dict[str, str]


@dataclass(frozen=True)
class Lab:
    id: str
    title: dict[str, str]
    run: list[str]


@dataclass(frozen=True)
class Phase:
    id: str
    dir: Path
    title: dict[str, str]
    summary: dict[str, str]
    breaks: list[str]
    quiz: str | None = None
    pages: list[Page] = field(default_factory=list)
    build: str | None = None
    labs: list[Lab] = field(default_factory=list)

    @property
    def manifest(self) -> Path:
        return self.dir / "phase.yaml"

    def page_path(self, page: Page, lang: str) -> Path:
        return self.dir / (page.file.get(lang) or page.file["en"])

    @property
    def build_dir(self) -> Path | None:
        return self.dir / self.build if self.build else None


def parse_phase(path: Path) -> dict[str, Any]:
    """Load and check a manifest; returns plain data (cacheable as JSON)."""
    f = Fields(path, load_yaml(path))
    f.only(PHASE_KEYS)
    pid = f.id("id")
    folder = path.parent.name
    if not (folder == pid or folder.startswith(pid + "-")):
        raise ContentError(path, "id", f"id {pid!r} does not match its folder {folder!r}",
                           f"name the folder `{pid}-<slug>` or change the id")
    breaks = f.strs("breaks", default=[])
    for i, b in enumerate(breaks):
        if not ID_RE.match(b) or not b.startswith(pid + "-"):
            raise ContentError(path, f"breaks[{i}]", f"bad break id {b!r}", f"break ids look like `{pid}-00`")
    if len(set(breaks)) != len(breaks):
        raise ContentError(path, "breaks", "a break is listed twice")
    pages = []
    for i, p in enumerate(f.list("pages", default=[])):
        pf = Fields(path, p, f"pages[{i}]")
        pf.only(("id", "title", "file"))
        page_id = pf.str("id")
        if any(page["id"] == page_id for page in pages):
            raise ContentError(path, f"pages[{i}].id", f"duplicate page id {page_id!r}")
        pfile = pf.bilingual("file")
        for lang, rel in pfile.items():
            if ".." in Path(rel).parts or Path(rel).is_absolute():
                raise ContentError(path, f"pages[{i}].file.{lang}", "page paths must stay inside the phase folder")
            if Path(rel).suffix != ".md":
                raise ContentError(path, f"pages[{i}].file.{lang}", f"{rel!r} is not a .md file")
        pages.append({"id": page_id, "title": pf.bilingual("title"), "file": pfile})
    build = f.str("build") if f.has("build") else None
    if build and (".." in Path(build).parts or Path(build).is_absolute()):
        raise ContentError(path, "build", "the build folder must be inside the phase folder")
    labs = []
    for i, lab in enumerate(f.list("labs", default=[])):
        lf = Fields(path, lab, f"labs[{i}]")
        lf.only(("id", "title", "run"))
        labs.append({"id": lf.id("id"), "title": lf.bilingual("title"), "run": lf.strs("run", min_len=1)})
    return {
        "id": pid,
        "title": f.bilingual("title"),
        "summary": f.bilingual("summary"),
        "breaks": breaks,
        "quiz": f.id("quiz") if f.has("quiz") else None,
        "pages": pages,
        "build": build,
        "labs": labs,
    }


def from_data(path: Path, data: dict[str, Any]) -> Phase:
    return Phase(
        id=data["id"], dir=path.parent, title=data["title"], summary=data["summary"],
        breaks=list(data["breaks"]), quiz=data.get("quiz"),
        pages=[Page(p["id"], p["title"], p["file"]) for p in data.get("pages", [])],
        build=data.get("build"), labs=[Lab(x["id"], x["title"], x["run"]) for x in data.get("labs", [])],
    )
