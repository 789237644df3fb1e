"""A unit typed short or written out: "sq km" for the sources' "square kilometres", and back.

A question word the sources never use that abbreviates a word they do (data/abbreviations.txt:
units, measures, money magnitudes, time spans) is searched with that word as an alternative, so it
is neither an unknown word that weighs against coverage nor a sign the question is off-topic. The
same holds the other way round ("kilometres" asked, "km" written). Only unknown words get one:
a question whose words the sources use is searched as it is.
"""

from __future__ import annotations

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
