"""Stale translations: each translation records the hash of the English text it was made from, in
``translations.yaml`` at the course root; `lynx validate --stale` fails on every translation whose English
changed since (or that has no record), and `lynx translated FILE` records the English of FILE's
translations once they are brought up to date.

A translation is a non-English text of a bilingual YAML field (``{en: ..., es: ...}``), named by its path
in the file (list items by their ``id`` when they have one, else by position), or a whole theory page
(``theory/NN-name.es.md`` beside ``.en.md``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from lynx.content.fields import load_yaml
from lynx.core.errors import LynxError
from lynx.core.files import atomic_write_text
from lynx.i18n import SOURCE, languages

RECORD = "translations.yaml"
PAGE = "page"  # the key of a whole theory page
FOLDERS = ("data", "breaks", "phases")


@dataclass(frozen=True)
class Translation:
    file: str  # relative to the course root, "/" separated
    key: str  # the field's path in the file, or PAGE
    lang: str
    english: str  # the hash of the English text it should have been made from


@dataclass(frozen=True)
class Stale:
    translation: Translation
    recorded: str | None  # the hash the record holds (None: no record)


def english_hash(text: str | list) -> str:
    """Hash of an English text (or list of texts: a grading corpus, synonyms), blind to outer whitespace."""
    flat = text.strip() if isinstance(text, str) else "\n".join(str(x).strip() for x in text)
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()[:12]


def translations(root: Path) -> Iterator[Translation]:
    """Every translation in the course, in a stable order."""
    others = [lang for lang in languages() if lang != SOURCE]
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*.yaml")):
            rel = path.relative_to(root).as_posix()
            for key, texts in _bilingual(load_yaml(path), ""):
                for lang in others:
                    if lang in texts:
                        yield Translation(rel, key, lang, english_hash(texts[SOURCE]))
    for page in sorted((root / "phases").glob(f"*/theory/*.{SOURCE}.md")):
        english = english_hash(page.read_text(encoding="utf-8"))
        for lang in others:
            other = page.with_name(page.name.removesuffix(f".{SOURCE}.md") + f".{lang}.md")
            if other.is_file():
                yield Translation(other.relative_to(root).as_posix(), PAGE, lang, english)


def _bilingual(node: Any, where: str) -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        if isinstance(node.get(SOURCE), (str, list)):
            yield where.lstrip("/") or "/", node
            return
        for k, v in node.items():
            yield from _bilingual(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            name = v.get("id") if isinstance(v, dict) and isinstance(v.get("id"), (str, int)) else i
            yield from _bilingual(v, f"{where}/{name}")


def read_record(root: Path) -> dict[str, dict[str, dict[str, str]]]:
    path = root / RECORD
    if not path.is_file():
        return {}
    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise LynxError(f"{path}: expected a mapping of file -> field -> language -> hash",
                        "delete it and run `lynx translated --all`")
    return data


def stale(root: Path) -> list[Stale]:
    """Translations whose English changed since they were made, or that were never recorded."""
    record = read_record(root)
    out = []
    for tr in translations(root):
        recorded = ((record.get(tr.file) or {}).get(tr.key) or {}).get(tr.lang)
        if recorded != tr.english:
            out.append(Stale(tr, recorded))
    return out


def record(root: Path, files: list[str] | None, lang: str | None = None) -> list[Translation]:
    """Record the current English of every translation in ``files`` (all files when None) as the English
    they were made from; returns what was recorded. Other files' records are kept as they are."""
    wanted = None if files is None else {_relative(root, f) for f in files}
    found = [tr for tr in translations(root)
             if (wanted is None or tr.file in wanted) and (lang is None or tr.lang == lang)]
    if wanted is not None:
        missing = wanted - {tr.file for tr in translations(root)}
        if missing:
            raise LynxError(f"{sorted(missing)[0]} has no translations lynx knows",
                            "name a .yaml file under data/, breaks/ or phases/, or a theory page (.es.md)")
    data = read_record(root)
    for tr in found:
        data.setdefault(tr.file, {}).setdefault(tr.key, {})[tr.lang] = tr.english
    atomic_write_text(root / RECORD, _dump(data))
    return found


def _relative(root: Path, name: str) -> str:
    p = Path(name)
    p = (p if p.is_absolute() else Path.cwd() / p).resolve()
    try:
        return p.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise LynxError(f"{name} is not inside the course {root}", "run it from the course checkout") from None


def _dump(data: dict) -> str:
    import yaml

    head = ("# The hash of the English text each translation was made from (lynx.authoring.stale).\n"
            "# `lynx validate --stale` fails where the English changed since; after updating a translation,\n"
            "# `lynx translated FILE` records it. Do not edit by hand.\n")
    ordered = {f: {k: dict(sorted(v.items())) for k, v in sorted(keys.items())} for f, keys in sorted(data.items())}
    return head + yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=200)


def stale_rows(root: Path) -> list:
    """`lynx validate --stale`: a row per file with translations; it fails when one of them is stale."""
    from lynx.authoring.break_proofs import Row

    found = stale(root)
    by_file: dict[str, list[Stale]] = {}
    for s in found:
        by_file.setdefault(s.translation.file, []).append(s)
    rows = []
    for file in sorted({tr.file for tr in translations(root)}):
        bad = by_file.get(file, [])
        if not bad:
            rows.append(Row("stale", file, True, "every translation made from the current English"))
            continue
        changed = [s for s in bad if s.recorded is not None]
        what = "; ".join(f"{s.translation.key} ({s.translation.lang})" for s in bad[:3]) + (" …" if len(bad) > 3 else "")
        rows.append(Row("stale", file, False,
                        f"{len(changed)} made from older English, {len(bad) - len(changed)} never recorded: {what}"
                        f" — update the translation, then `lynx translated {file}`"))
    return rows
