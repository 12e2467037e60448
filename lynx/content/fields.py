"""Reading course content files (YAML) and checking their shape: the base of every content reader.

Every content error names the file, the field and the fix, in one line.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable

from lynx.core.errors import LynxError
from lynx.i18n import languages

MAX_CONTENT_BYTES = 1_000_000  # a content file larger than this is a mistake or an attack
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\Z")  # \Z: `$` would let a final newline in


class ContentError(LynxError):
    """A content file is malformed: one line naming the file, the field and the fix."""

    def __init__(self, path: Path | str, field: str, problem: str, fix: str | None = None) -> None:
        where = f"{path}: {field}" if field else f"{path}"
        super().__init__(f"{where}: {problem}", fix or "fix the content file and run `lynx validate`")
        self.path = str(path)
        self.field = field


def read_content(path: Path, noun: str = "file", limit: int = MAX_CONTENT_BYTES) -> str:
    """The text of a content file, refused in one line when it is missing, too big, or not UTF-8."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ContentError(path, "", f"{noun} not found" if noun != "patch" else "patch file not found") from None
    if size > limit:
        raise ContentError(path, "", f"{noun} is {size} bytes, over the {limit}-byte limit")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(path, "", "not valid UTF-8" if noun == "file" else f"{noun} is not valid UTF-8") from None


MAX_ALIASES = 100  # YAML aliases in one file: a few are handy, thousands are a "billion laughs"


def bounded_yaml(text: str) -> Any:
    """YAML text read with the safe loader (the C one when present), refused (``yaml.YAMLError``) when it holds
    more than MAX_ALIASES aliases: each may stand for a whole tree, and a few nested ones make gigabytes
    of what a program then walks. Aliases need anchors, so a file without ``&`` costs no second look."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if "&" in text and "*" in text:
        aliases = 0
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise yaml.YAMLError(f"more than {MAX_ALIASES} aliases (*name)")
    try:
        return yaml.load(text, Loader=loader)
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None


def load_yaml(path: Path) -> Any:
    """Parse a YAML file with the safe loader (the C one when present), within bounds (size, aliases)."""
    import yaml

    text = read_content(path)
    try:
        return bounded_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "YAML"
        problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["?"])[0]
        raise ContentError(path, where, f"invalid YAML ({problem})") from None


def normalize(s: str) -> str:
    """Case- and accent-insensitive form: 'Colapsó' and 'colapso' compare equal."""
    decomposed = unicodedata.normalize("NFKD", s.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def text(value: Any, lang: str) -> str:
    """Pick the text of one language from a bilingual mapping, falling back to English."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    return "" if value is None else str(value)


class Fields:
    """Checks a mapping loaded from YAML: required and optional keys, types, ids, bilingual text."""

    def __init__(self, path: Path | str, data: Any, where: str = "") -> None:
        self.path = path
        self.where = where
        if not isinstance(data, dict):
            raise ContentError(path, where or "top level", f"expected a mapping, got {_kind(data)}")
        self.data = data

    def _f(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def only(self, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in self.data:
            if key not in allowed:
                raise ContentError(
                    self.path, self._f(str(key)), "unknown key",
                    f"remove it or use one of: {', '.join(sorted(allowed))}",
                )

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def req(self, key: str) -> Any:
        if not self.has(key):
            raise ContentError(self.path, self._f(key), "missing required field", f"add `{key}:`")
        return self.data[key]

    def str(self, key: str, default: str | None = None) -> str:
        if not self.has(key):
            if default is not None:
                return default
            self.req(key)
        value = self.data[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise ContentError(self.path, self._f(key), f"expected a non-empty string, got {_kind(value)}")
        return value

    def id(self, key: str, pattern: re.Pattern[str] = ID_RE) -> str:
        value = self.str(key)
        if not pattern.match(value):
            raise ContentError(
                self.path, self._f(key), f"bad id {value!r}",
                f"use lowercase letters, digits and dashes matching {pattern.pattern}",
            )
        return value

    def int(self, key: str, default: int | None = None) -> int:
        if not self.has(key):
            if default is not None:
                return default
            self.req(key)
        value = self.data[key]
        if not isinstance(value, int) or isinstance(value, bool):
            raise ContentError(self.path, self._f(key), f"expected an integer, got {_kind(value)}")
        return value

    def bool(self, key: str, default: bool = False) -> bool:
        if not self.has(key):
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            raise ContentError(self.path, self._f(key), f"expected true or false, got {_kind(value)}")
        return value

    def list(self, key: str, default: list | None = None, min_len: int = 0) -> list:
        if not self.has(key):
            if default is not None:
                return default
            self.req(key)
        value = self.data[key]
        if not isinstance(value, list):
            raise ContentError(self.path, self._f(key), f"expected a list, got {_kind(value)}")
        if len(value) < min_len:
            raise ContentError(self.path, self._f(key), f"needs at least {min_len} items, has {len(value)}")
        return value

    def strs(self, key: str, default: list | None = None, min_len: int = 0) -> list[str]:
        items = self.list(key, default, min_len)
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item:
                raise ContentError(self.path, f"{self._f(key)}[{i}]", f"expected a string, got {_kind(item)}")
        return items

    def bilingual(self, key: str, optional: bool = False) -> dict[str, str] | None:
        if not self.has(key):
            if optional:
                return None
            self.req(key)
        return bilingual(self.path, self._f(key), self.data[key])

    def sub(self, key: str) -> "Fields":
        return Fields(self.path, self.req(key), self._f(key))


def bilingual(path: Path | str, field: str, value: Any) -> dict[str, str]:
    """Check a ``{en: ..., es: ...}`` mapping: both languages present and non-empty."""
    if not isinstance(value, dict):
        raise ContentError(path, field, "expected a mapping with " + " and ".join(f"`{lang}:`" for lang in languages())
                           + f", got {_kind(value)}")
    langs = languages()
    for lang in langs:
        v = value.get(lang)
        if not isinstance(v, str) or not v.strip():
            raise ContentError(path, field, f"missing the `{lang}` text", f"add `{lang}:` under `{field}`")
    extra = set(value) - set(langs)
    if extra:
        raise ContentError(path, field, f"unknown language key(s) {sorted(map(str, extra))}",
                           "use only " + " and ".join(f"`{lang}:`" for lang in langs))
    return {lang: value[lang] for lang in langs}


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", int: "an integer",
            float: "a number"}.get(type(value), type(value).__name__)
