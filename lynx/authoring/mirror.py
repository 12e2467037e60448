"""The human-readable mirror: quizzes and theory pages as a Markdown tree for mkdocs.

    docs/index.md                        home (English), links to every phase's pages and quiz
    docs/quizzes/index.md, phase-NN.md   one page per quiz, generated from data/quizzes/*.yaml
    docs/theory/<phase-folder>/*.md      theory pages copied from phases/*/ (the `pages:` of phase.yaml)
    docs/es/...                          the same in Spanish

Rendering is a pure function of the course files (no dates, sorted everywhere), so
rendering twice gives identical bytes and `--check` can compare.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from lynx.content.answer_key import shown
from lynx.content.fields import ContentError, text
from lynx.content.quiz import LETTERS, Quiz, load_all
from lynx.core.errors import LynxError
from lynx.i18n import language_name, languages, t
from lynx.core.untrusted import visible

# Folders (relative to the docs root) that `lynx render` owns entirely; anything else in docs/ is left alone.
OWNED_PARTS = ("index.md", "quizzes", "theory")  # English at the top, each other language under <lang>/
ASSETS = (".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp")

# --- what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TheoryPage:
    id: str
    title: dict[str, str]
    source: dict[str, Path]  # per language, absolute


@dataclass(frozen=True)
class Phase:
    id: str
    folder: str  # e.g. 13-embeddings
    title: dict[str, str]
    pages: tuple[TheoryPage, ...]


def load_phases(root: Path) -> list[Phase]:
    """The phases with a manifest (read by the one manifest reader), with the theory pages their
    `pages:` lists, each checked to exist."""
    from lynx.content.course import Course

    course = Course(root, use_cache=False)
    out = []
    for pid in course.phase_ids():
        ph = course.phase(pid)
        pages = []
        for i, page in enumerate(ph.pages):
            source = {}
            for lang in languages():
                path = ph.page_path(page, lang).resolve()
                if not path.is_file():
                    raise ContentError(ph.manifest, f"pages[{i}].file.{lang}", f"page file {page.file.get(lang)} not found")
                source[lang] = path
            pages.append(TheoryPage(id=page.id, title=page.title, source=source))
        out.append(Phase(id=ph.id, folder=ph.dir.name, title=ph.title, pages=tuple(pages)))
    return sorted(out, key=lambda ph: ph.id)


def pages(root: Path) -> dict[str, bytes]:
    """Every file of the mirror, as {path relative to the docs root (posix): content}."""
    quizzes = load_all(root)
    phases = load_phases(root)
    out: dict[str, bytes] = {}
    for lang in languages():
        pre = "" if lang == "en" else f"{lang}/"
        for qz in quizzes:
            out[f"{pre}quizzes/{qz.id}.md"] = _quiz_page(root, qz, lang).encode()
        out[f"{pre}quizzes/index.md"] = _quizzes_index(quizzes, lang).encode()
        for ph in phases:
            for page in ph.pages:
                rel = _theory_rel(ph, page, lang)
                out[f"{pre}{rel}"] = _theory_page(ph, page, lang).encode()
                for asset in sorted(page.source[lang].parent.iterdir()):
                    if asset.suffix.lower() in ASSETS and asset.is_file():
                        out[f"{pre}{PurePosixPath(rel).parent / asset.name}"] = asset.read_bytes()
        out[f"{pre}index.md"] = _home(quizzes, phases, lang).encode()
    return dict(sorted(out.items()))


def _theory_rel(ph: Phase, page: TheoryPage, lang: str) -> str:
    # Keep the file name, so links between pages of one phase keep working.
    return f"theory/{ph.folder}/{page.source[lang].name}"


def _switch(lang: str, path_in: Callable[[str], str]) -> str:
    """'English · [Español](…)': every language by its own name, a relative link from this page
    (``path_in(lang)``) to the same page in each other language (``path_in(other)``)."""
    here = path_in(lang)
    parts = []
    for other in languages():
        name = language_name(other)
        link = os.path.relpath(path_in(other), os.path.dirname(here) or ".").replace(os.sep, "/")
        parts.append(name if other == lang else f"[{name}]({link})")
    return " · ".join(parts)


def _lang_path(rel: str, lang: str) -> str:
    return rel if lang == "en" else f"{lang}/{rel}"


def _page_in(rel: str) -> Callable[[str], str]:
    return lambda lang: _lang_path(rel, lang)


# --- rendering ----------------------------------------------------------------------


_CODE = None


def safe_markdown(md: str) -> str:
    """Markdown from a course made safe for the HTML mkdocs builds: outside fenced blocks and code spans, a `<`
    that would open a tag is written `&lt;` (HTML comments stay: labs mark their tables with them), and
    control characters are made visible. What the author meant as Markdown still renders as Markdown."""
    import re

    global _CODE
    if _CODE is None:
        _CODE = (re.compile(r"^(\s*)(```|~~~)"), re.compile(r"(`+[^`]*`+)"), re.compile(r"<(?!!--)(?=[A-Za-z/!?])"))
    fence_re, span_re, tag_re = _CODE
    out, fence = [], None
    for line in visible(md).split("\n"):
        m = fence_re.match(line)
        if fence:
            out.append(line)
            if m and m.group(2) == fence:
                fence = None
            continue
        if m:
            fence = m.group(2)
            out.append(line)
            continue
        out.append("".join(part if i % 2 else tag_re.sub("&lt;", part) for i, part in enumerate(span_re.split(line))))
    return "\n".join(out)


def _quiz_page(root: Path, qz: Quiz, lang: str) -> str:
    """Title, source, and per question: id, topic, kind, prompt, options (correct ones marked), explanation.

    Each question's anchor is its id (`phase-13.md#q-13-04`), via mkdocs' attr_list extension.
    """
    source = qz.path.resolve().relative_to(root.resolve()).as_posix()
    lines = [
        f"# {text(qz.title, lang)}",
        "",
        _switch(lang, _page_in(f"quizzes/{qz.id}.md")),
        "",
        f"{t('Human-readable mirror of the canonical', lang)} `{source}`, {t('generated by `lynx render`; edit the YAML, not this page.', lang)}",
        f"{t('Take it in a terminal', lang)}: `lynx quiz {qz.id}`.",
        "",
        f"{t('Source', lang)}: `{source}` · {len(qz.questions)} {t('questions', lang)}.",
    ]
    for q in qz.questions:
        lines += ["", f"## {q.id} — {text(q.topic, lang)} ({q.kind}) {{ #{q.id} }}", "", text(q.prompt, lang).strip(), ""]
        if q.kind == "free":
            groups = "; ".join(f" {t('or', lang)} ".join(f"**{shown(w)}**" for w in g[lang]) for g in q.expect)
            lines.append(f"{t('Expected to contain', lang)}: {groups}.")
            if q.key and q.key.contradicts:
                ruled = "; ".join(f" {t('or', lang)} ".join(f"*{shown(w)}*" for w in c.terms[lang])
                                  for c in q.key.contradicts)
                lines += ["", f"{t('Wrong if it says', lang)}: {ruled}."]
        else:
            for k, o in enumerate(q.options):
                mark = f" ✓ *{t('correct', lang)}*" if o.correct else ""
                lines.append(f"- {LETTERS[k]}) {text(o.text, lang).strip()}{mark}")
        lines += ["", f"**{t('Explanation', lang)}.** {text(q.explanation, lang).strip()}"]
    return safe_markdown("\n".join(lines)) + "\n"


def _quizzes_index(quizzes: list[Quiz], lang: str) -> str:
    lines = [f"# {t('Quizzes', lang)}", "", _switch(lang, _page_in("quizzes/index.md")), "",
             t('One page per quiz, with every question, the correct options marked, and the explanation.', lang), ""]
    lines += [f"- [{text(q.title, lang)}]({q.id}.md): {len(q.questions)} {t('questions', lang)}" for q in quizzes]
    return safe_markdown("\n".join(lines)) + "\n"


def _theory_page(ph: Phase, page: TheoryPage, lang: str) -> str:
    body = page.source[lang].read_text(encoding="utf-8").replace("\r\n", "\n")
    switch = _switch(lang, lambda other: _lang_path(_theory_rel(ph, page, other), other))
    lines = body.split("\n")
    # The language switch goes right under the first heading, so the page keeps its own title.
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    insert = ["", switch] if at else [switch]
    if at >= len(lines) or lines[at].strip():
        insert.append("")
    lines[at:at] = insert
    return safe_markdown("\n".join(lines).rstrip("\n")) + "\n"


def _home(quizzes: list[Quiz], phases: list[Phase], lang: str) -> str:
    lines = [f"# {t('lynx course', lang)}", "", _switch(lang, _page_in("index.md")), "",
             t('Learn machine-learning internals by breaking working code on purpose. These pages are the human-readable mirror of the course files, generated by `lynx render`: edit the YAML and Markdown sources under `data/` and `phases/`, not these pages.', lang)]
    by_phase = {q.phase: q for q in quizzes}
    known = {ph.id: ph for ph in phases}
    for pid in sorted(set(by_phase) | set(known)):
        ph = known.get(pid)
        title = f"{t('Phase', lang)} {pid}" + (f" — {text(ph.title, lang)}" if ph else "")
        lines += ["", f"## {title}", ""]
        if ph:
            for page in ph.pages:
                lines.append(f"- {t('Theory', lang)}: [{page.id} — {text(page.title, lang)}]({_theory_rel(ph, page, lang)})")
        if pid in by_phase:
            q = by_phase[pid]
            lines.append(f"- {t('Quiz', lang)}: [{text(q.title, lang)}](quizzes/{q.id}.md) "
                         f"({len(q.questions)} {t('questions', lang)})")
    return safe_markdown("\n".join(lines)) + "\n"


# --- writing and checking -----------------------------------------------------------


def _owned() -> list[str]:
    return [f"{pre}{part}" for lang in languages() for pre in ["" if lang == "en" else f"{lang}/"] for part in OWNED_PARTS]


def _owned_files(out: Path) -> set[str]:
    """Files currently in the parts of ``out`` that the mirror owns."""
    found = set()
    for part in _owned():
        p = out / part
        if p.is_file():
            found.add(part)
        elif p.is_dir():
            found |= {f.relative_to(out).as_posix() for f in p.rglob("*") if f.is_file()}
    return found


def write(root: Path, out: Path) -> list[str]:
    """Render into ``out``: write changed files, delete stale ones in the owned folders."""
    from lynx.core.files import atomic_write_text

    want = pages(root)
    for rel, data in want.items():
        path = out / rel
        if path.is_file() and path.read_bytes() == data:
            continue
        if rel.endswith(".md"):
            atomic_write_text(path, data.decode())
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    for rel in sorted(_owned_files(out) - set(want)):
        (out / rel).unlink()
    for part in _owned():  # drop folders left empty by deleted pages
        p = out / part
        if p.is_dir():
            for d in sorted((d for d in p.rglob("*") if d.is_dir()), key=lambda d: -len(d.parts)):
                if not any(d.iterdir()):
                    d.rmdir()
    return list(want)


def stale(root: Path, out: Path) -> list[str]:
    """Mirror files that differ from a fresh render, are missing, or should not exist."""
    want = pages(root)
    bad = [rel for rel, data in want.items() if not (out / rel).is_file() or (out / rel).read_bytes() != data]
    return sorted(bad + sorted(_owned_files(out) - set(want)))


def check(root: Path, out: Path) -> None:
    bad = stale(root, out)
    if bad:
        more = f" (and {len(bad) - 3} more)" if len(bad) > 3 else ""
        raise LynxError(f"the docs mirror in {out} is out of date: {', '.join(bad[:3])}{more}",
                        "run `lynx render` and commit the result", code=1)
