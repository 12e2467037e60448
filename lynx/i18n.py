"""Every string lynx shows, in the learner's language: one gettext catalogue per language.

The English text is the message id (the gettext convention, read by Poedit and Weblate);
``lynx/locale/<lang>/LC_MESSAGES/lynx.po`` holds a language's translations and ``lynx.mo`` their
compiled form, which the standard library's :mod:`gettext` reads. Adding a language adds those
two files and no code: :func:`languages` lists what is there. `python -m lynx.authoring catalogues`
recompiles the ``.mo`` files; a test holds them to their ``.po`` and the ``.po`` to the code.

Which language: ``--lang``, then ``LYNX_LANG``, then the workspace's ``lang``, then English.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from lynx.core.errors import LynxError

SOURCE = "en"  # the language of the message ids
DOMAIN = "lynx"
LOCALE_DIR = Path(__file__).resolve().with_name("locale")  # lynx/locale/<lang>/LC_MESSAGES/lynx.po


@lru_cache(maxsize=None)
def languages() -> tuple[str, ...]:
    """English, then every language with a compiled catalogue, in alphabetical order."""
    try:
        found = sorted(e.name for e in os.scandir(LOCALE_DIR)
                       if (Path(e.path) / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file())
    except FileNotFoundError:
        found = []
    return (SOURCE, *(lang for lang in found if lang != SOURCE))


def choices() -> str:
    """`en` or `es` (for messages that list the languages)."""
    names = [f"`{lang}`" for lang in languages()]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def resolve(flag: str | None, workspace_lang: str | None = None) -> str:
    for value, source in ((flag, "--lang"), (os.environ.get("LYNX_LANG"), "LYNX_LANG")):
        if value:
            value = value.lower()
            if value not in languages():
                raise LynxError(f"{source}: unknown language {value!r}", f"use {choices()}")
            return value
    return workspace_lang if workspace_lang in languages() else SOURCE


@lru_cache(maxsize=None)
def _catalogue(lang: str):
    import gettext

    if lang == SOURCE:
        return gettext.NullTranslations()
    try:
        with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as fh:
            return gettext.GNUTranslations(fh)
    except OSError:
        return gettext.NullTranslations()  # an unknown language reads as English, never as an error


def t(msgid: str, lang: str, /, **fields: Any) -> str:
    """``msgid`` in ``lang``, with ``{fields}`` filled in."""
    text = _catalogue(lang).gettext(msgid)
    return text.format(**fields) if fields else text


def tc(context: str, msgid: str, lang: str, /, **fields: Any) -> str:
    """``msgid`` in ``lang`` as meant in ``context`` (the same English word may need two translations)."""
    text = _catalogue(lang).pgettext(context, msgid)
    return text.format(**fields) if fields else text


def nt(singular: str, plural: str, n: int, lang: str, /, **fields: Any) -> str:
    """The singular or plural form for ``n``, as the language counts (``{n}`` is filled in too)."""
    text = _catalogue(lang).ngettext(singular, plural, n)
    return text.format(n=n, **fields)


def decimal_point(lang: str) -> str:
    # Context "number": translators give the decimal separator of their language ("," in Spanish).
    return _catalogue(lang).pgettext("number", ".")


def number(x: float, lang: str, digits: int = 2) -> str:
    """``x`` with ``digits`` decimals, written the language's way: 1.25 (en), 1,25 (es)."""
    return f"{x:.{digits}f}".replace(".", decimal_point(lang))


def language_name(lang: str) -> str:
    """A language's name in that language: English, Español (context "language name" of its catalogue)."""
    return _catalogue(lang).pgettext("language name", "English")


def N_(msgid: str) -> str:
    """Marks a message for the catalogue where it is written, to be translated later with :func:`t`."""
    return msgid


class Message:
    """A message of the catalogue with its fields, made where something happens, shown later in the reader's
    language (``message.text(lang)``)."""

    __slots__ = ("msgid", "fields")

    def __init__(self, msgid: str, /, **fields: Any) -> None:
        self.msgid, self.fields = msgid, fields

    def text(self, lang: str) -> str:
        return t(self.msgid, lang, **self.fields)

    def __repr__(self) -> str:
        return f"Message({self.text(SOURCE)!r})"
