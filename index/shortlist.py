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
from itertools import accumulate

import numpy as np

from .corpus import Index
from .evidence import Columns, Weights, title_focus, title_sources
from .query import Query
from .scratch import Scratch
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


def candidates(rows: np.ndarray, work: Scratch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each distinct row once (in no particular order), its entry, and each entry's row's entry.

    No sort and no pass over all rows: the position scratch array records, for every row, the
    last entry written for it; that entry stands for the row (the entries that find themselves
    there are one per row), and every entry of the row reads it back.
    """
    entry = np.arange(len(rows), dtype=work.position.dtype)
    work.position[rows] = entry
    owner = work.position[rows]
    taken = (owner == entry).nonzero()[0]
    return rows[taken], taken, owner


def _candidates_of(index: Index, sources: np.ndarray, every: np.ndarray,
                   work: Scratch) -> tuple[np.ndarray, np.ndarray]:
    """The entries standing for the candidate rows of some sources, and each one's source.

    Read from the position marks candidates() left: a row's mark names an entry of `every`
    that is that row only if the row is a candidate (a stale mark of an earlier query names
    another row, or none).
    """
    row, source = index.source_rows(sources)
    mark = work.position[row]
    held = every[np.minimum(mark, len(every) - 1)] == row
    return mark[held], source[held]


def shortlisted(index: Index, query: Query, settings: SearchSettings, cols: list[Columns],
                titled: np.ndarray, work: Scratch, limit: int | None,
                keep: tuple[int, int] | None = None, weights: Weights | None = None,
                depth: int = 1) -> np.ndarray:
    """The candidates with the best first-stage scores, ascending (every one without a limit).

    The candidates in rows [keep) are kept whatever their score: a follow-up's lead for the
    source shown last (index/conversation_search.prefer_near) may lift any of them. `depth`
    times the usual passages wanted: the floor grows with it (SHORTLIST_ROWS was measured for
    three).
    """
    weights = weights or Weights.of(index, query)
    entries = _entries(index, query, settings, cols, weights)
    every = np.concatenate([entries.rows, titled.astype(np.intp)]) if len(titled) else entries.rows
    rows, taken, owner = candidates(every, work)
    size = len(rows) if limit is None else max(SHORTLIST_ROWS * depth, SHORTLIST_PER_ROW * limit)
    if len(rows) <= size:
        return np.sort(rows)
    owner = owner[:len(entries.rows)]
    parties = sum(1 for g in query.groups if g.party) if settings.party_focus else 0
    named = _sums(owner, entries.named, taken) if parties and entries.named is not None else None
    base, close = _sums(owner, entries.bm25, taken), _sums(owner, entries.close, taken)
    title_base, title_close = _title_evidence(index, query, settings, weights)
    if title_base is not None:
        # Only the candidates of the sources a title names get title evidence (a source's
        # rows are consecutive): no look-up of every candidate's source.
        named_sources = np.flatnonzero((title_base != 0) | (title_close != 0))
        at, source = _candidates_of(index, named_sources, every, work)
        slot = taken.searchsorted(at)
        base[slot] += title_base[source]
        close[slot] += title_close[source]
    base *= _row_factors(index, query, settings)[rows]
    if named is not None:
        base *= 1.0 + settings.party_focus * named / parties
    total = _total_weight(query, weights)
    if total and settings.coord_weight:  # in place: the same operations in the same order
        coord = np.minimum(close, total, out=close)
        coord *= settings.coord_weight
        coord /= total
        coord += 1.0 - settings.coord_weight
        base *= coord
    best = _best(base, size)
    if keep is not None:
        best = np.union1d(best, np.flatnonzero((rows >= keep[0]) & (rows < keep[1])))
    return np.sort(rows[best])


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
        above = (scores >= floor).nonzero()[0]
        picked = above[scores[above].argpartition(len(above) - size)[len(above) - size:]]
        last = scores[picked].min()
        if np.count_nonzero(scores[above] == last) == np.count_nonzero(scores[picked] == last):
            return picked
    return scores.argpartition(everyone)[everyone:]


# A sample of every _SAMPLE_STEP-th score, when there are _SAMPLED_ABOVE × as many as wanted
# (the sample then holds twice as many as wanted, and about 1 in 8 scores reach its floor).
_SAMPLE_STEP = 16
_SAMPLED_ABOVE = 32


def prepare(index: Index, query: Query, settings: SearchSettings) -> None:
    """Make the first stage's per-index arrays for this kind of question now (Engine.warm)."""
    _row_factors(index, query, settings)
    _estimate_norm(index)
    title_focus(index, settings)


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


def _sums(owner: np.ndarray, values: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """Per candidate (the entries `taken` stand for them), the sum of its entries' values."""
    n = int(taken[-1]) + 1 if len(taken) else 0
    return np.bincount(owner, weights=values, minlength=n)[taken].astype(np.float64, copy=False)


def _total_weight(query: Query, weights: Weights) -> float:
    """The question weight coord and coverage divide by."""
    return sum(weights.required(i) for i, g in enumerate(query.groups) if g.required)


def _entries(index: Index, query: Query, settings: SearchSettings, cols: list[Columns],
             weights: Weights) -> _Entries:
    """Every posting of the query's terms with its BM25, coord weight and party mark."""
    k1 = index.params.k1
    ids, counts, per_term, titled = [], [], [], []
    for i, (group, group_cols) in enumerate(zip(query.groups, cols, strict=True)):
        idf = weights.idf[i]
        weight = weights.required(i) if group.required else 0.0
        hits = title_sources(index, group) if not group.party else ()
        for term_ids, term_counts, factor in group_cols:
            if len(hits):
                titled.append((len(ids), hits))
            ids.append(term_ids)
            counts.append(term_counts)
            per_term.append((factor, group.weight * idf, weight, float(group.party)))
    if not ids:
        empty = np.zeros(0)
        return _Entries(np.zeros(0, dtype=np.intp), empty, empty, None)
    lengths = [len(i) for i in ids]
    ends = list(accumulate(lengths))
    rows = np.concatenate(ids, dtype=np.intp)
    tf = np.concatenate(counts, dtype=np.float64)
    # (k1 + 1) · idf · tf / (tf + norm): the same value as BM25 up to rounding (a ranking only).
    # Term by term into one array, in place where it can: every temporary is a pass over memory.
    bm25 = np.empty(len(rows))
    for (factor, scale, _, _), end, length in zip(per_term, ends, lengths, strict=True):
        term_tf = tf[end - length:end]
        if factor != 1.0:  # an alternative counts at its factor
            term_tf *= factor
        np.multiply(term_tf, scale * (k1 + 1), out=bm25[end - length:end])
    tf += _estimate_norm(index)[rows]
    bm25 /= tf
    for term, hits in titled:  # a title term said again in the sentence counts less (search.py)
        segment = slice(ends[term] - lengths[term], ends[term])
        bm25[segment] *= _title_discounts(index, settings, rows[segment], hits)
    _, _, close, named = zip(*per_term, strict=True)
    return _Entries(rows, bm25, np.repeat(close, lengths),
                    np.repeat(named, lengths) if any(named) else None)


def _title_discounts(index: Index, settings: SearchSettings, rows: np.ndarray,
                     hits: np.ndarray) -> np.ndarray:
    """Per row (ascending), what is left of a title term's weight in it (search.py).

    1 - title_discount × its source's title focus where that title holds the term (`hits`,
    distinct), else 1; from the sources' row ranges (a source's rows are consecutive), not a
    look-up per row.
    """
    bounds = np.zeros(2 * len(hits) + 2, dtype=np.int64)  # 0, each source's first and end, …
    bounds[1:-1:2], bounds[2:-1:2] = index.source_first[hits], index.source_end[hits]
    cuts = rows.searchsorted(bounds)
    cuts[-1] = len(rows)  # … and past the last row
    factor = np.ones(2 * len(hits) + 1)
    # The runs between the cuts: outside the titled sources, inside the first one, outside…
    factor[1::2] = 1.0 - settings.title_discount * title_focus(index, settings)[hits]
    return np.repeat(factor, cuts[1:] - cuts[:-1])


def _title_evidence(index: Index, query: Query, settings: SearchSettings, weights: Weights,
                    ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Per source: the title evidence every sentence of it gets, and its coord weight."""
    evidence = close = None
    focus = title_focus(index, settings)
    for i, group in enumerate(query.groups):
        hits = title_sources(index, group)
        if not len(hits):
            continue
        if evidence is None or close is None:
            evidence, close = np.zeros(len(index.sources)), np.zeros(len(index.sources))
        idf = weights.idf[i]
        discount = 0.0 if group.party else settings.title_discount
        evidence[hits] += group.weight * idf * (discount + settings.title_weight) * focus[hits]
        if group.required:
            close[hits] += weights.required(i)
    return evidence, close
