"""Names in questions: countries and their demonyms (folded both ways), and name-like words."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from functools import cache
from importlib import resources

from .tokens import tokenize_phrase

# A word this short may be an acronym typed in lowercase ("isw", "znpp"), not a name.
_MIN_NAME_LETTERS = 5
# A word this close to one the sources use misspells it ("zelenksy"); 0.8 took "orban" for "organ".
_MISSPELLING = 0.85
_DOUBLED = re.compile(r"(.)\1+")


@cache
def _place_groups() -> dict[str, frozenset[str]]:
    """Term → every one-word term naming the same country (from data/demonyms.txt)."""
    text = resources.files("index").joinpath("data/demonyms.txt").read_text(encoding="utf-8")
    groups: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, forms = line.partition(":")
        words = [name, *forms.split(",")]
        terms = frozenset(t[0] for w in words if len(t := tokenize_phrase(w.strip())) == 1)
        for term in terms:
            groups[term] = groups.get(term, frozenset()) | terms
    return groups


@cache
def _named_terms() -> frozenset[str]:
    """One-word names of places and bodies (data/places.txt), and every country term."""
    text = resources.files("index").joinpath("data/places.txt").read_text(encoding="utf-8")
    names = (line.strip() for line in text.splitlines() if line.strip() and line[0] != "#")
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
    letters = [c for c in surface if c.isalpha()]
    if not letters or not letters[0].isupper() or first:
        return False
    return any(c.islower() for c in letters[1:])


def is_rare_word(surface: str) -> bool:
    """Whether a word is not everyday English, so (typed in any case) most likely a name.

    Not everyday: absent from wordfreq's "small" list, the words used at least once per million.
    """
    word = surface.lower().split("'")[0]
    if len(word) < _MIN_NAME_LETTERS or not word.isalpha():
        return False
    # Imported here: wordfreq takes ~0.1 s to import and only this rare path needs it.
    from wordfreq import zipf_frequency
    return zipf_frequency(word, "en", wordlist="small") == 0


def misspells(term: str, vocabulary: Collection[str]) -> bool:
    """Whether a term is a likely misspelling of a term the sources use."""
    return closest_spelling(term, vocabulary) is not None


def closest_spelling(term: str, vocabulary: Collection[str]) -> str | None:
    """The term the sources use that a term most likely misspells ("zelenksi"), or None."""
    shapes = _shapes(vocabulary)
    near = [v for length in range(len(term) - 2, len(term) + 3)
            for v in shapes.get((term[:1], length), ())]
    # Compared as transliterations differ: "zelenskyy"/"zelenski", "donbass"/"donbas".
    folded: dict[str, str] = {}
    for v in sorted(near):  # the first of a folded form wins: not the order of `near`
        folded.setdefault(_transliterated(v), v)
    found = difflib.get_close_matches(_transliterated(term), folded, n=1, cutoff=_MISSPELLING)
    return folded[found[0]] if found else None


def _transliterated(term: str) -> str:
    """A term with the letters transliterations disagree on folded: y → i, doubled → single."""
    return _DOUBLED.sub(r"\1", term.replace("y", "i"))


_SHAPES: list[tuple[Collection[str], int, dict[tuple[str, int], list[str]]]] = []


def _shapes(vocabulary: Collection[str]) -> dict[tuple[str, int], list[str]]:
    """The vocabulary's terms by first letter and length, kept for the last vocabulary seen.

    Scanning a whole index's vocabulary took ~30 ms a question at 100k sentences.
    """
    for seen, size, shapes in _SHAPES:
        if seen is vocabulary and size == len(vocabulary):
            return shapes
    shapes = {}
    for v in vocabulary:
        shapes.setdefault((v[:1], len(v)), []).append(v)
    _SHAPES[:] = [(vocabulary, len(vocabulary), shapes)]  # one: an old index's is let go
    return shapes
