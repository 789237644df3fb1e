"""Names in questions: countries and their demonyms (folded both ways), and name-like words."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

import numpy as np

from .corpus import remembered
from .datafiles import data_lines
from .everyday import everyday_words, is_everyday
from .tokens import tokenize_phrase

# A word this short may be an acronym typed in lowercase ("isw", "znpp"), not a name.
_MIN_NAME_LETTERS = 5
# A word this close to one the sources use misspells it ("zelenksy"); 0.8 took "orban" for "organ".
_MISSPELLING = 0.85
_DOUBLED = re.compile(r"(.)\1+")
# "the us plan", "us-led", "u.s.": typed in lowercase, the United States reads as the pronoun
# "us", a stopword, and the question loses the country. Only where the pronoun cannot stand:
# after "the", before a hyphen, or with its dots.
_LOWERCASE_US = re.compile(r"(?<=\b[Tt]he )us\b|\bus(?=-[^\W\d_])|\bu\.s\b\.?")


def with_country_case(question: str) -> str:
    """The question with a lowercase "the us", "us-led" or "u.s." written as the country ("US")."""
    return _LOWERCASE_US.sub(lambda match: match.group(0).upper(), question)


@cache
def _place_groups() -> dict[str, frozenset[str]]:
    """Term → every one-word term naming the same country (from data/demonyms.txt)."""
    groups: dict[str, frozenset[str]] = {}
    for line in data_lines("demonyms.txt"):
        name, _, forms = line.partition(":")
        words = [name, *forms.split(",")]
        terms = frozenset(t[0] for w in words if len(t := tokenize_phrase(w.strip())) == 1)
        for term in terms:
            groups[term] = groups.get(term, frozenset()) | terms
    return groups


@cache
def _named_terms() -> frozenset[str]:
    """One-word names of places and bodies (data/places.txt), and every country term."""
    names = data_lines("places.txt")
    return frozenset(t[0] for n in names if len(t := tokenize_phrase(n)) == 1) | frozenset(
        _place_groups())


def place_alternatives(term: str) -> tuple[str, ...]:
    """The other one-word names of the country a term names ("german" → "germani"), sorted."""
    return tuple(sorted(_place_groups().get(term, frozenset()) - {term}))


def is_place(term: str) -> bool:
    """Whether a term names a country or its people, a capital or an international body."""
    return term in _named_terms()


def looks_like_name(surface: str, term: str, first: bool) -> bool:
    """Whether a question word names someone or something: a place, or a capitalised word.

    A capitalised word is a name unless it starts the question (sentence case) or is an acronym
    (news spells acronyms out as often as not: "VAT" is "value-added tax"), which decides nothing.
    """
    if is_place(term):
        return True
    if first:
        return False
    letters = [c for c in surface if c.isalpha()]
    if not letters or not letters[0].isupper():
        return False
    return any(c.islower() for c in letters[1:])


def is_rare_word(surface: str) -> bool:
    """Whether a word is not everyday English, so (typed in any case) most likely a name.

    Not everyday: absent from wordfreq's "small" list, the words used at least once per million.
    """
    word = surface.lower().split("'")[0]
    if len(word) < _MIN_NAME_LETTERS or not word.isalpha():
        return False
    return not is_everyday(word) and not _solid_compound(word)


# Each part of a compound written solid ("wishlist", "counteroffer") is this long at least:
# shorter parts split names too ("Yermak": "yer" + "mak").
_COMPOUND_PART = 4


def _solid_compound(word: str) -> bool:
    """Whether a word is two everyday words written as one ("wish" + "list"): not a name."""
    everyday = everyday_words()
    return any(word[:i] in everyday and is_everyday(word[i:])
               for i in range(_COMPOUND_PART, len(word) - _COMPOUND_PART + 1))


def prepare_spellings(vocabulary: Collection[str]) -> None:
    """Make closest_spelling's tables for a vocabulary now, not on the questions needing them.

    ~70 ms at 100k sentences; a misspelled word's first question then takes ~0.4 ms more, not ~3.
    """
    _spellings(vocabulary).fold_all()


def spelling_variants(term: str, vocabulary: Collection[str]) -> tuple[str, ...]:
    """The vocabulary's other spellings of a term: the same word once transliteration is folded.

    "zelenski" (Zelensky): "zelenskiy" (Reuters' Zelenskiy), "zelenskyy" (Zelenskyy); reports
    from several outlets spell one name several ways.
    """
    return _spellings(vocabulary).variants(term)


def misspells(term: str, vocabulary: Collection[str]) -> bool:
    """Whether a term is a likely misspelling of a term the sources use."""
    return closest_spelling(term, vocabulary) is not None


def closest_spelling(term: str, vocabulary: Collection[str]) -> str | None:
    """The term the sources use that a term most likely misspells ("zelenksi"), or None."""
    return _spellings(vocabulary).closest(term)


def _transliterated(term: str) -> str:
    """A term with the letters transliterations disagree on folded: y → i, doubled → single."""
    return _DOUBLED.sub(r"\1", term.replace("y", "i"))


def _transliterated_lines(lines: str) -> str:
    """_transliterated of every line at once (one array pass, ~10x faster than the regex).

    Each run of one character, other than a line break, is kept as its first character.
    """
    codes = np.frombuffer(lines.replace("y", "i").encode("utf-32-le"), dtype=np.uint32)
    keep = np.ones(len(codes), dtype=bool)
    keep[1:] = (codes[1:] != codes[:-1]) | (codes[1:] == ord("\n"))
    return codes[keep].tobytes().decode("utf-32-le")


@dataclass(frozen=True)
class _Shape:
    """The folded forms of the terms of one first letter and length."""

    first_term: dict[str, str]  # folded form → the alphabetically first term folding to it
    forms: list[str]
    letters: np.ndarray  # int [forms, _BINS]: each form's letters, counted by code point bin
    lengths: np.ndarray  # int [forms]
    alike: dict[str, tuple[str, ...]]  # folded form → its terms, where two or more fold to it
    with_kh: dict[str, tuple[str, ...]]  # a folded form with "kh" as "k" → its terms


class _Spellings:
    """A vocabulary's spellings by first letter and length, folded, with answers found so far.

    What difflib.get_close_matches would pick among the folded forms of the terms within two
    letters of a term's length (the alphabetically first term of a folded form standing for it),
    found fast: the letters two words share bound difflib's ratio from above (its quick_ratio),
    and counting them in bins only raises the bound, so one array operation drops only forms
    difflib would drop, and difflib itself picks among the few left. Scanning with difflib
    alone took ~30 ms a term at 100k sentences (tests/index/test_closest_spelling.py compares).
    """

    def __init__(self, vocabulary: Collection[str]) -> None:
        self.shapes: dict[tuple[str, int], list[str]] = {}
        for v in vocabulary:
            self.shapes.setdefault((v[:1], len(v)), []).append(v)
        self.folded: dict[tuple[str, int], _Shape] = {}  # filled as shapes are asked
        self.found: dict[str, str | None] = {}  # answering threads share it: get, never index
        self.alike: dict[str, tuple[str, ...]] = {}  # variants() so far, shared the same way

    def _folded(self, shape: tuple[str, int]) -> _Shape:
        """One shape's folded forms, each with the alphabetically first term folding to it."""
        found = self.folded.get(shape)
        if found is None:
            terms = sorted(self.shapes.get(shape, ()), reverse=True)
            # In reverse order, so the first term of a folded form is the one kept; folded in
            # one pass over the terms a line each (an index term holds no line break).
            lines = "\n".join(terms)
            folded = _transliterated_lines(lines).split("\n") \
                if lines.count("\n") == len(terms) - 1 else [_transliterated(t) for t in terms]
            first_term = dict(zip(folded, terms, strict=True))
            forms = list(first_term)
            lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms))
            alike: dict[str, list[str]] = {}
            if len(forms) < len(terms):  # some terms fold alike
                for form, term in zip(folded, terms, strict=True):
                    alike.setdefault(form, []).append(term)
            # A term with "kh" is a variant of its "k" form too. Not in the misspelling fold:
            # shorter forms would score "kharkov" below the 0.85 cut against "kharkiv".
            with_kh: dict[str, list[str]] = {}
            for form, term in zip(folded, terms, strict=True):
                if "kh" in form:
                    with_kh.setdefault(form.replace("kh", "k"), []).append(term)
            found = self.folded[shape] = _Shape(
                first_term, forms, _letter_counts(forms, lengths), lengths,
                {f: tuple(ts) for f, ts in alike.items() if len(ts) > 1},
                {f: tuple(ts) for f, ts in with_kh.items()})
        return found

    def fold_all(self) -> None:
        """Fold every shape now (a serving process's warm-up: no question then pays for it)."""
        for shape in list(self.shapes):
            self._folded(shape)

    def variants(self, term: str) -> tuple[str, ...]:
        """The other terms that fold to the same form as `term` (none for most terms; kept)."""
        # Every known word of every question asks (with_respellings): ~0.1 ms each worked out.
        return remembered(self.alike, term, lambda: self._variants(term), _KEPT_SPELLINGS)

    def _variants(self, term: str) -> tuple[str, ...]:
        """variants, worked out."""
        key = _transliterated(term).replace("kh", "k")  # Cyrillic х: "Likhachev", "Likachev"
        found: list[str] = []
        for n in range(len(term) - 2, len(term) + 3):  # folding drops doubled letters
            if (term[:1], n) not in self.shapes:
                continue
            shape = self._folded((term[:1], n))
            if key in shape.first_term:
                found += shape.alike.get(key, (shape.first_term[key],))
            found += shape.with_kh.get(key, ())
        return tuple(sorted(t for t in set(found) if t != term))

    def closest(self, term: str) -> str | None:
        """The vocabulary's term a term most likely misspells, or None (kept per term)."""
        return remembered(self.found, term, lambda: self._closest(term), _KEPT_SPELLINGS)

    def _closest(self, term: str) -> str | None:
        """closest, worked out."""
        shapes = [self._folded((term[:1], n)) for n in range(len(term) - 2, len(term) + 3)]
        typed = _transliterated(term)
        letters = _letter_counts([typed])[0]
        likely: list[str] = []
        for shape in shapes:
            bound = 2.0 * np.minimum(shape.letters, letters).sum(axis=1) / (
                shape.lengths + len(typed))
            likely += [shape.forms[i] for i in np.flatnonzero(bound >= _MISSPELLING - _ROUNDING)]
        # difflib's choice (the highest ratio, then the greatest form) whatever the order.
        best = difflib.get_close_matches(typed, list(dict.fromkeys(likely)), n=1,
                                         cutoff=_MISSPELLING)
        return min(v for shape in shapes if (v := shape.first_term.get(best[0]))) \
            if best else None


def _letter_counts(words: list[str], lengths: np.ndarray | None = None) -> np.ndarray:
    """Each word's letters counted into _BINS bins by code point (int [words, _BINS])."""
    codes = np.frombuffer("".join(words).encode("utf-32-le"), dtype=np.uint32) % _BINS
    sizes = [len(w) for w in words] if lengths is None else lengths
    owner = np.repeat(np.arange(len(words)), sizes)
    counts = np.bincount(owner * _BINS + codes, minlength=len(words) * _BINS).reshape(-1, _BINS)
    # A count is at most its word's length: one byte holds it exactly for words under 256
    # letters (an eighth of the memory, for every term of the vocabulary once folded).
    return counts.astype(np.uint8) if len(owner) and max(sizes) < 256 else counts


_BINS = 32  # a to z fall in bins of their own; other letters may share one (a looser bound)
_KEPT_SPELLINGS = 4096
_ROUNDING = 1e-9  # the bound and difflib may round 2·matches / length apart in the last bit
_SPELLINGS: list[tuple[Collection[str], int, _Spellings]] = []


def _spellings(vocabulary: Collection[str]) -> _Spellings:
    """The spellings of the last vocabulary seen (an old index's are let go)."""
    for seen, size, spellings in _SPELLINGS:
        if seen is vocabulary and size == len(vocabulary):
            return spellings
    spellings = _Spellings(vocabulary)
    _SPELLINGS[:] = [(vocabulary, len(vocabulary), spellings)]
    return spellings
