"""Paraphrase: words news reports use for one another (data/synonyms.txt), as query expansions."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .datafiles import data_lines, derived, derived_key
from .tokens import tokenize_phrase

Phrase = tuple[str, ...]  # an entry's terms; a one-word entry is written as one word


@cache
def _groups() -> tuple[tuple[Phrase, ...], ...]:
    """Each line of data/synonyms.txt as its entries' terms.

    Kept in the user cache (index/datafiles.derived): tokenizing every entry is ~0.02 s of a
    one-shot `citebot ask`. The key is a hash of the tokenizer's identity, which covers its code
    and every data file, this list's among them, and of the code here.
    """
    return derived("synonyms", _key(), _tokenized_groups, _as_groups)


def _tokenized_groups() -> tuple[tuple[Phrase, ...], ...]:
    """Each line of data/synonyms.txt as its entries' terms, tokenized now."""
    lines = data_lines("synonyms.txt")
    # "step down" keeps both words: its stopword would otherwise leave "step" standing for it.
    return tuple(tuple(_entry(e.strip()) for e in line.split(",") if _entry(e.strip()))
                 for line in lines)


def _as_groups(saved: object) -> tuple[tuple[Phrase, ...], ...]:
    """Saved groups back as tuples (TypeError if they are not lists of lists of strings)."""
    if not isinstance(saved, list):
        raise TypeError("not a list of groups")
    groups = tuple(tuple(tuple(entry) for entry in group) for group in saved)
    if not all(isinstance(t, str) for group in groups for entry in group for t in entry):
        raise TypeError("a term that is not a string")
    return groups


def _key() -> str:
    """A hash of what the groups depend on: the tokenizer (and data files), and this code."""
    from .build import tokenizer_id  # the engine has imported it by now; a test may not have

    return derived_key(tokenizer_id(), Path(__file__))


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
