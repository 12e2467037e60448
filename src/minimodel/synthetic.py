"""A seeded synthetic English-like language with known statistics (for a corpus big enough).

The bundled corpus is a few hundred distinct words, so lab 17 memorises it. This module writes as
much text as you ask for in a small made-up language whose statistics are known exactly:

- Every word class (nouns, verbs, adjectives, determiners, prepositions) ranks its words, and
  rank r is drawn with probability proportional to 1 / r**s: Zipf's law (Zipf 1949, *Human
  Behavior and the Principle of Least Effort*), the rank-frequency shape of every natural language.
  A mixture of Zipf classes with the same s is again Zipf with slope s over the words' ranks.
- A small grammar: a sentence is one of a few templates (subject, verb, object, prepositional
  phrase), and the subject's number agrees with its determiner, its noun and the verb ("a bralo
  zenks", "these bralos zenk"), a dependency a model must carry across the adjective.

Because sentences are independent draws, the unigram distribution and the entropy rate (the
bits per word of a perfect model) are exact sums over the grammar, computed by `statistics()`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ZIPF_S = 1.0  # Zipf's exponent: rank r has probability proportional to 1 / r**s
P_SINGULAR = 0.6  # the number of each noun phrase: singular with this probability, else plural
SIZES = {"noun": 400, "verb": 150, "iverb": 60, "adj": 120}  # stems per open class

# Closed classes are real English words, ranked by frequency (each also Zipf within its class).
DET = {"sg": ("the", "a", "this", "every"), "pl": ("the", "some", "these", "many")}
PREP = ("in", "on", "near", "under", "with", "behind")

# Templates: NP = determiner, optional adjective, noun; V agrees with the first NP (the subject).
# ("np", adjective?) slots; "v" transitive verb, "iv" intransitive verb, "p" preposition.
TEMPLATES: tuple[tuple[tuple[str, bool], ...], ...] = (
    (("np", False), ("v", False), ("np", False)),
    (("np", True), ("v", False), ("np", False)),
    (("np", False), ("v", False), ("np", True), ("p", False), ("np", False)),
    (("np", True), ("iv", False), ("p", False), ("np", False)),
    (("np", False), ("iv", False)),
)
P_TEMPLATE = np.array([0.3, 0.25, 0.15, 0.2, 0.1])


def zipf(n: int, s: float = ZIPF_S) -> np.ndarray:
    """P(rank r) = r**-s / H(n, s), r = 1..n."""
    w = np.arange(1, n + 1, dtype=np.float64) ** -s
    return w / w.sum()


def _stems(n: int, rng: np.random.Generator, taken: set[str]) -> list[str]:
    """n distinct pronounceable made-up stems (consonant-vowel syllables, a final consonant)."""
    onset, vowel, coda = list("bdfgklmnprstvz") + ["br", "tr", "st", "pl", "gr"], list("aeiou"), list("lmnrkt")
    out: list[str] = []
    while len(out) < n:
        syllables = "".join(rng.choice(onset) + rng.choice(vowel) for _ in range(rng.integers(1, 3)))
        word = syllables + (rng.choice(coda) if rng.random() < 0.5 else "")
        if word not in taken and not word.endswith("s"):
            taken.add(word)
            out.append(word)
    return out


@dataclass(frozen=True)
class Lexicon:
    """The words of the language: fixed (language seed 0), whatever seed the text is drawn with."""

    noun: list[str]
    verb: list[str]
    iverb: list[str]
    adj: list[str]

    @staticmethod
    def build() -> "Lexicon":
        rng, taken = np.random.default_rng(0), set(DET["sg"] + DET["pl"] + PREP)
        return Lexicon(**{k: _stems(n, rng, taken) for k, n in SIZES.items()})


LEXICON = Lexicon.build()


@dataclass(frozen=True)
class Draws:
    """Every random choice for k sentences, drawn in bulk (one Generator call per word is slow)."""

    template: np.ndarray  # (k,)
    singular: np.ndarray  # (k, 3): the number of each noun phrase
    det: np.ndarray  # (k, 3): the determiner's rank within its number's list
    adj: np.ndarray  # (k, 3)
    noun: np.ndarray  # (k, 3)
    verb: np.ndarray  # (k,), used as a transitive or an intransitive rank
    iverb: np.ndarray  # (k,)
    prep: np.ndarray  # (k,)

    @staticmethod
    def draw(rng: np.random.Generator, k: int) -> "Draws":
        z = lambda n, shape: rng.choice(n, size=shape, p=zipf(n))  # noqa: E731
        return Draws(rng.choice(len(TEMPLATES), size=k, p=P_TEMPLATE), rng.random((k, 3)) < P_SINGULAR,
                     z(4, (k, 3)), z(SIZES["adj"], (k, 3)), z(SIZES["noun"], (k, 3)), z(SIZES["verb"], k),
                     z(SIZES["iverb"], k), z(len(PREP), k))


def _sentence(d: Draws, i: int) -> list[str]:
    words: list[str] = []
    template, n = TEMPLATES[d.template[i]], 0
    for slot, with_adj in template:
        if slot == "np":
            sg = bool(d.singular[i, n])
            words.append(DET["sg" if sg else "pl"][d.det[i, n]])
            if with_adj:
                words.append(LEXICON.adj[d.adj[i, n]])
            noun = LEXICON.noun[d.noun[i, n]]
            words.append(noun if sg else noun + "s")
            n += 1
        elif slot == "p":
            words.append(PREP[d.prep[i]])
        else:  # the verb agrees with the subject (the first noun phrase): "-s" after a singular one
            verb = LEXICON.verb[d.verb[i]] if slot == "v" else LEXICON.iverb[d.iverb[i]]
            words.append(verb + "s" if d.singular[i, 0] else verb)
    return words


def sentences(n_words: int, seed: int = 0) -> list[list[str]]:
    """Whole sentences, drawn independently, until they hold at least `n_words` words."""
    rng = np.random.default_rng(seed)
    out: list[list[str]] = []
    count = 0
    while count < n_words:
        d = Draws.draw(rng, max(16, (n_words - count) // 4))
        for i in range(len(d.template)):
            out.append(_sentence(d, i))
            count += len(out[-1])
            if count >= n_words:
                break
    return out


def generate(n_words: int, seed: int = 0) -> str:
    """The text of `sentences(n_words, seed)`: capitalised, a full stop each, one space between."""
    return " ".join(" ".join(s).capitalize() + "." for s in sentences(n_words, seed))


@dataclass(frozen=True)
class Statistics:
    """What is known about the language without drawing a word (bits are log base 2)."""

    zipf_s: float
    vocab_size: int  # distinct word forms (stems, plurals, verb forms with -s, closed-class words)
    mean_sentence_words: float
    unigram_entropy_bits: float  # H of the word-frequency distribution: a model that ignores context
    entropy_rate_bits: float  # H(sentence) / mean words: bits per word of the perfect model (the floor)

    @property
    def unigram_perplexity(self) -> float:
        return 2.0**self.unigram_entropy_bits

    @property
    def entropy_rate_perplexity(self) -> float:
        return 2.0**self.entropy_rate_bits


def _h(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def unigram() -> dict[str, float]:
    """P(word) in the long run: expected count per sentence of each word over expected length."""
    counts: dict[str, float] = {}

    def add(words: list[str], probs: np.ndarray, times: float) -> None:
        for w, p in zip(words, probs):
            counts[w] = counts.get(w, 0.0) + times * float(p)

    for pt, template in zip(P_TEMPLATE, TEMPLATES):
        for slot, with_adj in template:
            if slot == "np":
                for number, p_number in (("sg", P_SINGULAR), ("pl", 1 - P_SINGULAR)):
                    add(list(DET[number]), p_number * zipf(4), pt)
                    add([n if number == "sg" else n + "s" for n in LEXICON.noun], p_number * zipf(SIZES["noun"]), pt)
                if with_adj:
                    add(LEXICON.adj, zipf(SIZES["adj"]), pt)
            elif slot == "p":
                add(list(PREP), zipf(len(PREP)), pt)
            else:  # the verb's number is the subject's, singular with probability P_SINGULAR
                stems = LEXICON.verb if slot == "v" else LEXICON.iverb
                z = zipf(len(stems))
                add([v + "s" for v in stems], P_SINGULAR * z, pt)
                add(stems, (1 - P_SINGULAR) * z, pt)
    total = sum(counts.values())
    return {w: c / total for w, c in counts.items()}


def statistics() -> Statistics:
    """Exact, from the grammar. The words of a sentence give back every choice (templates differ in
    length, stems are distinct, the noun's form gives its number), so H(sentence) = H(choices)."""
    h_np = _h(np.array([P_SINGULAR, 1 - P_SINGULAR])) + _h(zipf(4)) + _h(zipf(SIZES["noun"]))
    h_slot = {"np": h_np, "v": _h(zipf(SIZES["verb"])), "iv": _h(zipf(SIZES["iverb"])), "p": _h(zipf(len(PREP)))}
    h_adj = _h(zipf(SIZES["adj"]))
    h_sentence = _h(P_TEMPLATE) + sum(
        pt * sum(h_slot[slot] + (h_adj if adj else 0.0) for slot, adj in t) for pt, t in zip(P_TEMPLATE, TEMPLATES))
    length = sum(pt * sum(2 + adj if slot == "np" else 1 for slot, adj in t) for pt, t in zip(P_TEMPLATE, TEMPLATES))
    p = np.array(list(unigram().values()))
    return Statistics(ZIPF_S, len(p), float(length), _h(p), float(h_sentence / length))
