"""The postings of a patched index: old ones moved, new documents' merged in, statistics exact.

Used by index/patch.py. A term's postings are its rows ascending; the vocabulary is in first-seen
order over the corpus (the order rank-bm25 sums idf in), so it is recomputed, not patched.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np

from .bm25 import Postings, okapi_idf
from .build import TokenizedDocument
from .corpus import Index


@dataclass(frozen=True, kw_only=True)
class Segment:
    """A stretch of the new index: old sources [start, stop), or one new document."""

    start: int = 0
    stop: int = 0
    doc: TokenizedDocument | None = None


@dataclass(frozen=True, kw_only=True)
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
                     row_map: np.ndarray) -> tuple[Postings, np.ndarray]:
    """The new postings (old ones moved, new documents' merged in, stats exact), and row_terms."""
    p = old.postings
    n_rows = sum(at.rows for _, at in placed)
    ext = dict(p.vocab)  # old terms keep their ids here; new terms get the next ones
    new = [_doc_postings(seg.doc, at, ext, n_rows) for seg, at in placed if seg.doc is not None]
    kept = _kept(p, row_map, len(ext))
    nd_term = np.concatenate([np.zeros(0, dtype=np.int64), *(n.terms for n in new)])
    df = kept.count + np.bincount(nd_term, minlength=len(ext))
    perm = _first_seen_order(old, placed, new, ext, kept, df)
    ptr = np.zeros(len(perm) + 1, dtype=np.int64)
    np.cumsum(df[perm], out=ptr[1:])
    ids, tf = _merged(p, kept, _insertions(p, old, placed, new), perm)
    if len(ids) != ptr[-1]:  # a patch is checked, never trusted: the engine builds in full
        raise ValueError(f"spliced {len(ids)} postings where {ptr[-1]} belong")
    names = list(ext)  # in id order: vocabularies are built and loaded in id order
    new_names = [names[t] for t in perm.tolist()]
    idf_map = okapi_idf(dict(zip(new_names, df[perm].tolist(), strict=True)), n_rows, p.params)
    idf = np.array([idf_map[n] for n in new_names], dtype=np.float64)
    doc_len = np.concatenate([
        p.doc_len[old.sources[seg.start].first:end_row(old, seg.stop)] if seg.doc is None
        else seg.doc.lengths for seg, _ in placed]).astype(np.int32)
    postings = Postings(vocab={n: i for i, n in enumerate(new_names)}, ptr=ptr, ids=ids, tf=tf,
                        idf=idf, doc_len=doc_len,
                        params=p.params)
    return postings, _row_terms_renumbered(old, placed, new, perm, len(ext))


def _row_terms_renumbered(old: Index, placed: list[tuple[Segment, Placed]],
                          new: list[_DocPostings], perm: np.ndarray, n_ext: int) -> np.ndarray:
    """Every new row's tokens as new term ids: old rows' moved, new documents' put in between."""
    renumber = np.full(n_ext, -1, dtype=np.int32)  # extended id → new id (-1: no row has it)
    renumber[perm] = np.arange(len(perm), dtype=np.int32)
    docs = iter(new)
    # Old ids are extended ids. (take with out= is buffered: 7× slower on 20M tokens.)
    return np.concatenate([np.zeros(0, dtype=np.int32), *(renumber.take(
        old.term_ids(old.sources[seg.start].first, end_row(old, seg.stop))
        if seg.doc is None else next(docs).tokens) for seg, _ in placed)])


@dataclass(frozen=True)
class _Kept:
    """The old postings renumbered in place (-1 for a removed row's), and which survive.

    The removed postings are few (one source's), so they are kept as runs of positions; the
    surviving ones are copied out run by run (`_merged`) instead of gathered one by one.
    """

    rows: np.ndarray  # int32 [P]: each old posting's new row, -1 if its row was removed
    gone_start: list[int]  # maximal runs [start, end) of removed postings, ascending
    gone_end: list[int]
    first: np.ndarray  # int64 [old terms]: a term's first surviving posting (its end if none)
    count: np.ndarray  # int64 [terms, extended]: surviving postings per term


def _kept(p: Postings, row_map: np.ndarray, n_terms: int) -> _Kept:
    """The old postings' new rows, the runs of removed ones, and each term's survivors."""
    rows = row_map[p.ids]
    gone = np.flatnonzero(rows < 0)  # the removed sources' postings: few of them
    breaks = np.flatnonzero(np.diff(gone) != 1) + 1
    starts = gone[np.concatenate([[0], breaks])] if len(gone) else gone
    ends = gone[np.concatenate([breaks - 1, [len(gone) - 1]])] + 1 if len(gone) else gone
    lost = np.bincount(np.searchsorted(p.ptr, gone, side="right") - 1,
                       minlength=len(p.ptr) - 1)
    count = np.zeros(n_terms, dtype=np.int64)  # terms new to the index have none
    count[:len(p.ptr) - 1] = np.diff(p.ptr) - lost
    first = p.ptr[:-1].astype(np.int64)
    run = np.searchsorted(starts, first, side="right") - 1  # the run at or before each start
    inside = (run >= 0) & (ends[run.clip(0)] > first) if len(gone) else run >= 0
    first[inside] = ends[run[inside]]
    return _Kept(rows, starts.tolist(), ends.tolist(), first, count)


@dataclass(frozen=True)
class _Insertions:
    """The new documents' postings grouped by (term, document), and where each group goes.

    A group of an old term goes before the old posting at `at` (an index into the old arrays):
    the first one whose row comes after the document. A new term's groups have no `at`.
    """

    term: list[int]  # extended term ids, ascending (then by document, in row order)
    at: list[int]
    rows: list[np.ndarray]  # int32 rows (new numbering)
    tf: list[np.ndarray]  # int32


def _insertions(p: Postings, old: Index, placed: list[tuple[Segment, Placed]],
                new: list[_DocPostings]) -> _Insertions:
    """Each new document's postings cut into one group per term, with its place among the old."""
    nexts = [_next_old_row(old, placed, i) for i, (seg, _) in enumerate(placed)
             if seg.doc is not None]
    groups = []
    n_old = len(p.ptr) - 1
    for number, (doc, after) in enumerate(zip(new, nexts, strict=True)):
        terms, first = np.unique(doc.terms, return_index=True)
        bounds = np.append(first, len(doc.terms))
        old_terms = terms[terms < n_old]
        at = np.zeros(len(terms), dtype=np.int64)
        at[:len(old_terms)] = _lower_bound(p.ids, p.ptr[old_terms], p.ptr[old_terms + 1], after)
        rows, tf = doc.rows.astype(np.int32), doc.tf
        groups += [(t, number, a, rows[lo:hi], tf[lo:hi]) for t, a, lo, hi in zip(
            terms.tolist(), at.tolist(), bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)]
    groups.sort(key=lambda g: (g[0], g[1]))
    return _Insertions([g[0] for g in groups], [g[2] for g in groups],
                       [g[3] for g in groups], [g[4] for g in groups])


def _next_old_row(old: Index, placed: list[tuple[Segment, Placed]], k: int) -> int:
    """The first old row after the k-th segment: its old rows before it, the others after."""
    for seg, _ in placed[k + 1:]:
        if seg.doc is None:
            return old.sources[seg.start].first
    return old.size


def _lower_bound(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, target: int) -> np.ndarray:
    """For each [lo, hi) of ascending values, the first position holding one >= target."""
    lo, hi = lo.astype(np.int64), hi.astype(np.int64)
    while (open_ := lo < hi).any():  # a binary search for every range at once
        mid = (lo + hi) // 2
        below = np.zeros(len(lo), dtype=bool)
        below[open_] = values[mid[open_]] < target
        lo = np.where(open_ & below, mid + 1, lo)
        hi = np.where(open_ & ~below, mid, hi)
    return lo


def _merged(p: Postings, kept: _Kept, ins: _Insertions, perm: np.ndarray,
            ) -> tuple[np.ndarray, np.ndarray]:
    """The new ids and tf arrays: kept and new postings, by new term id, rows ascending.

    Terms whose old ids follow each other in the new order form one stretch of the old arrays;
    each stretch is copied in pieces between its removed runs, with new groups put in place.
    """
    empty = np.zeros(0, dtype=np.int32)
    if not len(perm):  # no term left: every new sentence is stopwords alone
        return empty, empty
    n_old = len(p.ptr) - 1
    is_old = perm < n_old
    joined = is_old[1:] & is_old[:-1] & (perm[1:] == perm[:-1] + 1)
    run_first = np.flatnonzero(np.concatenate([[True], ~joined]))
    run_last = np.append(run_first[1:], len(perm)) - 1
    ids: list[np.ndarray] = []
    tf: list[np.ndarray] = []
    for j0, j1 in zip(run_first.tolist(), run_last.tolist(), strict=True):
        t0, t1 = int(perm[j0]), int(perm[j1])
        g0, g1 = bisect_left(ins.term, t0), bisect_right(ins.term, t1)
        if t0 >= n_old:  # a term new to the index: only new documents hold it
            ids += ins.rows[g0:g1]
            tf += ins.tf[g0:g1]
            continue
        _copy_stretch(p, kept, int(p.ptr[t0]), int(p.ptr[t1 + 1]), ins, g0, g1, ids, tf)
    return np.concatenate([empty, *ids]), np.concatenate([empty, *tf])


def _copy_stretch(p: Postings, kept: _Kept, lo: int, hi: int, ins: _Insertions, g0: int,
                  g1: int, ids: list[np.ndarray], tf: list[np.ndarray]) -> None:
    """Pieces of old postings [lo, hi) without the removed runs, new groups g0..g1 in place."""
    pos, run = lo, bisect_right(kept.gone_end, lo)
    starts, ends = kept.gone_start, kept.gone_end
    for g in [*range(g0, g1), None]:
        cut = hi if g is None else ins.at[g]
        while pos < cut:
            if run < len(starts) and starts[run] < cut:
                if starts[run] > pos:
                    ids.append(kept.rows[pos:starts[run]])
                    tf.append(p.tf[pos:starts[run]])
                pos = min(max(ends[run], pos), cut)
                run += ends[run] <= cut
            else:
                ids.append(kept.rows[pos:cut])
                tf.append(p.tf[pos:cut])
                pos = cut
        if g is not None:
            ids.append(ins.rows[g])
            tf.append(ins.tf[g])


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
                      new: list[_DocPostings], ext: dict[str, int], kept: _Kept,
                      df: np.ndarray) -> np.ndarray:
    """The surviving terms (extended ids) in first-seen order over the new corpus.

    A term's key is (first row, first position in that row). Where a term's first row is the
    same sentence as before, the old ids already order terms sharing it; only rows that became
    some term's first row are tokenized to find positions.
    """
    v_ext = len(df)
    first = np.full(v_ext, np.iinfo(np.int64).max, dtype=np.int64)
    p = old.postings
    has_old = kept.first < p.ptr[1:]
    first[:len(has_old)][has_old] = kept.rows[kept.first[has_old]]
    for n in new:
        np.minimum.at(first, n.terms, n.rows)
    was = np.full(v_ext, -1, dtype=np.int64)
    was[:len(p.vocab)] = kept.rows[p.ptr[:-1]] if len(p.ids) else -1
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
            was = old.sources[seg.start].first + row - at.row
            return old.term_ids(was, was + 1).tolist()  # old ids are extended ids
    raise ValueError(f"row {row} is in no segment")
