"""A unit typed short or written out: "sq km" for the sources' "square kilometres", and back.

A question word the sources never use that abbreviates a word they do (data/abbreviations.txt:
units, measures, money magnitudes, time spans) is searched with that word as an alternative, so it
is neither an unknown word that weighs against coverage nor a sign the question is off-topic. The
same holds the other way round ("kilometres" asked, "km" written). Only unknown words get one:
a question whose words the sources use is searched as it is. An ordinal typed in digits ("the 3rd
tanker") is also searched as the word news writes for it ("third").
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from .corpus import Index
from .datafiles import data_lines
from .query import Query
from .tokens import tokenize_phrase


@cache
def _forms() -> dict[str, frozenset[str]]:
    """Term → the terms of its other forms (abbreviation ↔ each written-out word), both ways."""
    forms: dict[str, set[str]] = {}
    for line in data_lines("abbreviations.txt"):
        short, _, long = line.partition(":")
        abbreviation = tokenize_phrase(short.strip())
        words = {t[0] for w in long.split(",") if len(t := tokenize_phrase(w.strip())) == 1}
        if len(abbreviation) != 1:
            continue  # a stopword or a one-letter form ("m", "t") is not searchable
        forms.setdefault(abbreviation[0], set()).update(words)
        for word in words:
            forms.setdefault(word, set()).add(abbreviation[0])
    return {term: frozenset(others) for term, others in forms.items()}


def other_forms(term: str) -> frozenset[str]:
    """The abbreviation of a written-out unit, or the words an abbreviation stands for."""
    return _forms().get(term, frozenset())


def with_unit_forms(index: Index, query: Query, weight: float) -> Query:
    """The query with each unknown word's other forms the sources use as alternatives."""
    groups = []
    for group in query.groups:
        known = [] if index.uses_any(t for t, _ in group.terms) else \
            sorted(t for t in other_forms(group.term) if index.uses_any((t,)))
        groups.append(replace(group, alternatives=(*group.alternatives,
                                                   *((t, weight) for t in known)))
                      if known else group)
    return replace(query, groups=tuple(groups))


# "1st" … "20th": news writes small ordinals as words ("the third tanker"); larger ones are dates
# ("23rd December"), which the sources write as numbers, so they are left to the number.
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
             "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
             "seventeenth", "eighteenth", "nineteenth", "twentieth")
_ORDINAL_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)


def ordinal_words(question: str) -> dict[str, str]:
    """The question's ordinals typed in digits, as number term → the word's term ("3" → "third")."""
    words: dict[str, str] = {}
    for match in _ORDINAL_RE.finditer(question):
        number = int(match.group(1))
        if 1 <= number <= len(_ORDINALS) and (term := tokenize_phrase(_ORDINALS[number - 1])):
            words[str(number)] = term[0]
    return words


def with_ordinal_words(index: Index, query: Query, weight: float) -> Query:
    """The query with each ordinal typed in digits also searched as its word, if sources use it."""
    words = {n: w for n, w in ordinal_words(query.text).items() if index.uses_any((w,))}
    if not words:
        return query
    return replace(query, groups=tuple(
        replace(g, alternatives=(*g.alternatives, (words[g.term], weight)))
        if g.term in words else g for g in query.groups))
