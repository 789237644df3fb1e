"""What a rebuild reads: the sources as documents, or only those changed since the last index."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from .build import TokenizedDocument
from .corpus import Index
from .models import Document, Paragraph, Section
from .sources import SkippedSource, SourceFile
from .tokenize_sources import load_tokenized, prune_cache, tokenize_documents, tokenize_files

log = logging.getLogger(__name__)
# Past this many changed sources a full build is about as fast (each costs a pass over postings).
MAX_PATCHED_SOURCES = 8
LAST_GOOD = "serving its last good version"


@dataclass(frozen=True, kw_only=True)
class Changes:
    """Sources to replace or add (a document) or remove (None), and what is skipped now."""

    documents: dict[str, TokenizedDocument | None]
    skipped: tuple[SkippedSource, ...]


def plan_changes(index: Index, skipped: Sequence[SkippedSource], files: Sequence[SourceFile],
                 cache_dir: Path) -> Changes | None:
    """The changes from an index to the files now (None if too many for a patch).

    Only changed files are read. A file skipped before and unchanged stays skipped unread; an
    indexed source whose file became unusable keeps its last good version, as a full rebuild does.
    """
    recorded = {s.source_id: s.sha256 for s in index.sources}
    was_skipped = {s.source_id: s for s in skipped}
    current = {f.source_id for f in files}
    todo = [f for f in files if recorded.get(f.source_id) != f.sha256
            and getattr(was_skipped.get(f.source_id), "sha256", None) != f.sha256]
    removed = recorded.keys() - current
    if len(todo) + len(removed) > MAX_PATCHED_SOURCES:
        return None
    documents, unusable = tokenize_files(todo, cache_dir)
    prune_cache(cache_dir, files)
    changes: dict[str, TokenizedDocument | None] = {d.document.source_id: d for d in documents}
    changes |= dict.fromkeys(removed)
    fresh_todo = {f.source_id for f in todo}
    still = [s for s in skipped if s.source_id in current and s.source_id not in fresh_todo]
    for source in unusable:
        if source.source_id in recorded:
            log.warning("source %s is unusable (%s); %s", source.source_id, source.reason,
                        LAST_GOOD)
            source = SkippedSource(source_id=source.source_id,
                                   reason=f"{source.reason}; {LAST_GOOD}",
                                   sha256=source.sha256)
        still.append(source)
    return Changes(documents=changes, skipped=tuple(sorted(still, key=lambda s: s.source_id)))


def read_documents(sources_dir: Path, cache_dir: Path, previous: Callable[[], Index | None],
                   progress: Callable[[int, int], None] | None = None,
                   ) -> tuple[list[TokenizedDocument], list[SkippedSource]]:
    """Every usable source as a document; one that became unusable keeps its last good version.

    `previous` gives the index served or saved last (asked only when a source is unusable).
    """
    documents, skipped = load_tokenized(sources_dir, cache_dir, progress=progress)
    earlier = previous() if skipped else None
    kept = []
    for source in skipped:
        position = earlier.source_index(source.source_id) if earlier else None
        if earlier is None or position is None:
            kept.append(source)
            continue
        log.warning("source %s is unusable (%s); %s", source.source_id, source.reason, LAST_GOOD)
        documents += tokenize_documents([document_from_index(earlier, position)], cache_dir)
        kept.append(SkippedSource(source_id=source.source_id,
                                  reason=f"{source.reason}; {LAST_GOOD}",
                                  sha256=source.sha256))
    documents.sort(key=lambda d: d.document.source_id)
    return documents, kept


def document_from_index(index: Index, position: int) -> Document:
    """Rebuild a source's Document (sections, paragraphs, sentences) from an index."""
    record = index.sources[position]
    sections: list[Section] = []
    rows = range(record.first, record.first + record.count)
    for section_id, section_rows in groupby(rows, key=lambda r: int(index.sent_section[r])):
        paragraphs = [
            Paragraph(number=int(index.para_number[para]),
                      sentences=tuple(index.sentence(r) for r in para_rows))
            for para, para_rows in groupby(section_rows, key=lambda r: int(index.sent_para[r]))]
        sections.append(Section(heading=index.section_headings[section_id],
                                paragraphs=tuple(paragraphs)))
    return Document(source_id=record.source_id, title=record.title, sections=tuple(sections),
                    sha256=record.sha256, url=record.url,
                    published=record.published, publisher=record.publisher)
