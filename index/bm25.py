"""BM25Okapi exactly as rank-bm25 defines it, stored as per-term columns: a query is a short sum."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True, kw_only=True)
class Bm25Params:
    """rank-bm25's BM25Okapi parameters."""

    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25


def okapi_idf(doc_freq: Mapping[str, int], n_docs: int, params: Bm25Params) -> dict[str, float]:
    """rank-bm25's own idf for these document frequencies, with its epsilon floor."""
    from rank_bm25 import BM25Okapi  # only a build needs it: not imported to answer

    if not doc_freq:
        return {}  # rank-bm25 divides by len(idf): an index with no terms has no idf at all
    model = BM25Okapi.__new__(BM25Okapi)  # its idf step alone; no corpus walk, no process pool
    model.corpus_size, model.idf, model.epsilon = n_docs, {}, params.epsilon
    model._calc_idf(dict(doc_freq))
    return model.idf


@dataclass(frozen=True, kw_only=True)
class Postings:
    """Per-term columns: the rows (sentences) a term occurs in and its BM25 weight in each."""

    vocab: Mapping[str, int]
    ptr: np.ndarray  # int64 [V+1]: term t's postings are ids[ptr[t]:ptr[t+1]]
    ids: np.ndarray  # int32 [P], ascending within a term
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

    @cached_property
    def row_norm(self) -> np.ndarray:
        """Each row's length normalisation, k1 · (1 − b + b · len / avgdl) (derived, not saved)."""
        k1, b = self.params.k1, self.params.b
        # avgdl is 0 only when no row has an indexable word (candidates from titles alone).
        return k1 * (1 - b + b * self.doc_len / (self.avgdl or 1.0))


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
    return Postings(vocab=vocab, ptr=ptr, ids=ids.astype(np.int32), tf=tf.astype(np.int32), idf=idf,
                    doc_len=doc_len.astype(np.int32), params=params)
