"""The Engine: one sources folder, its saved index, and answers; what the CLI and the bot call."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs

from .answer import answer, with_candidates
from .bm25 import Bm25Params
from .build import build_index, tokenizer_id
from .conversation import Turn, resolve_turn
from .corpus import Index
from .errors import CitebotError, IndexFormatError
from .integrity import IntegrityCheck
from .models import Answer, BuildReport, SourceInfo
from .rebuild_steps import (
    change_report,
    cyclic_gc_paused,
    learn_stems,
    saved_hashes,
    skipped_records,
)
from .semantic import SemanticOrder
from .settings import SearchSettings
from .sources import SkippedSource, scan
from .store import (
    STEMS,
    load_index,
    needs_background_check,
    read_manifest,
    save_index,
    writer_lock,
)
from .tokens import offer_stems
from .topics import Topics, load_topics
from .warm import Warming

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (source files read so far, files in all)


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    """What is being served: an index and the topics read with it (swapped as one value)."""

    index: Index
    topics: Topics
    skipped_sources: tuple[SkippedSource, ...] = ()  # with their hashes, for the next patch

    @property
    def skipped(self) -> tuple[tuple[str, str], ...]:
        """The sources skipped, each with why: (source id, reason)."""
        return tuple((s.source_id, s.reason) for s in self.skipped_sources)


def default_index_dir(sources: Path) -> Path:
    """Where the index of a sources folder lives by default: the user's cache folder."""
    resolved = sources.resolve()
    key = hashlib.sha256(str(resolved).encode()).hexdigest()[:12]
    return platformdirs.user_cache_path("citebot") / "indexes" / f"{resolved.name}-{key}"


class Engine:
    """Answers questions from a sources folder, keeping its saved index up to date."""

    def __init__(self, sources_dir: Path, index_dir: Path, settings: SearchSettings | None = None,
                 params: Bm25Params | None = None) -> None:
        self.sources_dir = sources_dir
        self.index_dir = index_dir
        self.settings = settings or SearchSettings()
        self.params = params or Bm25Params()
        self._snapshot: Snapshot | None = None
        self._rebuild_lock = threading.Lock()  # one rebuild at a time in this process
        self._check = IntegrityCheck(index_dir)
        self._order = SemanticOrder()
        # The settings are read when warming runs: callers may replace them (engine.settings = …).
        self._warming = Warming(lambda: self.snapshot, self._order, lambda: self.settings)

    @property
    def snapshot(self) -> Snapshot:
        """The served index and topics, loading or building them on first use."""
        if self._snapshot is None:
            self.open()
        assert self._snapshot is not None
        return self._snapshot

    def open(self, progress: Progress | None = None) -> BuildReport:
        """Serve the saved index if it matches the sources, else rebuild it."""
        if self._is_fresh():
            try:
                return self._load_saved()
            except IndexFormatError as exc:
                log.warning("index at %s is unusable (%s); rebuilding", self.index_dir, exc)
        return self.rebuild(progress=progress)

    def _load_saved(self, *, background_check: bool = True) -> BuildReport:
        """Serve the saved index (its checksums checked now, or in the background if big)."""
        index, manifest = load_index(self.index_dir)
        skipped = tuple(SkippedSource(source_id=s["source_id"], reason=s["reason"],
                                      sha256=s.get("sha256", ""))
                        for s in manifest["skipped"])
        generation = str(manifest["generation"])
        offer_stems(self.index_dir / generation / STEMS, tokenizer_id())
        self._snapshot = Snapshot(index=index, topics=self._topics(), skipped_sources=skipped)
        self._check.loaded(generation, verified=not needs_background_check(manifest),
                           background=background_check)
        self._warming.published()  # e.g. another process's build, served instead of building
        return BuildReport(sources=len(index.sources), sentences=index.size,
                           skipped=self._snapshot.skipped, rebuilt=False)

    def _topics(self) -> Topics:
        """The sources folder's topics (validated once per content, kept beside the index)."""
        return load_topics(self.sources_dir, self.index_dir / "topics")

    def _is_fresh(self) -> bool:
        """Whether the saved index was built from exactly the current sources, same tokenizer."""
        try:
            _, manifest = read_manifest(self.index_dir)
            recorded = {s["source_id"]: s["sha256"] for s in manifest["sources"]}
            recorded |= {s["source_id"]: s["sha256"] for s in manifest["skipped"]}
            current = {f.source_id: f.sha256 for f in scan(self.sources_dir)}
            return (manifest.get("tokenizer") == tokenizer_id() and recorded == current
                    and manifest.get("params") == vars(self.params))
        except (IndexFormatError, KeyError, TypeError):
            return False

    def rebuild(self, progress: Progress | None = None, *, trust_saved: bool = True,
                ) -> BuildReport:
        """Re-read the sources; build, save and publish a new index (old one serves till then).

        One writer per index folder: another process's build is waited for, and served if it
        already matches the sources. A few changed sources patch the index; more rebuild it.
        `trust_saved=False` (a damaged index) ignores what is saved and builds from the sources.
        """
        with self._rebuild_lock, writer_lock(self.index_dir) as waited, cyclic_gc_paused():
            started = time.perf_counter()
            if waited and trust_saved and self._snapshot is None and self._is_fresh():
                try:
                    log.info("another process has just built the index; serving it")
                    return self._load_saved()
                except IndexFormatError:
                    pass
            before = self._served_hashes()
            topics = self._topics()  # a bad issues.toml fails before any swap
            index, skipped = (trust_saved and self._patched()) or self._built(progress)
            if self._unchanged(index, skipped, topics):  # e.g. the watcher after /add's rebuild
                return BuildReport(skipped=self._snapshot.skipped, sources=len(index.sources),
                                   sentences=index.size, seconds=time.perf_counter() - started)
            learn_stems(self.sources_dir)
            # Published before it is saved, so it answers while ~500 MB (at 1M sentences) are
            # written; a save that fails puts the old index back (it is still the saved one).
            served, self._snapshot = self._snapshot, Snapshot(
                index=index, topics=topics, skipped_sources=tuple(skipped))
            searchable = time.perf_counter() - started
            try:
                generation = save_index(index, self.index_dir,
                                        {"skipped": skipped_records(skipped)})
            except BaseException:  # a full disk, or stopped mid-write: the saved index serves
                self._snapshot = served
                raise
            self._check.loaded(generation.name, verified=True)
            report = change_report(before, index, self._snapshot.skipped,
                                   seconds=time.perf_counter() - started,
                                   searchable_seconds=searchable)
            log.info("index rebuilt: %s", report.summary)
            self._warming.published()
            return report

    def _unchanged(self, index: Index, skipped: Sequence[SkippedSource], topics: Topics) -> bool:
        """Whether the rebuild found nothing new to serve and the saved index is still in place.

        A patch with no changes hands back the served index itself; saving an identical copy
        would only cost a full write.
        """
        snap = self._snapshot
        if snap is None or index is not snap.index or tuple(skipped) != snap.skipped_sources \
                or topics != snap.topics:
            return False
        try:
            read_manifest(self.index_dir)
        except IndexFormatError:
            return False
        return True

    def _patched(self) -> tuple[Index, Sequence[SkippedSource]] | None:
        """The served (or saved) index patched with the changed sources, if few changed."""
        from .patch import patch_index  # only a rebuild needs these: not imported to answer
        from .refresh import plan_changes

        base = self._patch_base()
        if base is None:
            return None
        index, skipped = base
        changes = plan_changes(index, skipped, scan(self.sources_dir), self.index_dir / "cache")
        if changes is None:
            return None
        try:
            patched = patch_index(index, changes.documents) if changes.documents else index
        except Exception:  # a patch is an optimisation: a full build is always the way back
            log.exception("patching the index failed; rebuilding it in full")
            return None
        return (patched, changes.skipped) if patched is not None else None

    def _patch_base(self) -> tuple[Index, tuple[SkippedSource, ...]] | None:
        """A verified index built by this tokenizer and these settings to patch, if there is one."""
        if self._snapshot is None:
            try:  # checked below, before it is used: no background check as well
                self._load_saved(background_check=False)
            except (IndexFormatError, KeyError, TypeError, ValueError):
                return None
        assert self._snapshot is not None
        index = self._snapshot.index
        if index.tokenizer != tokenizer_id() or index.params != self.params:
            return None
        return (index, self._snapshot.skipped_sources) if self._check.verified_now() else None

    def _built(self, progress: Progress | None) -> tuple[Index, list[SkippedSource]]:
        """A full build from every source file."""
        from .refresh import read_documents  # only a rebuild reads sources: not imported to answer

        tokenized, skipped = read_documents(self.sources_dir, self.index_dir / "cache",
                                            self._previous_index, progress)
        return build_index(tokenized, self.params), sorted(skipped, key=lambda s: s.source_id)

    def _previous_index(self) -> Index | None:
        """The index served now, or saved last: where a broken source's good version is."""
        if self._snapshot is not None:
            return self._snapshot.index
        try:
            return load_index(self.index_dir)[0]
        except IndexFormatError:
            return None

    def _served_hashes(self) -> dict[str, str]:
        """Source id → hash of what is served now, or was saved last (to report changes)."""
        if self._snapshot is not None:
            return {s.source_id: s.sha256 for s in self._snapshot.index.sources}
        return saved_hashes(self.index_dir)

    def keep_warm(self) -> None:
        """Warm the served index up now and every rebuilt one once published (a serving process).

        Each on a thread of its own, so neither the caller nor a rebuild waits for it (~0.2 s at
        100k sentences, ~2 s at 1M); the first questions after an /add then pay nothing once.
        """
        self._warming.keep()

    def stop_warming(self) -> None:
        """Drop the warming still ahead (the passages not embedded yet) and start no more."""
        self._warming.stop()

    def warm(self) -> None:
        """Make what the first questions would make once, now (index/warm.py), on this thread."""
        self._warming.run()

    def ask(self, question: str, *, top: int = 3, source: str | None = None,
            context: int = 1) -> Answer:
        """Answer a question from the sources."""
        return self._answering(lambda snap: answer(
            snap.index, snap.topics, question, top=top, source=source, context=context,
            settings=self.settings), context=context)

    def ask_issue(self, key: str, *, side: str | None = None, question: str = "",
                  top: int = 3, context: int = 1) -> Answer:
        """The passages for one sticking point, optionally about one party or narrowed further."""
        def run(snap: Snapshot) -> Answer:
            issue = snap.topics.issue(key)
            party = snap.topics.party(side) if side else None
            return answer(snap.index, snap.topics, question, top=top, context=context,
                          issue=issue, side=party, settings=self.settings)

        return self._answering(run)

    def _answering(self, run: Callable[[Snapshot], Answer], *,
                   context: int | None = None) -> Answer:
        """Run an answer, its first passages ordered by meaning too (index/semantic).

        A damaged index found on the way is rebuilt and the answer retried: a big index's
        checksums are checked in the background, and once they fail, or when a question fails
        unexpectedly and they fail then, the index is rebuilt instead of failing for good.
        """
        if self._check.damaged():
            log.warning("index at %s is damaged; rebuilding it", self.index_dir)
            self._force_full_rebuild()
        snap = self.snapshot
        self._order.preload(weight=self.settings.semantic_weight, sentences=snap.index.size)
        try:
            result = run(snap)
        except CitebotError:
            raise
        except Exception:
            if self._check.verified_now():
                raise  # the saved index is sound: a bug, not damage
            log.warning("index at %s is damaged; rebuilding it", self.index_dir)
            self._force_full_rebuild()
            snap = self.snapshot
            result = run(snap)
        result = self._order.reordered(result, weight=self.settings.semantic_weight,
                                       sentences=snap.index.size)
        if context is None:  # an issue's passages: what the issue's words find
            return result
        return self._order.closest_first(snap.index, result, context=context,
                                         margin=self.settings.meaning_first,
                                         weight=self.settings.semantic_weight)

    def _force_full_rebuild(self) -> None:
        """Build a new index from the sources, ignoring the damaged one (served till the swap)."""
        self.rebuild(trust_saved=False)

    def ask_turn(self, question: str, history: Sequence[Turn], *, top: int = 3,
                 source: str | None = None, context: int = 1) -> Answer:
        """Answer one turn of a conversation, read with the earlier turns (oldest first)."""
        def run(snap: Snapshot) -> Answer:
            resolved = resolve_turn(history, question, snap.topics)

            def asked(count: int) -> Answer:
                return answer(
                    snap.index, snap.topics, resolved.question, top=count, source=source,
                    context=context, settings=self.settings,
                    issue=snap.topics.issue(resolved.issue) if resolved.issue else None,
                    side=snap.topics.party(resolved.side) if resolved.side else None,
                    carried=resolved.carried, own_words=resolved.own_words,
                    prefer=resolved.prefer)

            result = asked(top)
            # A follow-up's passages after the first are chosen among more (index/semantic): the
            # words' next ones are added as candidates. Whether to answer, and the passages the
            # first is chosen from, stay those of `top` (a decline reads every passage shown).
            pool = self._order.pool(top, follow_up=resolved.understood_as is not None,
                                    weight=self.settings.semantic_weight,
                                    sentences=snap.index.size)
            if pool > top and result.answered:
                result = with_candidates(result, asked(pool).passages, pool)
            return replace(result, question=question, understood_as=resolved.understood_as)

        result = self._answering(run, context=context)
        return replace(result, passages=result.passages[:top])

    def sources(self) -> list[SourceInfo]:
        """What is indexed."""
        return [s.info for s in self.snapshot.index.sources]
