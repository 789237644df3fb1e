"""Everyday English: wordfreq's "small" English list and its frequencies (kept in the user cache).

And the stems an English inflection may stand on, so a listed word's inflection past the list's
cut-off ("fetching", "restarting") counts as listed.
"""

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
    whose question has a word no source uses; the table read back from the cache takes ~0.01 s.
    A word of letters is in the list exactly when wordfreq gives it a frequency (zipf > 0).
    """
    bins = derived("everyday-en", _wordlist_key(), _listed_words, _as_bins)
    # As wordfreq's get_frequency_dict reads its own bins: bin i holds the words of -i centibels.
    return {word: 10 ** (-i / 100) for i, words in enumerate(bins) for word in words}


def is_everyday(word: str) -> bool:
    """Whether a lowercase word, or a stem its inflection may stand on, is in the list."""
    everyday = everyday_words()
    return any(form in everyday for form in _word_forms(word))


def everyday_frequency(surface: str) -> float:
    """A word's share of English words (wordfreq), else its inflection's stem's; 0 if unlisted.

    "restarting" is past the list's cut-off: it is counted as often as "restart".
    """
    table = word_frequencies()
    word = surface.lower().split("'")[0]
    return table.get(word) or max((table.get(form, 0.0) for form in _word_forms(word)),
                                  default=0.0)


# An English inflection on an everyday stem ("fetching", "haggled") is an everyday word the
# list may miss: past its cut-off, not a name. (suffix, what the stem may have lost to it)
_INFLECTIONS = (("ing", ("", "e")), ("ed", ("", "e")), ("es", ("",)), ("s", ("",)))


def _word_forms(word: str) -> list[str]:
    """The word and the stems its English inflection may stand on ("fetching" → "fetch")."""
    forms = [word]
    for suffix, restored in _INFLECTIONS:
        stem = word.removesuffix(suffix)
        if stem != word and len(stem) >= 3:
            forms += [stem + r for r in restored]
            if len(stem) > 3 and stem[-1] == stem[-2]:  # "stopped" → "stop"
                forms.append(stem[:-1])
    return forms


def _listed_words() -> list[list[str]]:
    """The small English list as wordfreq keeps it, by frequency bin, words of letters only.

    Kept as bins, not as word → frequency, the table is a third the size and reads as fast as
    the bare list of words did.
    """
    from wordfreq import get_frequency_list

    return [sorted(w for w in words if w.isalpha())
            for words in get_frequency_list("en", wordlist="small")]


def _as_bins(saved: object) -> list[list[str]]:
    """Saved bins back (TypeError if they are not lists of words)."""
    if not isinstance(saved, list) or not all(
            isinstance(words, list) and all(isinstance(w, str) for w in words)
            for words in saved):
        raise TypeError("not a list of frequency bins")
    return saved


def _wordlist_key() -> str:
    """A hash of what the list depends on: wordfreq's English data file, and this code."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed")
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "small_en.msgpack.gz"
    return derived_key(data, Path(__file__))
