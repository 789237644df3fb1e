"""Which sources changed since an index was built, read as documents: the input of a patch."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .build import TokenizedDocument, prune_cache, tokenize_files
from .corpus import Index
from .sources import SkippedSource, SourceFile

log = logging.getLogger(__name__)
# Past this many changed sources a full build is about as fast (each costs a pass over postings).
MAX_PATCHED_SOURCES = 8
LAST_GOOD = "serving its last good version"


@dataclass(frozen=True)
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
            source = SkippedSource(source.source_id, f"{source.reason}; {LAST_GOOD}",
                                   source.sha256)
        still.append(source)
    return Changes(changes, tuple(sorted(still, key=lambda s: s.source_id)))
