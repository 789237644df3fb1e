"""The steps of Engine.rebuild that need no engine: pausing the collector, stems, the report.

index/engine.py decides what to serve and when; these are the pieces it calls on the way.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from .corpus import Index
from .errors import IndexFormatError
from .models import BuildReport
from .sources import SkippedSource
from .store import read_manifest
from .tokens import tokenize
from .topics import TOPICS_FILE


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a rebuild allocates its (acyclic) data.

    A full collection over a large rebuild's objects holds the GIL for 100+ ms, which would stall
    the bot's event loop; reference counting still frees everything meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def learn_stems(sources_dir: Path) -> None:
    """Stem the words questions are expanded with, so the saved stems cover them too.

    Those are the topics file's (issue keys, aliases) and the word lists in index/data
    (names, demonyms, synonyms), all tokenized when a question is answered.
    """
    data = Path(__file__).parent / "data"
    for path in (sources_dir / TOPICS_FILE, *sorted(data.glob("*.txt"))):
        with suppress(OSError, UnicodeError):  # only speed is at stake here
            tokenize(path.read_text(encoding="utf-8"))


def saved_hashes(index_dir: Path) -> dict[str, str]:
    """Source id → hash of what the saved index was built from (empty: none is saved)."""
    try:
        saved = read_manifest(index_dir)[1]["sources"]
        return {s["source_id"]: s["sha256"] for s in saved}
    except (IndexFormatError, KeyError, TypeError):
        return {}


def skipped_records(skipped: Sequence[SkippedSource]) -> list[dict[str, str]]:
    """The skipped sources as the manifest records them."""
    return [{"source_id": s.source_id, "reason": s.reason, "sha256": s.sha256} for s in skipped]


def change_report(before: dict[str, str], index: Index, skipped: tuple[tuple[str, str], ...], *,
                  seconds: float, searchable_seconds: float) -> BuildReport:
    """What a rebuild added, changed and removed against the hashes served `before`."""
    after = {s.source_id: s.sha256 for s in index.sources}
    return BuildReport(
        added=tuple(sorted(after.keys() - before.keys())),
        changed=tuple(sorted(k for k in after.keys() & before.keys() if after[k] != before[k])),
        removed=tuple(sorted(before.keys() - after.keys())),
        skipped=skipped, sources=len(index.sources), sentences=index.size, seconds=seconds,
        searchable_seconds=searchable_seconds)
