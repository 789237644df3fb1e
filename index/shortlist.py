"""The first stage: every candidate sentence's score from its own words and its title, cheaply.

A candidate is a sentence in rows [lo, hi) holding a question term, or of a source whose title
names one (title_rows). The first stage gives each its BM25 and title evidence, the factors that
need only the sentence (answer kind, position, named parties) and coord as far as the sentence
and its title hold the question — all from one pass over the query's postings, never a pass over
every row. The second stage (index/search.py) scores the structure around a sentence
(paragraph, section, heading) and every signal exactly, only for the best SHORTLIST_ROWS of
them. That size is not a proven bound: tests/index/test_two_stage.py checks, on every
public question set, that the answers equal those of scoring every candidate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .corpus import Index
from .evidence import Columns, field_hits, group_idf, title_focus, unseen_weight
from .query import Query
from .scratch import Scratch, distinct
from .settings import SearchSettings
from .signals import cue_factor, position_factor

# How many candidates the second stage scores: the best SHORTLIST_ROWS by first-stage score, or
# SHORTLIST_PER_ROW times the rows answer.py wants (24 for three passages with context 1) when
# more. The exhaustive answers on every public question set need 96 rows, the synthetic
# benchmark corpus (20k sentences) 384: measured by benchmarks/shortlist_size.py.
SHORTLIST_ROWS = 384
SHORTLIST_PER_ROW = 16


@dataclass(frozen=True)
class _Entries:
    """The query's postings, one entry per (term, row), with what each adds to its row."""

    rows: np.ndarray  # intp: the posting's row (a row recurs once per term it holds)
    bm25: np.ndarray  # its term's BM25 (as one group of the question, title discount applied)
    close: np.ndarray  # its group's question weight (coord), 0 for an expansion
    named: np.ndarray | None  # 1 where its group names a party (None: no group does)
    source: np.ndarray | None  # its row's source (None: no title holds a question term)


def candidates(rows: np.ndarray, work: Scratch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each distinct row once (in no particular order), its entry, and each entry's slot.

    No sort and no pass over all rows: the position scratch array records, for every row, the
    last entry written for it; the entries that find themselves there are one per row.
    """
    entry = np.arange(len(rows), dtype=work.position.dtype)
    work.position[rows] = entry
    taken = np.flatnonzero(work.position[rows] == entry)
    each_once = rows[taken]
    work.position[each_once] = np.arange(len(each_once), dtype=work.position.dtype)
    return each_once, taken, work.position[rows]


def shortlisted(index: Index, query: Query, settings: SearchSettings, cols: list[Columns],
                titled: np.ndarray, work: Scratch, limit: int | None) -> np.ndarray:
    """The candidates with the best first-stage scores, ascending (every one without a limit)."""
    entries = _entries(index, query, settings, cols)
    rows, taken, slot = candidates(np.concatenate([entries.rows, titled.astype(np.intp)]), work)
    size = len(rows) if limit is None else max(SHORTLIST_ROWS, SHORTLIST_PER_ROW * limit)
    if len(rows) <= size:
        return np.sort(rows)
    slot = slot[:len(entries.rows)]
    n = len(rows)
    base, close = _sums(slot, entries.bm25, n), _sums(slot, entries.close, n)
    parties = sum(1 for g in query.groups if g.party) if settings.party_focus else 0
    named = _sums(slot, entries.named, n) if parties and entries.named is not None else None
    title_base, title_close = _title_evidence(index, query, settings)
    if title_base is not None:
        # Each candidate's source from its entry's: no second look-up in the row arrays.
        source = index.sent_source[rows] if entries.source is None else \
            np.concatenate([entries.source, index.sent_source[titled]])[taken]
        base += title_base[source]
        close += title_close[source]
    base *= _row_factors(index, query, settings)[rows]
    if named is not None:
        base *= 1.0 + settings.party_focus * named / parties
    total = _total_weight(index, query)
    if total and settings.coord_weight:
        base *= 1.0 - settings.coord_weight + settings.coord_weight * np.minimum(
            close, total) / total
    return np.sort(rows[_best(base, size)])


def _best(scores: np.ndarray, size: int) -> np.ndarray:
    """The positions of the `size` highest scores: the same ones np.argpartition picks.

    Selected among the scores at or above a floor that a sample of them proves low enough (at
    least `size` sampled scores reach it); a tie across the cut leaves the choice among equal
    scores to np.argpartition over all of them, as before.
    """
    n = len(scores)
    everyone = n - size
    if n >= _SAMPLED_ABOVE * size:
        sample = scores[::_SAMPLE_STEP]
        floor = np.partition(sample, len(sample) - size)[len(sample) - size]
        above = np.flatnonzero(scores >= floor)
        picked = above[np.argpartition(scores[above], len(above) - size)[len(above) - size:]]
        last = scores[picked].min()
        if np.count_nonzero(scores[above] == last) == np.count_nonzero(scores[picked] == last):
            return picked
    return np.argpartition(scores, everyone)[everyone:]


# A sample of every _SAMPLE_STEP-th score, when there are _SAMPLED_ABOVE × as many as wanted
# (the sample then holds twice as many as wanted, and about 1 in 8 scores reach its floor).
_SAMPLE_STEP = 16
_SAMPLED_ABOVE = 32


def _row_factors(index: Index, query: Query, settings: SearchSettings) -> np.ndarray:
    """Every row's answer-kind × position factor for this kind of question.

    One pass over all rows the first time a kind of question is asked, one look-up per
    candidate after that (4 bytes a row each, kept with the index: Index.derive).
    """
    def position() -> np.ndarray:  # the same for every kind of question
        return index.derive(("position", settings),
                            lambda: position_factor(index, np.arange(index.size), settings))

    def factors() -> np.ndarray:
        every = np.arange(index.size)
        return np.broadcast_to(np.asarray(
            cue_factor(index, every, query.expects, settings) * position(), dtype=np.float32),
            (index.size,))

    return index.derive(("factors", int(query.expects), settings), factors)


def _estimate_norm(index: Index) -> np.ndarray:
    """Every row's BM25 length normalisation in single precision (half the memory to read).

    Enough to rank by: the second stage computes every score from the exact float64 one.
    """
    return index.derive("norm32", lambda: index.postings.row_norm.astype(np.float32))


def _sums(slot: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Per candidate slot, the sum of its entries' values (float even with no entries)."""
    return np.bincount(slot, weights=values, minlength=n).astype(np.float64, copy=False)


def _total_weight(index: Index, query: Query) -> float:
    """The question weight coord and coverage divide by."""
    unseen = unseen_weight(index, query)
    return sum(w if (w := group_idf(index, g)) > 0 else unseen
               for g in query.groups if g.required)


def _entries(index: Index, query: Query, settings: SearchSettings,
             cols: list[Columns]) -> _Entries:
    """Every posting of the query's terms with its BM25, coord weight and party mark."""
    k1, unseen = index.params.k1, unseen_weight(index, query)
    ids, counts, per_term, titled = [], [], [], []
    for group, group_cols in zip(query.groups, cols, strict=True):
        idf = group_idf(index, group)
        weight = (idf if idf > 0 else unseen) if group.required else 0.0
        hits = field_hits(index.title_terms, group) if not group.party else ()
        for term_ids, term_counts, factor in group_cols:
            if len(hits):
                titled.append((len(ids), hits))
            ids.append(term_ids)
            counts.append(term_counts)
            per_term.append((factor, group.weight * idf, weight, float(group.party)))
    if not ids:
        empty = np.zeros(0)
        return _Entries(np.zeros(0, dtype=np.intp), empty, empty, None, None)
    lengths = [len(i) for i in ids]
    factor, scale, close, named = zip(*per_term, strict=True)
    rows = np.concatenate(ids, dtype=np.intp)
    tf = np.concatenate(counts).astype(np.float64)
    if any(f != 1.0 for f in factor):  # an alternative counts at its factor
        tf *= np.repeat(factor, lengths)
    # (k1 + 1) · idf · tf / (tf + norm): the same value as BM25 up to rounding (a ranking only)
    bm25 = np.repeat(np.asarray(scale) * (k1 + 1), lengths) * tf
    bm25 /= tf + _estimate_norm(index)[rows]
    # Every entry's source once, when a title holds a question term: the discount below and
    # the candidates' title evidence (shortlisted) both need it.
    source = index.sent_source[rows] if any(
        len(field_hits(index.title_terms, g)) for g in query.groups) else None
    ends = np.cumsum(lengths)
    for term, hits in titled:  # a title term said again in the sentence counts less (search.py)
        segment = slice(ends[term] - lengths[term], ends[term])
        share = np.zeros(len(index.sources))  # the title focus of the sources it titles
        share[hits] = title_focus(index, settings)[hits]
        bm25[segment] *= 1.0 - settings.title_discount * share[source[segment]]
    return _Entries(rows, bm25, np.repeat(close, lengths),
                    np.repeat(named, lengths) if any(named) else None, source)


def _title_evidence(index: Index, query: Query, settings: SearchSettings,
                    ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Per source: the title evidence every sentence of it gets, and its coord weight."""
    evidence = close = None
    focus = title_focus(index, settings)
    unseen = unseen_weight(index, query)
    for group in query.groups:
        hits = field_hits(index.title_terms, group)
        if not len(hits):
            continue
        if evidence is None or close is None:
            evidence, close = np.zeros(len(index.sources)), np.zeros(len(index.sources))
        hits = distinct(hits)
        idf = group_idf(index, group)
        discount = 0.0 if group.party else settings.title_discount
        evidence[hits] += group.weight * idf * (discount + settings.title_weight) * focus[hits]
        if group.required:
            close[hits] += idf if idf > 0 else unseen
    return evidence, close
