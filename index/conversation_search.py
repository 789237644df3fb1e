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
from .tokens import tokenize
from .topics import Topics

# A follow-up mostly stays with what was just shown ("how many?", "who said that?"): sentences of
# the source of the passage shown first lead by PREFER_SOURCE, of its section by that and
# PREFER_SECTION, of its paragraph by all three. Set on conversations_dev and our own
# multi-report conversations together (grids: sentence 0-0.6, paragraph 0-0.6, section
# 0.15-0.5, source 0-1.5; the best sums of both sets' hit@1 and hit@3). A bigger lead for the
# paragraph or the sentence itself helps the one-article set and hurts the multi-report one.
PREFER_PARAGRAPH = 0.15
PREFER_SECTION = 0.3
PREFER_SOURCE = 0.6
# Novelty: a follow-up whose own words the passages just shown do not hold asks for something
# new ("when would they finish?", "why?"), so those passages (and their neighbours, which were
# shown as context) step back by this factor; one whose words they hold asks a detail of them
# ("and the other half?") and keeps them.
NOVELTY = 0.8
CARRY_SHARE = 1.0


def with_carried(query: Query, carried: Sequence[CarriedWord], topics: Topics,
                 settings: SearchSettings, required: bool) -> Query:
    """The query with earlier turns' words added, each at its carried weight.

    `required`: whether they count toward coverage. For ranking they do only when the turn has
    no topic words of its own ("why?", "for how long?"); whether the sources cover the turn is
    always judged with them (see `judged_query`).
    """
    groups = list(query.groups)
    terms = {t for g in groups for t, _ in g.terms}
    own = sum(g.weight for g in groups if g.required and not g.party)
    total = sum(word.weight for word in carried)
    # The turn's own topic words lead (a party only narrows: "and the Russian side?"): together
    # the carried words weigh at most CARRY_SHARE of them.
    scale = min(1.0, CARRY_SHARE * own / total) if own and total else 1.0
    for word in carried:
        for term in tokenize(word.surface):
            if term in terms:
                continue
            terms.add(term)
            groups.append(_group(term, word.surface, terms, topics, settings,
                                 weight=word.weight * scale, required=required))
    return replace(query, groups=tuple(groups))


def led_rows(index: Index, keys: Sequence[PassageKey]) -> tuple[int, int] | None:
    """The rows of the source `prefer_near` gives a lead (that of the passage shown first)."""
    shown = _rows_of(index, keys[:1])
    if not shown:
        return None
    source = int(index.sent_source[shown[0]])
    return int(index.source_first[source]), int(index.source_end[source])


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


def _terms_near(index: Index, rows: Sequence[int], reach: int) -> set[int]:
    """The term ids of the sentences at `rows` and the `reach` neighbours shown with them.

    Read from the tokens the build saved for each row (what tokenizing the sentence gives).
    """
    terms: set[int] = set()
    for row in rows:
        lo, hi = max(0, row - reach), min(index.size, row + reach + 1)
        terms.update(index.term_ids(lo, hi).tolist())
    return terms


def asks_new(index: Index, own: Query, shown: Sequence[int], reach: int = 1) -> bool:
    """Whether a follow-up's own words are missing from the passages just shown (± reach)."""
    own_terms = {g.term for g in own.groups if g.required}
    if not own_terms:
        return False
    vocab = index.postings.vocab
    if any(t not in vocab for t in own_terms):
        return True  # a word no source uses is in no passage shown
    return not {vocab[t] for t in own_terms} <= _terms_near(index, shown, reach)


def same_subject(index: Index, own: Query, keys: Sequence[PassageKey]) -> bool:
    """Whether a full question mid-conversation names something the section just shown holds.

    One that names nothing there starts a new subject without saying so: the passage shown
    last then leads nothing.
    """
    shown = _rows_of(index, keys[:1])
    if not shown:
        return False
    section, p = index.sent_section[shown[0]], index.postings
    return any(np.any(index.sent_section[p.ids[p.span(g.term)]] == section)
               for g in own.groups if g.required and not g.party)


def prefer_near(index: Index, scored: Scored, keys: Sequence[PassageKey],
                own: Query | None = None, reach: int = 1) -> Scored:
    """Scores with the paragraph, section and source of the passage shown last given a lead.

    With the turn's own query (`own`), the passages just shown (each with `reach` neighbouring
    sentences, the context the reader saw) step back when it asks for something they do not
    hold (novelty).
    """
    shown = _rows_of(index, keys)
    if not shown or not len(scored.rows):
        return scored
    rows, row = scored.rows, shown[0]  # the first passage: what the reader saw first
    factor = (1.0 + PREFER_PARAGRAPH * (index.sent_para[rows] == index.sent_para[row])
              + PREFER_SECTION * (index.sent_section[rows] == index.sent_section[row])
              + PREFER_SOURCE * (index.sent_source[rows] == index.sent_source[row]))
    if own is not None and asks_new(index, own, shown, reach):
        near = np.zeros(len(rows), dtype=bool)
        for seen in shown:
            near |= np.abs(rows.astype(np.int64) - seen) <= reach
        factor = np.where(near, factor * NOVELTY, factor)
    return replace(scored, scores=scored.scores * factor)


def judged_query(index: Index, query: Query, carried: Sequence[CarriedWord], topics: Topics,
                 settings: SearchSettings) -> Query:
    """A follow-up as it is judged: its own words and the carried ones the sources use, required.

    A follow-up's own words are few and often not the sources' ("in sterling?", "so how is it
    kept safe?"): judged alone they would decline answers the conversation makes clear. Its
    coverage is the better of this query's and its own, and the kind of answer it asks for may
    be near these words as well as near its own.
    """
    # A carried word the sources never use was judged in its own turn; here it would only
    # dilute the share of the follow-up that the passage covers.
    vocab = index.postings.vocab
    known = [c for c in carried if any(t in vocab for t in tokenize(c.surface))]
    return with_carried(query, known, topics, settings, required=True)
