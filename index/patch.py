"""Patching an index by source: the Index a full build would give, at the cost of the change.

Rows, sections and paragraphs are contiguous per source and sources are in id order, so a
changed source is a splice: old rows keep their order (shifted), the new document's rows go in
between. Every global statistic is then recomputed exactly as `build.build_index` computes it:
the vocabulary in first-seen order (which decides the order rank-bm25 sums idf in), document
frequencies, idf, and each term's postings in row order. Nothing is approximated, so the result
equals a full rebuild array for array (tests/index/test_patch.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np

from .bm25 import Postings, okapi_idf
from .build import TokenizedDocument, document_structure, field_terms
from .corpus import Index, SourceRecord
from .refresh import MAX_PATCHED_SOURCES
from .tokens import tokenize


@dataclass(frozen=True)
class _Segment:
    """A stretch of the new index: old sources [start, stop), or one new document."""

    start: int = 0
    stop: int = 0
    doc: TokenizedDocument | None = None


def patch_index(old: Index, changes: Mapping[str, TokenizedDocument | None]) -> Index | None:
    """The old index with sources replaced or added (a document) or removed (None).

    None when a full build is the better way: many changes, or an empty old or new index.
    """
    old_ids = [s.source_id for s in old.sources]
    new_ids = sorted((set(old_ids) - changes.keys()) | {k for k, v in changes.items() if v})
    if (len(changes) > MAX_PATCHED_SOURCES or not old.size or not new_ids
            or sum(s.sections for s in old.sources) != len(old.section_headings)):
        return None
    segments = _segments(old_ids, new_ids, changes)
    records, row_map = _records(old, segments)
    structure = _structure(old, records)
    postings = _postings(old, records, row_map)
    texts = [_texts(old, seg) for seg in segments]
    lengths = np.concatenate([t[0] for t in texts])
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return Index(params=old.params, tokenizer=old.tokenizer, postings=postings,
                 text_offsets=offsets, text=b"".join(t[1] for t in texts),
                 built_at=datetime.now(UTC).isoformat(timespec="seconds"), **structure)


def _segments(old_ids: Sequence[str], new_ids: Sequence[str],
              changes: Mapping[str, TokenizedDocument | None]) -> list[_Segment]:
    """The new index as runs of consecutive old sources and single new documents."""
    position = {source_id: i for i, source_id in enumerate(old_ids)}
    segments: list[_Segment] = []
    for source_id in new_ids:
        doc = changes.get(source_id)
        if doc is not None:
            segments.append(_Segment(doc=doc))
            continue
        i = position[source_id]
        last = segments[-1] if segments else None
        if last is not None and last.doc is None and last.stop == i:
            segments[-1] = replace(last, stop=i + 1)
        else:
            segments.append(_Segment(start=i, stop=i + 1))
    return segments


@dataclass(frozen=True)
class _Placed:
    """Where a segment lands in the new index: first row, section, paragraph and source."""

    row: int
    section: int
    paragraph: int
    source: int
    rows: int


def _records(old: Index, segments: Sequence[_Segment],
             ) -> tuple[list[tuple[_Segment, _Placed]], np.ndarray]:
    """Each segment with its new position, and old row → new row (-1 for a removed row)."""
    sec_first = np.concatenate([[0], np.cumsum([s.sections for s in old.sources])])
    par_first = np.concatenate([[0], np.cumsum([s.paragraphs for s in old.sources])])
    row_map = np.full(old.size, -1, dtype=np.int32)
    placed = []
    row = section = paragraph = source = 0
    for seg in segments:
        where_row = row
        if seg.doc is None:
            a, b = old.sources[seg.start].first, _end(old, seg.stop)
            row_map[a:b] = np.arange(row, row + b - a, dtype=np.int32)
            rows, count = b - a, seg.stop - seg.start
            sections = int(sec_first[seg.stop] - sec_first[seg.start])
            paragraphs = int(par_first[seg.stop] - par_first[seg.start])
        else:
            d = seg.doc.document
            rows, sections, count = d.sentence_count, len(d.sections), 1
            paragraphs = sum(len(s.paragraphs) for s in d.sections)
        placed.append((seg, _Placed(where_row, section, paragraph, source, rows)))
        row, section, paragraph, source = (row + rows, section + sections,
                                           paragraph + paragraphs, source + count)
    return placed, row_map


def _end(old: Index, stop: int) -> int:
    """The row after old source `stop - 1`."""
    last = old.sources[stop - 1]
    return last.first + last.count


def _structure(old: Index, placed: list[tuple[_Segment, _Placed]]) -> dict[str, object]:
    """Sources, sections, paragraphs and features of the new index, spliced."""
    sec_first = np.concatenate([[0], np.cumsum([s.sections for s in old.sources])])
    par_first = np.concatenate([[0], np.cumsum([s.paragraphs for s in old.sources])])
    sources: list[SourceRecord] = []
    headings: list[str | None] = []
    parts: dict[str, list[np.ndarray]] = {k: [] for k in (
        "sent_section", "sent_para", "para_number", "features")}
    for seg, at in placed:
        if seg.doc is None:
            a, b = old.sources[seg.start].first, _end(old, seg.stop)
            s0, s1 = int(sec_first[seg.start]), int(sec_first[seg.stop])
            p0, p1 = int(par_first[seg.start]), int(par_first[seg.stop])
            shift = at.row - a
            sources += [replace(s, first=s.first + shift) for s in old.sources[seg.start:seg.stop]]
            headings += old.section_headings[s0:s1]
            parts["sent_section"].append(old.sent_section[a:b] + np.int32(at.section - s0))
            parts["sent_para"].append(old.sent_para[a:b] + np.int32(at.paragraph - p0))
            parts["para_number"].append(old.para_number[p0:p1])
            parts["features"].append(old.features[a:b])
            continue
        one = document_structure([seg.doc.document])
        sources.append(replace(one["sources"][0], first=at.row))  # type: ignore[index]
        headings += one["section_headings"]  # type: ignore[arg-type]
        parts["sent_section"].append(one["sent_section"] + np.int32(at.section))  # type: ignore[operator]
        parts["sent_para"].append(one["sent_para"] + np.int32(at.paragraph))  # type: ignore[operator]
        parts["para_number"].append(one["para_number"])  # type: ignore[arg-type]
        parts["features"].append(np.asarray(seg.doc.features, dtype=np.uint8))
    heading_terms, title_terms = field_terms([s.title for s in sources], headings)
    counts = np.fromiter((s.count for s in sources), dtype=np.int64, count=len(sources))
    return {
        "sources": tuple(sources), "section_headings": tuple(headings),
        "sent_source": np.repeat(np.arange(len(sources), dtype=np.int32), counts),
        **{k: np.concatenate(v).astype(np.uint8 if k == "features" else np.int32)
           for k, v in parts.items()},
        "heading_terms": heading_terms, "title_terms": title_terms,
    }


def _texts(old: Index, seg: _Segment) -> tuple[np.ndarray, bytes]:
    """A segment's sentence byte lengths and its text bytes."""
    if seg.doc is None:
        a, b = old.sources[seg.start].first, _end(old, seg.stop)
        lo, hi = int(old.text_offsets[a]), int(old.text_offsets[b])
        return np.diff(old.text_offsets[a:b + 1]), bytes(old.text[lo:hi])
    texts = [s.encode("utf-8") for sec in seg.doc.document.sections
             for p in sec.paragraphs for s in p.sentences]
    return np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), b"".join(texts)


def _postings(old: Index, placed: list[tuple[_Segment, _Placed]], row_map: np.ndarray) -> Postings:
    """The new postings: surviving old ones moved, the new documents' merged in, stats exact."""
    p = old.postings
    n_rows = sum(at.rows for _, at in placed)
    ext = dict(p.vocab)  # old terms keep their ids here; new terms get the next ones
    old_term = np.repeat(np.arange(len(ext), dtype=np.int32), np.diff(p.ptr))
    moved_rows = row_map[p.ids]
    keep = moved_rows >= 0
    kept = _Kept(old_term[keep], moved_rows[keep], p.tf[keep])
    del old_term, moved_rows, keep
    new = [_doc_postings(seg.doc, at, ext, n_rows) for seg, at in placed if seg.doc is not None]
    nd_term = np.concatenate([np.zeros(0, dtype=np.int64), *(n.terms for n in new)])
    kptr = np.zeros(len(ext) + 1, dtype=np.int64)
    np.cumsum(np.bincount(kept.terms, minlength=len(ext)), out=kptr[1:])
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
        p.doc_len[old.sources[seg.start].first:_end(old, seg.stop)] if seg.doc is None
        else seg.doc.lengths for seg, _ in placed]).astype(np.int32)
    return Postings({n: i for i, n in enumerate(new_names)}, ptr, ids, tf, idf, doc_len,
                    p.params)


@dataclass(frozen=True)
class _Kept:
    """The old postings that survive: grouped by old term id, rows (new numbers) ascending."""

    terms: np.ndarray
    rows: np.ndarray
    tf: np.ndarray


def _merged(kept: _Kept, kptr: np.ndarray, new: list[_DocPostings], perm: np.ndarray,
            ptr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The new ids and tf arrays: kept and new postings, by new term id, rows ascending."""
    new_id = np.full(len(kptr) - 1, -1, dtype=np.int64)
    new_id[perm] = np.arange(len(perm))
    # An old posting's slot: its term's new start plus its place among the term's old postings
    # (one gather per posting), then after each new document the term's postings in it.
    dest = np.arange(len(kept.terms), dtype=np.int64)
    dest += (ptr[:-1][new_id.clip(0)] - kptr[:-1])[kept.terms]
    for n in new:
        _after_document(dest, kept.rows, kptr, n)
    ids = np.empty(int(ptr[-1]), dtype=np.int32)
    tf = np.empty(int(ptr[-1]), dtype=np.int32)
    free = np.ones(int(ptr[-1]), dtype=bool)
    ids[dest], tf[dest], free[dest] = kept.rows, kept.tf, False
    # The free slots, in order, are the new documents' postings sorted by (term, row).
    nd_term = np.concatenate([np.zeros(0, dtype=np.int64), *(n.terms for n in new)])
    nd_row = np.concatenate([np.zeros(0, dtype=np.int64), *(n.rows for n in new)])
    nd_tf = np.concatenate([np.zeros(0, dtype=np.int32), *(n.tf for n in new)])
    order = np.lexsort((nd_row, new_id[nd_term]))
    slots = np.flatnonzero(free)
    ids[slots], tf[slots] = nd_row[order], nd_tf[order]
    return ids, tf


def _after_document(dest: np.ndarray, k_rows: np.ndarray, kptr: np.ndarray,
                    doc: _DocPostings) -> None:
    """Move the old postings that follow a new document past its postings of the same term."""
    terms, counts = np.unique(doc.terms, return_counts=True)
    for term, count in zip(terms.tolist(), counts.tolist(), strict=True):
        a, b = int(kptr[term]), int(kptr[term + 1])  # empty for a term the old index lacks
        dest[a + int(np.searchsorted(k_rows[a:b], doc.end)):b] += count


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


def _doc_postings(doc: TokenizedDocument, at: _Placed, ext: dict[str, int],
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


def _first_seen_order(old: Index, placed: list[tuple[_Segment, _Placed]],
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


def _row_terms(old: Index, placed: list[tuple[_Segment, _Placed]], new: list[_DocPostings],
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
