"""A question word the sources never use, but that misspells one they do: the known spelling.

"zelenksy", "zelenskyy", "kupyansk", "kharkov" are the sources' "Zelensky", "Kupiansk",
"Kharkiv" typed another way (a slip, another transliteration). Searched as typed they match
nothing and make the question look off-topic; with the sources' spelling as an alternative they
count for what the sources say.
"""

from __future__ import annotations

from dataclasses import replace

from .corpus import Index
from .names import closest_spelling, is_rare_word, spelling_variants
from .query import Query, TermGroup


def with_respellings(index: Index, query: Query, weight: float) -> Query:
    """The query with each unknown word's likely intended spelling as an alternative.

    A name the sources use is searched in their other spellings of it too (spelled_alike).
    Everyday words are left alone either way: "world" is no slip for "would", nor 2018 for 2008,
    nor "diner" another spelling of "dinner".
    """
    groups = []
    for group in query.groups:
        # is_rare_word reads the everyday-word list (index/everyday): asked only when it matters.
        if index.uses_any(t for t, _ in group.terms):
            variants = spelling_variants(group.term, index.postings.vocab)
            groups.append(spelled_alike(index, group, variants, weight)
                          if variants and is_rare_word(group.surface) else group)
        elif is_rare_word(group.surface):
            known = closest_spelling(group.term, index.postings.vocab)
            groups.append(replace(group, alternatives=(*group.alternatives, (known, weight)))
                          if known else group)
        else:
            groups.append(group)
    # Most questions have no unknown word: the query itself, not a copy of it.
    unchanged = all(new is old for new, old in zip(groups, query.groups, strict=True))
    return query if unchanged else replace(query, groups=tuple(groups))


def spelled_alike(index: Index, group: TermGroup, variants: tuple[str, ...],
                  weight: float) -> TermGroup:
    """A name's group with the sources' other spellings of it ("Zelenskyy" for "Zelensky").

    Each counts as the name itself, at most: a spelling rarer than the one typed counts by the
    typed one's idf (factor idf typed / idf variant), so a sentence in either spelling holds
    the name (coverage) and one outlet's rare spelling does not make the name weigh more. A
    word the sources never use as typed (known by another alternative) is a guess: `weight`.
    """
    postings = index.postings
    typed = float(postings.idf[postings.vocab[group.term]]) if group.term in postings.vocab \
        else None
    alternatives = []
    for variant in variants:
        idf = float(postings.idf[postings.vocab[variant]])
        factor = weight if typed is None else 1.0 if idf <= typed else max(typed, 0.0) / idf
        alternatives.append((variant, factor))
    return replace(group, alternatives=(*group.alternatives, *alternatives))
