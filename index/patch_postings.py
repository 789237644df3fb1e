"""The postings of a patched index: old ones moved, new documents' merged in, statistics exact.

Used by index/patch.py. A term's postings are its rows ascending; the vocabulary is in first-seen
order over the corpus (the order rank-bm25 sums idf in), so it is recomputed, not patched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .bm25 import Postings, okapi_idf
from .build import TokenizedDocument
from .corpus import Index
from .tokens import tokenize


@dataclass(frozen=True)
class Segment:
    """A stretch of the new index: old sources [start, stop), or one new document."""

    start: int = 0
    stop: int = 0
    doc: TokenizedDocument | None = None


@dataclass(frozen=True)
class Placed:
    """Where a segment lands in the new index: first row, section, paragraph and source."""

    row: int
    section: int
    paragraph: int
    source: int
    rows: int


def end_row(old: Index, stop: int) -> int:
    """The row after old source `stop - 1` (its rows end there)."""
    last = old.sources[stop - 1]
    return last.first + last.count


def spliced_postings(old: Index, placed: list[tuple[Segment, Placed]],
                     row_map: np.ndarray) -> Postings:
    """The new postings: surviving old ones moved, the new documents' merged in, stats exact."""
    p = old.postings
    n_rows = sum(at.rows for _, at in placed)
    ext = dict(p.vocab)  # old terms keep their ids here; new terms get the next ones
    new = [_doc_postings(seg.doc, at, ext, n_rows) for seg, at in placed if seg.doc is not None]
    kept, kptr = _kept(p, row_map, len(ext))
    nd_term = np.concatenate([np.zeros(0, dtype=np.int64), *(n.terms for n in new)])
    df = np.diff(kptr) + np.bincount(nd_term, minlength=len(ext))
    perm = _first_seen_order(old, placed, new, ext, kept.rows, kptr, df, row_map)
    ptr = np.zeros(len(perm) + 1, dtype=np.int64)
    np.cumsum(df[perm], out=ptr[1:])
    ids, tf = _merged(kept, kptr, new, perm, ptr)
    names = list(ext)  # in id order: vocabularies are built and loaded in id order
    new_names = [names[t] for t in perm.tolist()]
    idf_map = okapi_idf(dict(zip(new_names, df[perm].tolist(), strict=True)), n_rows, p.params)
    idf = np.array([idf_map[n] for n in new_names], dtype=np.float64)
    doc_len = np.concatenate([
        p.doc_len[old.sources[seg.start].first:end_row(old, seg.stop)] if seg.doc is None
        else seg.doc.lengths for seg, _ in placed]).astype(np.int32)
    return Postings({n: i for i, n in enumerate(new_names)}, ptr, ids, tf, idf, doc_len,
                    p.params)


@dataclass(frozen=True)
class _Kept:
    """The old postings that survive: grouped by old term id, rows (new numbers) ascending."""

    rows: np.ndarray
    tf: np.ndarray


def _kept(p: Postings, row_map: np.ndarray, n_terms: int) -> tuple[_Kept, np.ndarray]:
    """The surviving old postings, and where each term's start among them ([n_terms + 1])."""
    rows = row_map[p.ids]
    gone = np.flatnonzero(rows < 0)  # the removed sources' postings: few of them
    lost = np.bincount(np.searchsorted(p.ptr, gone, side="right") - 1,
                       minlength=len(p.ptr) - 1)
    kptr = np.empty(n_terms + 1, dtype=np.int64)  # terms new to the index have none
    kptr[:len(p.ptr)] = p.ptr
    kptr[1:len(p.ptr)] -= np.cumsum(lost)
    kptr[len(p.ptr):] = kptr[len(p.ptr) - 1]
    if not len(gone):
        return _Kept(rows, p.tf), kptr
    return _Kept(np.delete(rows, gone), np.delete(p.tf, gone)), kptr


def _merged(kept: _Kept, kptr: np.ndarray, new: list[_DocPostings], perm: np.ndarray,
            ptr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The new ids and tf arrays: kept and new postings, by new term id, rows ascending."""
    new_id = np.full(len(kptr) - 1, -1, dtype=np.int64)
    new_id[perm] = np.arange(len(perm))
    starts = ptr[:-1][new_id.clip(0)]  # each term's first slot (dead terms: unused)
    # An old posting's slot: its term's new start plus its place among the term's old postings
    # (one gather per posting), then after each new document the term's postings in it.
    dest = np.arange(len(kept.rows), dtype=np.int64)
    dest += np.repeat(starts - kptr[:-1], np.diff(kptr))
    ids = np.empty(int(ptr[-1]), dtype=np.int32)
    tf = np.empty(int(ptr[-1]), dtype=np.int32)
    placed_before = np.zeros(len(kptr) - 1, dtype=np.int64)  # new postings placed, per term
    for doc in new:  # in row order
        slots = _place_document(dest, kept.rows, kptr, doc, starts, placed_before)
        ids[slots], tf[slots] = doc.rows, doc.tf
    ids[dest], tf[dest] = kept.rows, kept.tf
    return ids, tf


def _place_document(dest: np.ndarray, k_rows: np.ndarray, kptr: np.ndarray, doc: _DocPostings,
                    starts: np.ndarray, placed_before: np.ndarray) -> np.ndarray:
    """The slots of a new document's postings; the old postings after it move past them."""
    terms, first, counts = np.unique(doc.terms, return_index=True, return_counts=True)
    before_doc = np.empty(len(terms), dtype=np.int64)  # each term's old postings before it
    for i, (term, count) in enumerate(zip(terms.tolist(), counts.tolist(), strict=True)):
        a, b = int(kptr[term]), int(kptr[term + 1])  # empty for a term the old index lacks
        cut = a + int(np.searchsorted(k_rows[a:b], doc.end))
        dest[cut:b] += count
        before_doc[i] = cut - a
    base = starts[terms] + before_doc + placed_before[terms]
    placed_before[terms] += counts
    # doc.terms is sorted (term, then row): a posting's place among its term's is j - first.
    return np.repeat(base - first, counts) + np.arange(len(doc.terms))


@dataclass(frozen=True)
class _DocPostings:
    """One new document's postings (term ids in the extended vocabulary) and its tokens."""

    terms: np.ndarray
    rows: np.ndarray
    tf: np.ndarray
    tokens: np.ndarray  # every token's term id, sentence after sentence
    lengths: np.ndarray
    start: int  # its first row in the new index
    end: int


def _doc_postings(doc: TokenizedDocument, at: Placed, ext: dict[str, int],
                  n_rows: int) -> _DocPostings:
    """A new document's postings, adding its unseen terms to the vocabulary."""
    gid = np.fromiter((ext.setdefault(t, len(ext)) for t in doc.terms), dtype=np.int64,
                      count=len(doc.terms))
    tokens = gid[doc.ids]
    rows = at.row + np.repeat(np.arange(len(doc.lengths), dtype=np.int64), doc.lengths)
    keys, tf = np.unique(tokens * max(n_rows, 1) + rows, return_counts=True)
    terms, rows = np.divmod(keys, max(n_rows, 1))
    return _DocPostings(terms, rows, tf.astype(np.int32), tokens, doc.lengths, at.row,
                        at.row + at.rows)


def _first_seen_order(old: Index, placed: list[tuple[Segment, Placed]],
                      new: list[_DocPostings], ext: dict[str, int], k_rows: np.ndarray,
                      kptr: np.ndarray, df: np.ndarray, row_map: np.ndarray) -> np.ndarray:
    """The surviving terms (extended ids) in first-seen order over the new corpus.

    A term's key is (first row, first position in that row). Where a term's first row is the
    same sentence as before, the old ids already order terms sharing it; only rows that became
    some term's first row are tokenized to find positions.
    """
    v_ext = len(df)
    first = np.full(v_ext, np.iinfo(np.int64).max, dtype=np.int64)
    has_old = kptr[1:] > kptr[:-1]
    first[has_old] = k_rows[kptr[:-1][has_old]]
    for n in new:
        np.minimum.at(first, n.terms, n.rows)
    p = old.postings
    was = np.full(v_ext, -1, dtype=np.int64)
    was[:len(p.vocab)] = row_map[p.ids[p.ptr[:-1]]] if len(p.ids) else -1
    alive = df > 0
    rank = np.arange(v_ext, dtype=np.int64)
    for row in np.unique(first[alive & (first != was)]).tolist():
        seen: set[int] = set()
        for pos, term in enumerate(_row_terms(old, placed, new, ext, row)):
            if term not in seen and first[term] == row:
                rank[term] = pos
            seen.add(term)
    ids = np.flatnonzero(alive)
    return ids[np.lexsort((rank[ids], first[ids]))]


def _row_terms(old: Index, placed: list[tuple[Segment, Placed]], new: list[_DocPostings],
               ext: dict[str, int], row: int) -> list[int]:
    """The term ids of one row of the new index, in token order."""
    for n in new:
        if n.start <= row < n.end:
            ends = np.cumsum(n.lengths)
            i = row - n.start
            return n.tokens[int(ends[i] - n.lengths[i]):int(ends[i])].tolist()
    for seg, at in placed:
        if seg.doc is None and at.row <= row < at.row + at.rows:
            return [ext[t] for t in tokenize(old.sentence(old.sources[seg.start].first
                                                          + row - at.row))]
    raise ValueError(f"row {row} is in no segment")
