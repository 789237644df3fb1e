"""Everyday English: wordfreq's "small" English list and its frequencies, kept in the user cache."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from .datafiles import derived, derived_key


@cache
def everyday_words() -> frozenset[str]:
    """The words of letters in wordfreq's "small" English list (see word_frequencies)."""
    return frozenset(word_frequencies())


@cache
def word_frequencies() -> Mapping[str, float]:
    """Each word of letters in wordfreq's "small" English list: its share of English words.

    Importing wordfreq takes ~0.1 s (langcodes, ftfy, regex), most of a one-shot `citebot ask`
    whose question has a word no source uses; the table read back from the cache takes ~0.02 s.
    A word of letters is in the list exactly when wordfreq gives it a frequency (zipf > 0).
    """
    return derived("everyday-en", _wordlist_key(), _listed_words, _as_frequencies)


def _listed_words() -> dict[str, float]:
    """The words of letters in wordfreq's small English list, with frequencies (imports it)."""
    from wordfreq import get_frequency_dict

    table = get_frequency_dict("en", wordlist="small")
    return {w: table[w] for w in sorted(table) if w.isalpha()}


def _as_frequencies(saved: object) -> dict[str, float]:
    """Saved frequencies back (TypeError if they are not words with numbers)."""
    if not isinstance(saved, dict) or not all(
            isinstance(w, str) and isinstance(f, float) for w, f in saved.items()):
        raise TypeError("not a table of word frequencies")
    return saved


def _wordlist_key() -> str:
    """A hash of what the list depends on: wordfreq's English data file, and this code."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed")
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "small_en.msgpack.gz"
    return derived_key(data, Path(__file__))
