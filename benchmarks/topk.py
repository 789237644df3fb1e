"""Plain BM25Okapi top k for the benchmarks: the exhaustive reference and a fast exact variant.

The answer path (index/search.py) scores with its own signals; this module is what the scale
benchmark times as "BM25 core" and what tests/index/test_bm25_exact.py checks against rank-bm25.

`top_k_scores(postings, query, k)` returns exactly what `top_k(*score(postings, query), k)` returns:
the same rows, bit-identical scores, ties broken by the lower row id, and never a row that shares no
term with the query.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index.bm25 import Bm25Params, Postings


def term_weights(tf: np.ndarray, doc_len: np.ndarray, idf: np.ndarray, avgdl: float,
                 params: Bm25Params) -> np.ndarray:
    """Each posting's contribution, computed in the same order of operations as rank-bm25."""
    k1, b = params.k1, params.b
    tf = tf.astype(np.float64)
    return idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_len / avgdl)))


_WEIGHTS: dict[int, tuple[Postings, np.ndarray]] = {}


def posting_weights(postings: Postings) -> np.ndarray:
    """Each posting's BM25Okapi weight, float64 [P], derived on first use for these postings.

    Only this module needs them (the answer path scores from counts): not part of the index.
    """
    kept = _WEIGHTS.get(id(postings))
    if kept is None or kept[0] is not postings:
        if not postings.n_rows:
            weights = np.zeros(len(postings.tf), dtype=np.float64)
        else:
            terms = np.repeat(np.arange(len(postings.idf)), np.diff(postings.ptr))
            weights = term_weights(postings.tf, postings.doc_len[postings.ids],
                                   postings.idf[terms], postings.avgdl, postings.params)
        _WEIGHTS.clear()  # one index at a time: a benchmark's, or a test's
        kept = _WEIGHTS[id(postings)] = (postings, weights)
    return kept[1]


_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)
# Past this many rows per posting, one pass over all row totals beats a gather per posting.
DENSE_SCAN_RATIO = 8


def top_k_scores(postings: Postings, query: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best rows and their scores, identical to `top_k(*score(postings, query), k)`."""
    spans = [(s.start, s.stop) for s in map(postings.span, query) if s.stop > s.start]
    if k <= 0:
        return _EMPTY_IDS, _EMPTY_WEIGHTS
    if len(spans) < 2:
        return top_k(*score(postings, query), k)  # one column: rows are already distinct
    dense = sum(b - a for a, b in spans) * DENSE_SCAN_RATIO > postings.n_rows
    ids, totals = _totals(postings, spans)
    floor = _score_floor(postings.ids, spans, totals, k)
    if floor > 0.0 and dense:
        rows = np.flatnonzero(totals >= floor)  # rows without a query term total 0.0 < floor
    else:
        rows = np.unique(ids[totals[ids] >= floor])
    return _ranked(rows, totals[rows], k)


def _totals(postings: Postings, spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """The columns' rows, and every row's sum over them (0.0 for rows in none), in their order."""
    # Widened while copying: bincount would otherwise make its own intp copy (~25% of a query).
    ids = np.concatenate([postings.ids[a:b] for a, b in spans], dtype=np.intp)
    weights = np.concatenate([posting_weights(postings)[a:b] for a, b in spans])
    # bincount adds in array order, i.e. query-term order: the same sums rank-bm25 makes.
    return ids, np.bincount(ids, weights=weights, minlength=postings.n_rows)


def _ranked(rows: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best of some rows, ties broken by the lower row id."""
    order = np.lexsort((rows, -scores))[:k]
    return rows[order].astype(np.int32), scores[order]


def _score_floor(ids: np.ndarray, spans: list[tuple[int, int]], totals: np.ndarray,
                 k: int) -> float:
    """A score the k-th best row reaches, read off the rarest columns (-inf if they are too few)."""
    rarest = sorted(set(spans), key=lambda s: s[1] - s[0])  # a repeated term is one column
    taken = 0
    for used, (start, stop) in enumerate(rarest, start=1):
        taken += stop - start
        # A row has one posting per column, so `used` columns' best k·used postings span at
        # least k distinct rows, each of which totals at least the smallest of them.
        if taken >= k * used:
            sub = totals[np.concatenate([ids[a:b] for a, b in rarest[:used]])]
            return float(np.partition(sub, len(sub) - k * used)[len(sub) - k * used])
    return float("-inf")


# Above this many postings per row, one dense pass over all rows beats sorting the postings.
DENSE_FRACTION = 1 / 16


def _column(postings: Postings, term: str) -> tuple[np.ndarray, np.ndarray]:
    """The rows and weights of one term (empty for an unknown term)."""
    where = postings.span(term)
    return postings.ids[where], posting_weights(postings)[where]


def score(postings: Postings, query: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """BM25Okapi scores of every row that shares a term with the query: (rows ascending, scores)."""
    cols = [_column(postings, t) for t in query]
    cols = [c for c in cols if len(c[0])]
    if not cols:
        return _EMPTY_IDS, _EMPTY_WEIGHTS
    ids = np.concatenate([c[0] for c in cols]) if len(cols) > 1 else cols[0][0]
    weights = np.concatenate([c[1] for c in cols]) if len(cols) > 1 else cols[0][1]
    # bincount adds in array order, i.e. query-term order: the same sums rank-bm25 makes.
    if len(cols) == 1:
        return ids, weights + 0.0  # one column: rows are already distinct and ascending
    n_rows = postings.n_rows
    if len(ids) < n_rows * DENSE_FRACTION:
        rows, slot = np.unique(ids, return_inverse=True)
        return rows, np.bincount(slot, weights=weights)
    hit = np.zeros(n_rows, dtype=bool)
    hit[ids] = True
    rows = np.flatnonzero(hit).astype(np.int32)
    return rows, np.bincount(ids, weights=weights, minlength=n_rows)[rows]


def top_k(rows: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best rows by score, ties broken by the lower row id (earlier sentence) first."""
    if len(rows) > 4 * k:
        # Keep everything tied with the k-th score so the tie-break below sees all of them.
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= kth
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((rows, -scores))[:k]
    return rows[order], scores[order]
