"""BM25Okapi exactly as rank-bm25 defines it, stored as per-term columns: a query is a short sum."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from rank_bm25 import BM25Okapi


@dataclass(frozen=True)
class Bm25Params:
    """rank-bm25's BM25Okapi parameters."""

    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25


def okapi_idf(doc_freq: Mapping[str, int], n_docs: int, params: Bm25Params) -> dict[str, float]:
    """rank-bm25's own idf for these document frequencies, with its epsilon floor."""
    if not doc_freq:
        return {}  # rank-bm25 divides by len(idf): an index with no terms has no idf at all
    model = BM25Okapi.__new__(BM25Okapi)  # its idf step alone; no corpus walk, no process pool
    model.corpus_size, model.idf, model.epsilon = n_docs, {}, params.epsilon
    model._calc_idf(dict(doc_freq))
    return model.idf


def term_weights(tf: np.ndarray, doc_len: np.ndarray, idf: np.ndarray, avgdl: float,
                 params: Bm25Params) -> np.ndarray:
    """Each posting's contribution, computed in the same order of operations as rank-bm25."""
    k1, b = params.k1, params.b
    tf = tf.astype(np.float64)
    return idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_len / avgdl)))


@dataclass(frozen=True)
class Postings:
    """Per-term columns: the rows (sentences) a term occurs in and its BM25 weight in each."""

    vocab: Mapping[str, int]
    ptr: np.ndarray  # int64 [V+1]: term t's postings are ids[ptr[t]:ptr[t+1]]
    ids: np.ndarray  # int32 [P], ascending within a term
    weights: np.ndarray  # float64 [P]
    tf: np.ndarray  # int32 [P]: the term's count in the row
    idf: np.ndarray  # float64 [V]
    doc_len: np.ndarray  # int32 [N]: tokens per row
    params: Bm25Params

    @property
    def n_rows(self) -> int:
        """The number of rows (sentences)."""
        return len(self.doc_len)

    @cached_property
    def avgdl(self) -> float:
        """The mean row length, as rank-bm25 computes it."""
        return float(self.doc_len.sum()) / len(self.doc_len) if len(self.doc_len) else 1.0

    def span(self, term: str) -> slice:
        """Where one term's postings are (an empty slice for an unknown term)."""
        t = self.vocab.get(term)
        return slice(0, 0) if t is None else slice(int(self.ptr[t]), int(self.ptr[t + 1]))

    def column(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The rows and weights of one term (empty for an unknown term)."""
        where = self.span(term)
        return self.ids[where], self.weights[where]

    def doc_freq(self, term: str) -> int:
        """In how many rows the term occurs."""
        t = self.vocab.get(term)
        return 0 if t is None else int(self.ptr[t + 1] - self.ptr[t])


_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)


def build_postings(rows: Sequence[Sequence[str]], params: Bm25Params) -> Postings:
    """Postings for token lists, with weights equal to rank-bm25's BM25Okapi over the same lists."""
    vocab: dict[str, int] = {}
    term_ids = [vocab.setdefault(tok, len(vocab)) for row in rows for tok in row]
    doc_len = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    return postings_from_ids(vocab, np.asarray(term_ids, dtype=np.int64), doc_len, params)


def postings_from_ids(vocab: Mapping[str, int], term_ids: np.ndarray, doc_len: np.ndarray,
                      params: Bm25Params) -> Postings:
    """Postings from a flat array of term ids (row after row) and the rows' lengths."""
    n_rows, n_terms = len(doc_len), len(vocab)
    row_of = np.repeat(np.arange(n_rows, dtype=np.int64), doc_len)
    keys, tf = np.unique(term_ids * max(n_rows, 1) + row_of, return_counts=True)
    terms, ids = np.divmod(keys, max(n_rows, 1))
    df = np.bincount(terms, minlength=n_terms)
    ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(df, out=ptr[1:])
    names = sorted(vocab, key=vocab.__getitem__)
    idf_map = okapi_idf(dict(zip(names, df.tolist(), strict=True)), n_rows, params)
    idf = np.array([idf_map[n] for n in names], dtype=np.float64)
    avgdl = float(doc_len.sum()) / n_rows if n_rows else 1.0
    weights = term_weights(tf, doc_len[ids], idf[terms], avgdl, params) if n_rows else tf * 0.0
    return Postings(vocab, ptr, ids.astype(np.int32), weights.astype(np.float64),
                    tf.astype(np.int32), idf, doc_len.astype(np.int32), params)


# Above this many postings per row, one dense pass over all rows beats sorting the postings.
DENSE_FRACTION = 1 / 16


def score(postings: Postings, query: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """BM25Okapi scores of every row that shares a term with the query: (rows ascending, scores)."""
    cols = [postings.column(t) for t in query]
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
