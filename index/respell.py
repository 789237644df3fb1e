"""A question word the sources never use, but that misspells one they do: the known spelling.

"zelenksy", "zelenskyy", "kupyansk", "kharkov" are the sources' "Zelensky", "Kupiansk",
"Kharkiv" typed another way (a slip, another transliteration). Searched as typed they match
nothing and make the question look off-topic; with the sources' spelling as an alternative they
count for what the sources say.
"""

from __future__ import annotations

from dataclasses import replace

from .corpus import Index
from .names import closest_spelling, is_rare_word
from .query import Query


def with_respellings(index: Index, query: Query, weight: float) -> Query:
    """The query with each unknown word's likely intended spelling as an alternative."""
    groups = []
    for group in query.groups:
        # Only a word that is not everyday English: "world" is no slip for "would", nor 2018
        # for 2008 (the same words rare_word_names would otherwise take for names).
        as_typed = index.uses_any(t for t, _ in group.terms) or not is_rare_word(group.surface)
        known = None if as_typed else closest_spelling(group.term, index.postings.vocab)
        groups.append(replace(group, alternatives=(*group.alternatives, (known, weight)))
                      if known else group)
    # Most questions have no unknown word: the query itself, not a copy of it.
    unchanged = all(new is old for new, old in zip(groups, query.groups, strict=True))
    return query if unchanged else replace(query, groups=tuple(groups))
