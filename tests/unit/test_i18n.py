"""The interface catalogues: every message the code asks for is translated in every language, with the
same placeholders; each compiled .mo is its .po; and a new language is files only, no code."""

from __future__ import annotations

import re
import shutil
import string

import pytest

from lynx import i18n
from lynx.authoring import catalogues

pytest.importorskip("babel", reason="Babel (installed by the docs and test extras) reads the .po files")


def _read(po):
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        return read_po(fh)


PO_FILES = catalogues.po_files()


def test_there_is_a_catalogue_per_language():
    assert i18n.languages() == ("en", *(p.parents[1].name for p in PO_FILES))
    assert "es" in i18n.languages()


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parents[1].name)
def test_every_message_of_the_code_is_translated(po):
    catalog = _read(po)
    wanted = set(catalogues.template()._messages)  # (msgid, context) keys, as Babel keeps them
    have = {key: m for key, m in catalog._messages.items()}
    missing = sorted(str(k) for k in wanted - set(have))
    assert not missing, f"{po}: messages the code asks for and the catalogue lacks: {missing[:5]}"
    stale = sorted(str(k) for k in set(have) - wanted)
    assert not stale, f"{po}: messages no code asks for any more: {stale[:5]} (run python -m lynx.authoring catalogues)"
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, f"{po}: untranslated or fuzzy: {untranslated[:5]}"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parents[1].name)
def test_translations_keep_the_placeholders(po):
    for m in _read(po):
        if m.id and isinstance(m.id, str):
            assert _fields(m.string) == _fields(m.id), (po.name, m.id, m.string)


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parents[1].name)
def test_each_compiled_catalogue_is_its_po(po):
    assert po.with_suffix(".mo").read_bytes() == catalogues.compiled(po), \
        f"{po.with_suffix('.mo')} is stale: run python -m lynx.authoring catalogues"


def test_lookup_in_spanish_and_english():
    assert i18n.t("Hint", "en") == "Hint"
    assert i18n.t("Hint", "es") == "Pista"
    assert i18n.t("Score {score}/{total} in {time}.", "es", score=3, total=4, time="5s") == "Puntuación 3/4 en 5s."
    assert i18n.language_name("es") == "Español" and i18n.language_name("en") == "English"


def test_numbers_are_written_the_languages_way():
    assert i18n.number(1.25, "en") == "1.25"
    assert i18n.number(1.25, "es") == "1,25"
    assert i18n.number(5.5452, "es", 3) == "5,545"


def test_an_unknown_language_is_refused_in_one_line():
    with pytest.raises(Exception) as exc:
        i18n.resolve("fr")
    assert "unknown language 'fr'" in str(exc.value) and "`en` or `es`" in exc.value.line()


def test_a_new_language_is_files_only(tmp_path, monkeypatch):
    """A translator adds lynx/locale/<lang>/LC_MESSAGES/lynx.po and compiles it: lynx speaks it, no code changed."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    po = locale / "fr" / "LC_MESSAGES" / "lynx.po"
    po.parent.mkdir(parents=True)
    text = (i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "lynx.po").read_text(encoding="utf-8")
    text = text.replace('msgstr "Pista"', 'msgstr "Indice"').replace('"Language: es\\n"', '"Language: fr\\n"')
    text = re.sub(r'msgctxt "number"\nmsgid "\."\nmsgstr ","', 'msgctxt "number"\nmsgid "."\nmsgstr ","', text)
    po.write_text(text, encoding="utf-8")
    po.with_suffix(".mo").write_bytes(catalogues.compiled(po))
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    i18n.languages.cache_clear()
    i18n._catalogue.cache_clear()
    try:
        assert i18n.languages() == ("en", "es", "fr")
        assert i18n.resolve("fr") == "fr"
        assert i18n.t("Hint", "fr") == "Indice"
        assert i18n.number(0.5, "fr", 1) == "0,5"
    finally:
        i18n.languages.cache_clear()
        i18n._catalogue.cache_clear()
