"""Everyday English: wordfreq's "small" English list, read once and kept in the user cache."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from .datafiles import derived, derived_key


@cache
def everyday_words() -> frozenset[str]:
    """The words of letters in wordfreq's "small" English list, kept in the user cache.

    Importing wordfreq takes ~0.1 s (langcodes, ftfy, regex), most of a one-shot `citebot ask`
    whose question has a word no source uses; the list read back from the cache takes ~0.01 s.
    A word of letters is in the list exactly when wordfreq gives it a frequency (zipf > 0).
    """
    return frozenset(derived("everyday-en", _wordlist_key(), _listed_words, _as_words))


def _listed_words() -> list[str]:
    """The words of letters in wordfreq's small English list (imports wordfreq)."""
    from wordfreq import iter_wordlist

    return sorted(w for w in iter_wordlist("en", wordlist="small") if w.isalpha())


def _as_words(saved: object) -> list[str]:
    """Saved words back (TypeError if they are not a list of strings)."""
    if not isinstance(saved, list) or not all(isinstance(w, str) for w in saved):
        raise TypeError("not a list of words")
    return saved


def _wordlist_key() -> str:
    """A hash of what the list depends on: wordfreq's English data file, and this code."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed")
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "small_en.msgpack.gz"
    return derived_key(data, Path(__file__))
