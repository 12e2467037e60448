"""Free answers graded by meaning: which concepts of an answer key an answer says, negates or contradicts.

An answer is normalized (case, accents), cut into clauses (at punctuation and at words such as
"but", "because", "and", "pero", "porque", "y") and into words. A term matches when its words appear
in order in one clause, at most two other words apart (``...``: any number), each word equal, a
plural, a ``word*`` prefix, or, when typos are forgiven, within a small edit distance (rapidfuzz's
optimal string alignment, so a swap of two letters is one edit).

A match is negated when a negation ("not", "never", "instead of", "no", "ni", "en lugar de", ...)
ends at most four words before it, or stands among the words its gaps skip. "Without"/"sin" is not a
negation: "without it the softmax saturates" asserts saturation. A term may itself begin with a
negation ("not ... itself"): it then says the negative statement, and the negated words inside it
are not held against the concept (a negated match that an asserted match of the concept overlaps).

An answer is right when every required concept is said (a match that is not negated) and never
negated (a negated match no other term of the concept covers), and no contradicting concept is said.
A term made only of the key's ``ignore:`` words (words of the prompt) never counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lynx.content.answer_key import AnswerKey, Concept, shown, term_words, words_of
from lynx.content.fields import normalize

MAX_GAP = 2          # other words allowed between two words of a term
NEGATION_REACH = 4   # words before a match that a negation reaches
NEGATIONS = (("not",), ("no",), ("never",), ("nor",), ("neither",), ("nothing",), ("none",), ("instead", "of"),
             ("rather", "than"), ("as", "opposed", "to"), ("nunca",), ("ni",), ("tampoco",), ("jamas",),
             ("nada",), ("ninguno",), ("ninguna",), ("en", "lugar", "de"), ("en", "lugar", "del"),
             ("en", "vez", "de"), ("en", "vez", "del"), ("a", "diferencia", "de"), ("a", "diferencia", "del"))
CLAUSE_WORDS = frozenset({"but", "because", "so", "since", "while", "whereas", "although", "and", "however", "then",
                          "pero", "sino", "porque", "aunque", "mientras", "y", "pues", "entonces"})
# A clause ends at ; ? ! ( ) and at a comma, colon or full stop followed by a space (not inside 0.02,
# 1,5 or np.add.at), and at a dash between spaces.
CLAUSE_BREAK = re.compile(r"[;!?()\[\]¿¡]|[.,:](?=\s|$)|\s[-–—]+\s|[–—]")
CONTRACTIONS = ((re.compile(r"n['’]t\b"), " not"), (re.compile(r"\bcannot\b"), "can not"))


@dataclass(frozen=True)
class Reading:
    """What an answer says about a key: each list holds concept names in the grading language."""

    missing: tuple[str, ...]        # required concepts never said
    negated: tuple[str, ...]        # required concepts negated ("not the forget gate")
    contradicted: tuple[str, ...]   # the terms of contradicting concepts the answer says (not negated)

    @property
    def right(self) -> bool:
        return not (self.missing or self.negated or self.contradicted)


def read(key: AnswerKey, answer: str, lang: str) -> Reading:
    clauses = clauses_of(answer)
    ignore = frozenset(w for ws in key.ignore.values() for w in ws)
    missing, negated, contradicted = [], [], []
    for concept in key.concepts:
        said = _status(concept, clauses, key.typos, ignore)
        if said is None:
            missing.append(concept.name(lang))
        elif not said:
            negated.append(concept.name(lang))
    for concept in key.contradicts:
        term = _asserted(concept, clauses, key.typos)
        if term:
            contradicted.append(shown(term))
    return Reading(tuple(missing), tuple(negated), tuple(contradicted))


def clauses_of(text: str) -> list[list[str]]:
    """A text as clauses of words, the way the matcher reads answers."""
    s = normalize(text)
    for pattern, repl in CONTRACTIONS:
        s = pattern.sub(repl, s)
    out = []
    for part in CLAUSE_BREAK.split(s):
        clause: list[str] = []
        for w in words_of(part):
            if w in CLAUSE_WORDS:
                if clause:
                    out.append(clause)
                clause = []
            else:
                clause.append(w)
        if clause:
            out.append(clause)
    return out


def term_in(term: str, text: str, typos: bool = True) -> bool:
    """Whether ``term`` matches somewhere in ``text``, negated or not."""
    pattern = _compile(term)
    return any(_spans(clause, pattern, typos) for clause in clauses_of(text))


# --- the parts ----------------------------------------------------------------------------


def _status(concept: Concept, clauses: list[list[str]], typos: bool, ignore: frozenset[str]) -> bool | None:
    """True: said and never negated; False: negated; None: not said."""
    asserted: list[tuple[int, range]] = []
    negated: list[tuple[int, list[int]]] = []
    for term in concept.all_terms():
        pattern = _compile(term)
        if ignore and all(w.rstrip("*") in ignore for w in pattern if w != "..."):
            continue  # made only of words of the prompt
        for c, clause in enumerate(clauses):
            for span in _spans(clause, pattern, typos):
                if _negated(clause, span, pattern):
                    negated.append((c, span))
                else:
                    asserted.append((c, range(span[0], span[-1] + 1)))
    # A negated match that an asserted one overlaps is part of it ("don't sum to 1" inside "not sum*").
    if any(not any(c == ac and any(i in cover for i in span) for ac, cover in asserted) for c, span in negated):
        return False
    return True if asserted else None


def _asserted(concept: Concept, clauses: list[list[str]], typos: bool) -> str | None:
    """The first term of ``concept`` the answer says without a negation."""
    for term in concept.all_terms():
        pattern = _compile(term)
        for clause in clauses:
            if any(not _negated(clause, span, pattern) for span in _spans(clause, pattern, typos)):
                return term
    return None


@lru_cache(maxsize=4096)
def _compile(term: str) -> tuple[str, ...]:
    return tuple(term_words(term))


def _spans(clause: list[str], pattern: tuple[str, ...], typos: bool) -> list[list[int]]:
    """Every match of ``pattern`` in the clause, as the positions of its words (first match per start)."""
    out = []
    for i, w in enumerate(clause):
        if _word(w, pattern[0], typos):
            rest = _rest(clause, i + 1, pattern[1:], typos)
            if rest is not None:
                out.append([i, *rest])
    return out


def _rest(clause: list[str], at: int, pattern: tuple[str, ...], typos: bool) -> list[int] | None:
    if not pattern:
        return []
    reach, pattern = (len(clause), pattern[1:]) if pattern[0] == "..." else (MAX_GAP + 1, pattern)
    for i in range(at, min(len(clause), at + reach)):
        if _word(clause[i], pattern[0], typos):
            rest = _rest(clause, i + 1, pattern[1:], typos)
            if rest is not None:
                return [i, *rest]
    return None


def _negated(clause: list[str], span: list[int], pattern: tuple[str, ...]) -> bool:
    """A negation cue ending in the NEGATION_REACH words before the match, or among the words it skips.

    A term that begins with a negation says the negative itself: its own cue does not count."""
    start = span[0]
    if _is_cue_start(pattern):
        return False
    for cue in NEGATIONS:
        n = len(cue)
        for end in range(max(n, start - NEGATION_REACH + 1), start + 1):
            if tuple(clause[end - n:end]) == cue:
                return True
    skipped = [clause[i] for i in range(start, span[-1] + 1) if i not in span]
    return any(tuple(skipped[k:k + len(cue)]) == cue for cue in NEGATIONS for k in range(len(skipped)))


def _is_cue_start(pattern: tuple[str, ...]) -> bool:
    return any(pattern[:len(cue)] == cue for cue in NEGATIONS)


def _word(w: str, p: str, typos: bool) -> bool:
    if p.endswith("*"):
        stem = p[:-1]
        return w.startswith(stem) or (typos and len(stem) >= 6 and _close(w[:len(stem)], stem))
    if w == p or w in (p + "s", p + "es"):
        return True
    return typos and len(p) >= 6 and _close(w, p)


def _close(w: str, p: str) -> bool:
    """A small typo: same first letter, at most one edit (two from nine letters on)."""
    budget = 1 if len(p) < 9 else 2
    if not w or w[0] != p[0] or abs(len(w) - len(p)) > budget:
        return False
    from rapidfuzz.distance import OSA  # imported here: most answers never need it

    return OSA.distance(w, p, score_cutoff=budget) <= budget
