"""Query → Answer: BM25 over sentences, the structure around them, passages, and abstention."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .around import Around
from .corpus import Index
from .evidence import Columns, Weights, columns, title_sources
from .group_sums import group_sums
from .query import Query
from .scratch import distinct, present, scratch
from .settings import SearchSettings
from .shortlist import shortlisted
from .signals import cue_factor, position_factor
from .window import Windows


@dataclass(frozen=True, kw_only=True)
class Scored:
    """Candidate sentences (ascending rows) with their final scores and question coverage."""

    rows: np.ndarray
    scores: np.ndarray
    coverage: np.ndarray
    bold: np.ndarray | None = None  # each window's best sentence (window_weight; None: the row)


_NO_CANDIDATES = Scored(rows=np.zeros(0, dtype=np.int32), scores=np.zeros(0), coverage=np.zeros(0))


def score_query(index: Index, query: Query, settings: SearchSettings,
                lo: int = 0, hi: int | None = None, limit: int | None = None,
                at_row: int | None = None, keep: tuple[int, int] | None = None,
                depth: int = 1) -> Scored:
    """Score the sentences in rows [lo, hi) that share a term with the query (or its titles).

    Two stages: every candidate's score from its own words and title first (index/shortlist);
    then every signal only on the best few hundred of them (shortlist.SHORTLIST_ROWS;
    all of them without a limit), and every candidate in rows [keep) whatever its first-stage
    score. With `at_row`, only that sentence's scores (a candidate's signals do not depend on the
    other candidates). `depth`: how many times the usual number of passages is wanted (the
    shortlist's floor grows with it).
    """
    hi = index.size if hi is None else hi
    cols = [columns(index, g, lo, hi) for g in query.groups]
    if not any(cols) and not (settings.title_rows and settings.title_weight):
        return _NO_CANDIDATES
    titled, weights = _titled_sources(index, query, settings), Weights.of(index, query)
    if at_row is not None:
        return _second_stage(index, query, settings, cols, titled, (lo, hi), np.array([at_row]),
                             weights)
    rows = _titled_rows(index, titled, lo, hi)
    picked = shortlisted(index, query, settings, cols, rows, scratch(index), limit, keep,
                         weights=weights, depth=depth)
    if not len(picked):
        return _NO_CANDIDATES
    return _second_stage(index, query, settings, cols, titled, (lo, hi), picked, weights)


def coverage_at(index: Index, query: Query, settings: SearchSettings, row: int,
                rows: tuple[int, int]) -> float:
    """How much of the query the sentence at `row` covers (0 when it is no candidate)."""
    scored = score_query(index, query, settings, *rows, at_row=row)  # that row's scores only
    return float(scored.coverage[0]) if len(scored.rows) else 0.0


def _second_stage(index: Index, query: Query, settings: SearchSettings, cols: list[Columns],
                  titled: np.ndarray, span: tuple[int, int], rows: np.ndarray,
                  weights: Weights) -> Scored:
    """Every signal on some candidate rows (ascending); a row's scores need only the row."""
    work = scratch(index)
    source, around = index.sent_source[rows], Around(index, rows)
    near = Windows(around, settings.title_discount) if settings.window_weight else None
    sums = group_sums(index, query, settings, cols, around, source, work, near, weights)
    scores = (sums.sent + sums.ctx) * cue_factor(index, rows, query.expects, settings)
    scores *= position_factor(index, rows, settings, source)
    if sums.parties and settings.party_focus:  # the share of the named parties it names
        scores *= 1.0 + settings.party_focus * sums.party / sums.parties
    if sums.total and settings.coord_weight:  # more of the question's concepts, close by, first
        scores *= 1.0 - settings.coord_weight + settings.coord_weight * sums.close / sums.total
    coverage = sums.covered / sums.total if sums.total else np.ones(len(rows))
    # A sentence holding a question term is a candidate even where BM25Okapi's idf is zero or
    # negative (a corpus of one or two sentences): whether to answer is coverage's call.
    is_titled = present(titled, work.sources, source) & (rows >= span[0]) & (rows < span[1])
    keep = sums.must & (sums.matched | is_titled)
    if not keep.any():
        return _NO_CANDIDATES
    if near is None:
        return Scored(rows=rows[keep], scores=scores[keep], coverage=coverage[keep])
    bold = near.bold(scores, keep)
    scores = near.scores(scores, sums.sent + sums.ctx, settings.window_weight)
    return Scored(rows=rows[keep], scores=scores[keep], coverage=coverage[keep], bold=bold[keep])


def _titled_sources(index: Index, query: Query, settings: SearchSettings) -> np.ndarray:
    """The sources whose title names a required question term (title_rows), each once.

    A summary's later sentences say "it" or "the mountain" for the title's subject: they answer
    questions about it without naming it, so the title names them (scored as context only).
    """
    if not settings.title_rows or not settings.title_weight:
        return np.zeros(0, dtype=np.int64)
    hits = [title_sources(index, g) for g in query.groups if g.required]
    hits = [h for h in hits if len(h)]
    if len(hits) == 1:  # each group's are distinct already
        return hits[0]
    return distinct(np.concatenate(hits)) if hits else np.zeros(0, dtype=np.int64)


def _titled_rows(index: Index, titled: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """The rows [lo, hi) of the titled sources."""
    return index.source_rows(titled, lo, hi)[0]


def rank(scored: Scored, limit: int | None = None) -> np.ndarray:
    """Candidate positions, best first, equal scores in sentence order; the best `limit` only."""
    scores = scored.scores
    if limit is not None and len(scores) > 4 * limit:
        # Keep all that tie with the limit-th score, so the tie-break sees every one of them.
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = (scores >= kth).nonzero()[0]
        return keep[np.lexsort((scored.rows[keep], -scores[keep]))][:limit]
    return np.lexsort((scored.rows, -scores))[:limit]

