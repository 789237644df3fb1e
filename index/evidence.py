"""A term group's evidence for candidate sentences: its rows, BM25, idf and title/heading hits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as memo_field

import numpy as np

from .corpus import Index, remembered
from .query import Query, TermGroup
from .scratch import distinct
from .settings import SearchSettings

Columns = list[tuple[np.ndarray, np.ndarray, float]]  # a group's terms: rows, counts, factor


def columns(index: Index, group: TermGroup, lo: int, hi: int) -> Columns:
    """The rows and term counts of a group's terms, limited to rows [lo, hi)."""
    out = []
    p = index.postings
    for term, factor in group.terms:
        where = p.span(term)
        ids, tf = p.ids[where], p.tf[where]
        if len(ids) and (lo > 0 or hi < index.size):
            a, b = ids.searchsorted(lo), ids.searchsorted(hi)
            ids, tf = ids[a:b], tf[a:b]
        if len(ids):
            out.append((ids, tf, factor))
    return out


def group_idf(index: Index, group: TermGroup) -> float:
    """How much a group weighs: its best term's idf (an unseen term weighs like the rarest)."""
    # ~55 reads a question, of ~7 groups: kept per index (read first, without a closure)
    idfs = _memo(index).idfs
    found = idfs.get(group.terms)
    return found if found is not None else remembered(
        idfs, group.terms, lambda: _group_idf(index, group), _KEPT_IDFS)


def _group_idf(index: Index, group: TermGroup) -> float:
    """group_idf, from each term's kept idf."""
    idfs = [_term_idf(index, term) for term, _ in group.terms]
    known = [idf * factor for idf, (_, factor) in zip(idfs, group.terms, strict=True)
             if idf is not None]
    return max(known) if known else 0.0


_KEPT_IDFS = 1 << 18  # terms (and groups) asked about; unseen words are kept too: bounded


def _term_idf(index: Index, term: str) -> float | None:
    """A term's idf as a float (None: the sources never use it), kept (a numpy look-up: ~0.3 µs)."""
    p = index.postings
    return remembered(_memo(index).term_idfs, term,
                      lambda: float(p.idf[p.vocab[term]]) if term in p.vocab else None,
                      _KEPT_IDFS)


@dataclass(frozen=True)
class Weights:
    """A query's group idfs (group_idf, in group order) and its unseen word's weight.

    Worked out once a search: both stages read them ~40 times a question.
    """

    idf: tuple[float, ...]
    # What a question word the sources never use weighs: the mean of the required known words'.
    # Neither the rarest (a common word like "control" would then veto a good answer) nor nothing
    # (a question about something else entirely must not be answered from one shared word).
    unseen: float

    @classmethod
    def of(cls, index: Index, query: Query) -> Weights:
        """The query's weights in this index."""
        idf = tuple(group_idf(index, g) for g in query.groups)
        known = [w for w, g in zip(idf, query.groups, strict=True) if g.required and w > 0]
        return cls(idf=idf, unseen=sum(known) / len(known) if known else 1.0)

    def required(self, position: int) -> float:
        """What a required group weighs in coverage and coord: its idf, else the unseen weight."""
        idf = self.idf[position]
        return idf if idf > 0 else self.unseen


def title_focus(index: Index, settings: SearchSettings) -> np.ndarray:
    """Per source: how much a title term says what the source is about.

    All of it in a title of `title_focus` terms or fewer (an encyclopedia entry's "Mount
    Kilimanjaro"); a share in a longer one (one word of a ten-word news headline is not what the
    report is about, so it neither lifts every sentence nor discounts the ones that say it).
    """
    if not settings.title_focus:
        return np.ones(len(index.sources))
    return index.derive(("title_focus", settings.title_focus), lambda: _read_only(np.minimum(
        1.0, settings.title_focus / np.maximum(index.title_term_counts, 1.0))))


def _read_only(array: np.ndarray) -> np.ndarray:
    """The array, no longer writable (it is shared by every question)."""
    array.flags.writeable = False
    return array


def field_hits(field: Mapping[str, np.ndarray], group: TermGroup) -> np.ndarray:
    """The ids (sections or sources) whose heading or title holds one of a group's terms."""
    found = [field[t] for t, _ in group.terms if t in field]
    return np.concatenate(found) if found else _NO_HITS


def title_hits(index: Index, group: TermGroup) -> np.ndarray:
    """field_hits of the sources' titles, kept per index (~20 reads a question; read-only)."""
    return _kept_hits(_memo(index).titles, index.title_terms, group)


def title_sources(index: Index, group: TermGroup) -> np.ndarray:
    """The sources whose title holds one of a group's terms, sorted, each once (kept, read-only)."""
    kept = _memo(index).title_sources
    found = kept.get(group.terms)
    return found if found is not None else remembered(
        kept, group.terms, lambda: _read_only(distinct(title_hits(index, group))), _KEPT_HITS)


def heading_hits(index: Index, group: TermGroup) -> np.ndarray:
    """field_hits of the sections' headings, kept per index (read-only)."""
    return _kept_hits(_memo(index).headings, index.heading_terms, group)


def _kept_hits(kept: dict[GroupTerms, np.ndarray], field: Mapping[str, np.ndarray],
               group: TermGroup) -> np.ndarray:
    """A group's field_hits, made once per index and group terms."""
    found = kept.get(group.terms)
    return found if found is not None else remembered(
        kept, group.terms, lambda: _read_only(field_hits(field, group)), _KEPT_HITS)


GroupTerms = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class _GroupMemo:
    """What a group's terms give in one index, kept for the next question (one derived value)."""

    idfs: dict[GroupTerms, float] = memo_field(default_factory=dict)
    term_idfs: dict[str, float | None] = memo_field(default_factory=dict)
    titles: dict[GroupTerms, np.ndarray] = memo_field(default_factory=dict)
    title_sources: dict[GroupTerms, np.ndarray] = memo_field(default_factory=dict)
    headings: dict[GroupTerms, np.ndarray] = memo_field(default_factory=dict)


def _memo(index: Index) -> _GroupMemo:
    """The index's per-group memo."""
    return index.derive("per group", _GroupMemo)


_NO_HITS = _read_only(np.zeros(0, dtype=np.int32))
_KEPT_HITS = 1 << 14  # groups asked about (an array each, most of them empty)
