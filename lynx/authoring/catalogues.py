"""Compile the interface catalogues: every ``lynx/locale/<lang>/LC_MESSAGES/lynx.po`` into its ``.mo``.

    python -m lynx.authoring catalogues

First each ``.po`` is brought up to date with the messages the code asks for (new ones added
untranslated, gone ones dropped), then compiled. Uses Babel (the docs and test extras install it), the library Sphinx and Poedit's users rely on;
lynx itself reads the compiled ``.mo`` with the standard library's :mod:`gettext` and needs no Babel.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

from typing import TYPE_CHECKING

from lynx.i18n import DOMAIN, LOCALE_DIR

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog


def po_files() -> list[Path]:
    return sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compiled(po: Path) -> bytes:
    """The ``.mo`` bytes of one ``.po`` file (deterministic: the same .po gives the same bytes)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_all() -> list[Path]:
    """Update every ``.po`` from the code, then write each ``.mo`` that changed; returns the files written."""
    written = [po for po in po_files() if sync_po(po)]
    for po in po_files():
        mo = po.with_suffix(".mo")
        data = compiled(po)
        if not mo.is_file() or mo.read_bytes() != data:
            mo.write_bytes(data)
            written.append(mo)
    return written


KEYWORDS = {"t": ("msgid",), "N_": ("msgid",), "Message": ("msgid",), "tc": ("context", "msgid"),
            "nt": ("msgid", "plural")}


def extract(package: Path | None = None) -> dict[tuple[str | None, str], dict]:
    """Every message the code asks for: ``{(context, msgid): {"plural": ..., "where": [file:line, ...]}}``.

    Read with :mod:`ast` (calls of ``t``, ``tc``, ``nt``, ``N_`` and ``Message`` with literal strings), which
    sees the calls inside f-strings too.
    """
    import ast

    package = package or Path(__file__).resolve().parents[1]
    found: dict[tuple[str | None, str], dict] = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else None
            spec = KEYWORDS.get(name or "")
            if not spec or len(node.args) < len(spec):
                continue
            args = node.args[: len(spec)]
            if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                continue
            values = dict(zip(spec, (a.value for a in args)))
            key = (values.get("context"), values["msgid"])
            entry = found.setdefault(key, {"plural": values.get("plural"), "where": []})
            entry["where"].append(f"{path.relative_to(package.parent).as_posix()}:{node.lineno}")
    return found


# Messages the i18n module asks for by itself (its pgettext calls take no literal from the code).
BUILTIN = {("number", "."): "the decimal separator", ("language name", "English"): "the language's name for itself"}


def template() -> "Catalog":
    """The catalogue of every message the code asks for, untranslated."""
    from babel.messages.catalog import Catalog

    cat = Catalog(project="lynx", domain=DOMAIN)
    for (context, msgid), info in sorted(extract().items(), key=lambda kv: (kv[0][1], kv[0][0] or "")):
        ids = (msgid, info["plural"]) if info["plural"] else msgid
        # Files without line numbers: an edit elsewhere in a file must not change the catalogue.
        files = sorted({w.rsplit(":", 1)[0] for w in info["where"]})
        cat.add(ids, locations=[(f, None) for f in files], context=context)
    for (context, msgid), comment in BUILTIN.items():
        cat.add(msgid, context=context, auto_comments=[comment])
    return cat


def sync_po(po: Path) -> bool:
    """Bring ``po`` up to date with :func:`template` (translations kept, nothing fuzzy); True if it changed."""
    from babel.messages.pofile import read_po, write_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    catalog.update(template(), no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
    catalog.obsolete.clear()
    # A header that stays put: no dates or placeholders that change with each run.
    catalog.project, catalog.version, catalog.msgid_bugs_address = "lynx", "1", "lynx authors"
    catalog.last_translator, catalog.language_team = "lynx authors", catalog.language_team or "lynx authors"
    catalog.creation_date = catalog.revision_date = datetime(2026, 1, 1, tzinfo=timezone.utc)
    catalog.fuzzy = False
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_previous=False, sort_output=True)
    data = out.getvalue()
    if po.read_bytes() == data:
        return False
    po.write_bytes(data)
    return True
