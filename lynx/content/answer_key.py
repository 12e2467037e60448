"""A free question's answer key, as data (schema in docs/design.md, "Free answers").

``answer:`` holds the concepts a right answer must say (each a list of synonym terms per language),
the concepts that contradict the key (saying one fails the answer), the words of the prompt that
never count, and whether small typos are forgiven. ``corpus:`` holds answers a person wrote, right
and wrong, that the grader must classify as marked (`lynx validate` runs them). The older
``expect:`` list (keyword groups) still loads, as concepts without contradictions or corpus.

A term is words separated by spaces: ``vocab* size`` (``*``: any ending), ``order ... learned``
(``...``: any words between, within one clause). This module only reads and checks the key;
the matching is ``lynx.activities.meaning``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lynx.content.fields import ContentError, Fields, normalize
from lynx.i18n import languages

WORD = re.compile(r"\d+(?:[.,]\d+)+|[a-z0-9_]+")  # a word, or a decimal number as one word (0.4 is not 4)
TERM_WORD = re.compile(r"^(\.\.\.|\d+(?:\.\d+)+|[a-z0-9_]+\*?)$")
MIN_CORPUS = 5  # right and wrong answers per language that `lynx validate` asks of every free question


@dataclass(frozen=True)
class Concept:
    """One idea, as the terms that say it, per language (every language's terms count in any answer)."""

    terms: dict[str, tuple[str, ...]]

    def name(self, lang: str) -> str:
        return shown((self.terms.get(lang) or self.terms["en"])[0])

    def all_terms(self) -> tuple[str, ...]:
        return tuple(term for terms in self.terms.values() for term in terms)


@dataclass(frozen=True)
class Corpus:
    """Answers the grader must classify: ``right[lang]`` must pass, ``wrong[lang]`` must fail."""

    right: dict[str, tuple[str, ...]]
    wrong: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class AnswerKey:
    concepts: tuple[Concept, ...]
    contradicts: tuple[Concept, ...] = ()
    ignore: dict[str, tuple[str, ...]] = field(default_factory=dict)  # words removed from an answer first
    typos: bool = True
    corpus: Corpus | None = None


def shown(term: str) -> str:
    """A term as a person reads it: ``saturat*`` as ``saturat…``, ``order ... learned`` as ``order … learned``."""
    return re.sub(r"\s*\.\.\.\s*", " … ", term).replace("*", "…").strip()


def words_of(text: str) -> list[str]:
    """The words of normalized text; a decimal comma becomes a point (0,02 and 0.02 are one number)."""
    return [w.replace(",", ".") for w in WORD.findall(text)]


def term_words(term: str) -> list[str]:
    """A term as the words the matcher compares: normalized, split as answers are split."""
    out: list[str] = []
    for raw in normalize(term).split():
        if raw == "...":
            out.append(raw)
            continue
        star = raw.endswith("*")
        parts = words_of(raw)
        out += parts[:-1] + [parts[-1] + ("*" if star else "")] if parts else []
    return out


def parse_key(path: Path, where: str, f: Fields) -> AnswerKey:
    """The key of a free question: ``answer:`` (with ``corpus:``) or the older ``expect:``."""
    if f.has("answer") and f.has("expect"):
        raise ContentError(path, f._f("expect"), "a free question has `answer:` or `expect:`, not both",
                           "move the keywords into `answer: concepts:`")
    if f.has("expect"):
        if f.has("corpus"):
            raise ContentError(path, f._f("corpus"), "a corpus needs the `answer:` schema",
                               "write the key as `answer: {concepts: [...]}`")
        groups = f.list("expect", min_len=1)
        return AnswerKey(tuple(_concept(path, f._f(f"expect[{k}]"), g) for k, g in enumerate(groups)))
    if not f.has("answer"):
        f.req("answer")
    a = f.sub("answer")
    a.only(("concepts", "contradicts", "ignore", "typos"))
    concepts = tuple(_concept(path, a._f(f"concepts[{k}]"), g) for k, g in enumerate(a.list("concepts", min_len=1)))
    contradicts = tuple(_concept(path, a._f(f"contradicts[{k}]"), g)
                        for k, g in enumerate(a.list("contradicts", default=[])))
    ignore: dict[str, tuple[str, ...]] = {}
    if a.has("ignore"):
        ig = a.sub("ignore")
        ig.only(languages())
        for lang in languages():
            words = tuple(normalize(w) for w in ig.strs(lang, default=[]))
            bad = [w for w in words if not re.fullmatch(r"[a-z0-9_]+", w)]
            if bad:
                raise ContentError(path, ig._f(lang), f"{bad[0]!r} is not one word", "list single words to ignore")
            ignore[lang] = words
    corpus = _corpus(path, f.sub("corpus")) if f.has("corpus") else None
    return AnswerKey(concepts, contradicts, ignore, a.bool("typos", default=True), corpus)


def _concept(path: Path, where: str, item: Any) -> Concept:
    f = Fields(path, item, where)
    langs = languages()
    f.only(langs)
    out = {}
    for lang in langs:
        if not f.has(lang):
            raise ContentError(path, where, f"missing the `{lang}` synonyms", f"add `{lang}: [word, synonym]`")
        terms = f.strs(lang, min_len=1)
        for k, term in enumerate(terms):
            words = term_words(term)
            if not [w for w in words if w != "..."]:
                raise ContentError(path, f"{where}.{lang}[{k}]", "keywords are blank")
            bad = [w for w in words if not TERM_WORD.match(w)] or ([] if words[0] != "..." and words[-1] != "..."
                                                                   else ["..."])
            if bad:
                raise ContentError(path, f"{where}.{lang}[{k}]", f"bad term {term!r}",
                                   "use words, `word*` for any ending and `...` between two words")
        out[lang] = tuple(terms)
    return Concept(out)


def _corpus(path: Path, f: Fields) -> Corpus:
    f.only(("right", "wrong"))
    sides = []
    for side in ("right", "wrong"):
        s = f.sub(side)
        s.only(languages())
        sides.append({lang: tuple(s.strs(lang, min_len=1)) for lang in languages()})
    return Corpus(*sides)
