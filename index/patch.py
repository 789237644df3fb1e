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
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np

from .build import TokenizedDocument, document_structure, token_places
from .corpus import Index, SourceRecord
from .patch_postings import Placed, Segment, end_row, spliced_postings
from .refresh import MAX_PATCHED_SOURCES


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
    postings, row_terms = spliced_postings(old, records, row_map)
    texts = [_texts(old, seg) for seg in segments]
    lengths = np.concatenate([t[0] for t in texts])
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # One copy of the text (~180 MB at 1M sentences), as bytes in an array: saved as it is.
    return Index(params=old.params, tokenizer=old.tokenizer, postings=postings,
                 text_offsets=offsets, text=np.concatenate([t[1] for t in texts]),
                 row_terms=row_terms, row_places=np.concatenate([_places(old, seg)
                                                                 for seg in segments]),
                 built_at=datetime.now(UTC).isoformat(timespec="seconds"), **structure)


def _segments(old_ids: Sequence[str], new_ids: Sequence[str],
              changes: Mapping[str, TokenizedDocument | None]) -> list[Segment]:
    """The new index as runs of consecutive old sources and single new documents."""
    position = {source_id: i for i, source_id in enumerate(old_ids)}
    segments: list[Segment] = []
    for source_id in new_ids:
        doc = changes.get(source_id)
        if doc is not None:
            segments.append(Segment(doc=doc))
            continue
        i = position[source_id]
        last = segments[-1] if segments else None
        if last is not None and last.doc is None and last.stop == i:
            segments[-1] = replace(last, stop=i + 1)
        else:
            segments.append(Segment(start=i, stop=i + 1))
    return segments


def _records(old: Index, segments: Sequence[Segment],
             ) -> tuple[list[tuple[Segment, Placed]], np.ndarray]:
    """Each segment with its new position, and old row → new row (-1 for a removed row)."""
    sec_first = np.concatenate([[0], np.cumsum([s.sections for s in old.sources])])
    par_first = np.concatenate([[0], np.cumsum([s.paragraphs for s in old.sources])])
    row_map = np.full(old.size, -1, dtype=np.int32)
    placed = []
    row = section = paragraph = source = 0
    for seg in segments:
        where_row = row
        if seg.doc is None:
            a, b = old.sources[seg.start].first, end_row(old, seg.stop)
            row_map[a:b] = np.arange(row, row + b - a, dtype=np.int32)
            rows, count = b - a, seg.stop - seg.start
            sections = int(sec_first[seg.stop] - sec_first[seg.start])
            paragraphs = int(par_first[seg.stop] - par_first[seg.start])
        else:
            d = seg.doc.document
            rows, sections, count = d.sentence_count, len(d.sections), 1
            paragraphs = sum(len(s.paragraphs) for s in d.sections)
        placed.append((seg, Placed(row=where_row, section=section, paragraph=paragraph,
                                   source=source, rows=rows)))
        row, section, paragraph, source = (row + rows, section + sections,
                                           paragraph + paragraphs, source + count)
    return placed, row_map


def _structure(old: Index, placed: list[tuple[Segment, Placed]]) -> dict[str, object]:
    """Sources, sections, paragraphs and features of the new index, spliced."""
    sec_first = np.concatenate([[0], np.cumsum([s.sections for s in old.sources])])
    par_first = np.concatenate([[0], np.cumsum([s.paragraphs for s in old.sources])])
    sources: list[SourceRecord] = []
    headings: list[str | None] = []
    parts: dict[str, list[np.ndarray]] = {k: [] for k in (
        "sent_section", "sent_para", "para_number", "features")}
    section_map = np.full(len(old.section_headings), -1, dtype=np.int32)
    source_map = np.full(len(old.sources), -1, dtype=np.int32)
    added_headings: list[dict[str, np.ndarray]] = []
    added_titles: list[dict[str, np.ndarray]] = []
    for seg, at in placed:
        if seg.doc is None:
            a, b = old.sources[seg.start].first, end_row(old, seg.stop)
            s0, s1 = int(sec_first[seg.start]), int(sec_first[seg.stop])
            p0, p1 = int(par_first[seg.start]), int(par_first[seg.stop])
            section_map[s0:s1] = np.arange(at.section, at.section + s1 - s0, dtype=np.int32)
            source_map[seg.start:seg.stop] = np.arange(at.source, at.source + seg.stop - seg.start,
                                                       dtype=np.int32)
            shift = at.row - a
            sources += [replace(s, first=s.first + shift) for s in old.sources[seg.start:seg.stop]]
            headings += old.section_headings[s0:s1]
            parts["sent_section"].append(old.sent_section[a:b] + np.int32(at.section - s0))
            parts["sent_para"].append(old.sent_para[a:b] + np.int32(at.paragraph - p0))
            parts["para_number"].append(old.para_number[p0:p1])
            parts["features"].append(old.features[a:b])
            continue
        one = document_structure([seg.doc.document])
        for field, added, shift in (("heading_terms", added_headings, at.section),
                                    ("title_terms", added_titles, at.source)):
            terms: dict[str, np.ndarray] = one[field]  # type: ignore[assignment]
            added.append({t: v + np.int32(shift) for t, v in terms.items()})
        sources.append(replace(one["sources"][0], first=at.row))  # type: ignore[index]
        headings += one["section_headings"]  # type: ignore[arg-type]
        parts["sent_section"].append(one["sent_section"] + np.int32(at.section))  # type: ignore[operator]
        parts["sent_para"].append(one["sent_para"] + np.int32(at.paragraph))  # type: ignore[operator]
        parts["para_number"].append(one["para_number"])  # type: ignore[arg-type]
        parts["features"].append(np.asarray(seg.doc.features, dtype=np.uint8))
    heading_terms = _moved_field(old.heading_terms, section_map, added_headings)
    title_terms = _moved_field(old.title_terms, source_map, added_titles)
    counts = np.fromiter((s.count for s in sources), dtype=np.int64, count=len(sources))
    return {
        "sources": tuple(sources), "section_headings": tuple(headings),
        "sent_source": np.repeat(np.arange(len(sources), dtype=np.int32), counts),
        **{k: np.concatenate(v).astype(np.uint8 if k == "features" else np.int32)
           for k, v in parts.items()},
        "heading_terms": heading_terms, "title_terms": title_terms,
    }


def _moved_field(field: Mapping[str, np.ndarray], id_map: np.ndarray,
                 added: list[Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """A term → ids map (of sections or sources) renumbered, and new documents' ids merged in.

    Equal to `build.field_terms` over the new headings or titles, without tokenizing them again.
    """
    keys = list(field)
    moved: dict[str, np.ndarray] = {}
    if keys:
        arrays = [field[k] for k in keys]
        lengths = np.fromiter(map(len, arrays), dtype=np.int64, count=len(arrays))
        ids = id_map[np.concatenate(arrays)]
        keep = ids >= 0
        owner = np.repeat(np.arange(len(keys)), lengths)[keep]
        pieces = np.split(ids[keep], np.cumsum(np.bincount(owner, minlength=len(keys)))[:-1])
        moved = {k: piece for k, piece in zip(keys, pieces, strict=True) if len(piece)}
    for extra in added:
        for term, ids in extra.items():
            moved[term] = np.sort(np.concatenate([moved[term], ids])) if term in moved else ids
    return moved


def _places(old: Index, seg: Segment) -> np.ndarray:
    """A segment's token places (old ones a view, not a copy)."""
    if seg.doc is None:
        return old.row_places[old.tokens(old.sources[seg.start].first, end_row(old, seg.stop))]
    return token_places(seg.doc)


def _texts(old: Index, seg: Segment) -> tuple[np.ndarray, np.ndarray]:
    """A segment's sentence byte lengths and its text bytes (uint8; old ones a view, not a copy)."""
    if seg.doc is None:
        a, b = old.sources[seg.start].first, end_row(old, seg.stop)
        lo, hi = int(old.text_offsets[a]), int(old.text_offsets[b])
        return np.diff(old.text_offsets[a:b + 1]), np.frombuffer(old.text, np.uint8)[lo:hi]
    texts = [s.encode("utf-8") for sec in seg.doc.document.sections
             for p in sec.paragraphs for s in p.sentences]
    return (np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)),
            np.frombuffer(b"".join(texts), np.uint8))
