"""How a follow-up's context reaches the ranking: carried words as query groups, a nearby-lead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .conversation import CarriedWord
from .corpus import Index
from .models import PassageKey
from .query import Query, _group
from .search import Scored
from .settings import SearchSettings
from .tokens import spans
from .topics import Topics

# A follow-up asks about what was just shown more often than not ("how many?", "who said that?"):
# sentences of the paragraph shown last lead by this share, of its section by the second.
# Set on conversations_dev; small enough that a clearly better sentence elsewhere still wins.
PREFER_PARAGRAPH = 0.6
PREFER_SECTION = 0.5
PREFER_SOURCE = 0.3
PREFER_SHOWN = 1  # the passages that count: the first shown (what the reader saw first)


def with_carried(query: Query, carried: Sequence[CarriedWord], topics: Topics,
                 settings: SearchSettings, own_words: bool) -> Query:
    """The query with earlier turns' words added, each at its carried weight.

    When the turn has topic words of its own, they alone decide whether the sources cover it
    (carried words are context); when it has none ("why?", "for how long?"), the carried words
    are what it asks about and count toward coverage.
    """
    groups = list(query.groups)
    terms = {t for g in groups for t, _ in g.terms}
    for word in carried:
        for _, _, word_terms in spans(word.surface):
            for term in word_terms:
                if term in terms:
                    continue
                terms.add(term)
                groups.append(_group(term, word.surface, terms, topics, settings,
                                     weight=word.weight, required=not own_words))
    return replace(query, groups=tuple(groups))


def _rows_of(index: Index, keys: Sequence[PassageKey]) -> list[int]:
    """The current rows of the sentences the keys name (a key whose words are gone is dropped)."""
    rows = []
    for key in keys:
        position = index.source_index(key.source_id)
        if position is None:
            continue
        record = index.sources[position]
        for row in range(record.first, record.first + record.count):
            if PassageKey.of(key.source_id, index.sentence(row)) == key:
                rows.append(row)
                break
    return rows


def prefer_near(index: Index, scored: Scored, keys: Sequence[PassageKey]) -> Scored:
    """Scores with the paragraphs and sections of the passages shown last given a small lead."""
    shown = _rows_of(index, keys[:PREFER_SHOWN])
    if not shown or not len(scored.rows):
        return scored
    shown_rows = np.asarray(shown)
    same_para = np.isin(index.sent_para[scored.rows], index.sent_para[shown_rows])
    same_section = np.isin(index.sent_section[scored.rows], index.sent_section[shown_rows])
    same_source = np.isin(index.sent_source[scored.rows], index.sent_source[shown_rows])
    factor = (1.0 + PREFER_PARAGRAPH * same_para + PREFER_SECTION * (same_section & ~same_para)
              + PREFER_SOURCE * (same_source & ~same_section))
    return replace(scored, scores=scored.scores * factor)
