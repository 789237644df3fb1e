"""Paraphrase: words news reports use for one another (data/synonyms.txt), as query expansions."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from .datafiles import data_lines
from .tokens import tokenize_phrase

Phrase = tuple[str, ...]  # an entry's terms; a one-word entry is written as one word


@cache
def _groups() -> tuple[tuple[Phrase, ...], ...]:
    """Each line of data/synonyms.txt as its entries' terms."""
    lines = data_lines("synonyms.txt")
    # "step down" keeps both words: its stopword would otherwise leave "step" standing for it.
    return tuple(tuple(_entry(e.strip()) for e in line.split(",") if _entry(e.strip()))
                 for line in lines)


def _entry(text: str) -> Phrase:
    """An entry's terms; a written phrase whose other words are stopwords is kept as a phrase.

    One written word is one term: a compound ("value-added") by its joined form, which the
    tokenizer gives every compound besides its parts.
    """
    terms = tokenize_phrase(text)
    if "-" in text and " " not in text:
        return terms[-1:]
    return (*terms, "") if len(text.split()) > 1 and len(terms) == 1 else terms


@cache
def _by_term() -> dict[str, tuple[tuple[Phrase, ...], ...]]:
    """Term → the groups one of whose entries holds it."""
    index: dict[str, list[tuple[Phrase, ...]]] = {}
    for group in _groups():
        for term in {t for entry in group for t in entry}:
            index.setdefault(term, []).append(group)
    return {t: tuple(g) for t, g in index.items()}


def synonyms(term: str, question_terms: Iterable[str]) -> tuple[str, ...]:
    """One-word terms that say what `term` says, sorted; a phrase counts when the question has it.

    "station" with "power" in the question gives "plant"; a one-word entry gives the others.
    """
    have = set(question_terms) | {term}
    found: set[str] = set()
    for group in _by_term().get(term, ()):
        if any(term in entry and set(entry) - {""} <= have for entry in group):
            found.update(entry[0] for entry in group if len(entry) == 1)
    found.discard(term)
    return tuple(sorted(found))
