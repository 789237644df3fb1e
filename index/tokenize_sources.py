"""Source files → tokenized documents, through a per-file cache, on several cores when large.

Each source file's parse (sections, paragraphs, sentences) and tokenization are cached by content
hash as plain JSON: its distinct terms in first-seen order, each token as an id into them, and
each token's place in its sentence (uint16 pairs, little-endian, base64).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np

from . import tokens
from .build import TokenizedDocument, tokenize_document, tokenizer_id
from .models import Document, Paragraph, Section
from .sources import SkippedSource, SourceFile, read_source, scan

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")
PARALLEL_MIN_SENTENCES = 20_000  # below this, starting worker processes costs more than it saves
PARALLEL_MIN_BYTES = 2_000_000  # the same, in source bytes (before parsing)


def _cache_path(cache_dir: Path, sha256: str) -> Path:
    """Where a file's parse and tokens are cached: keyed by content hash and the code's hash."""
    return cache_dir / f"{sha256[:32]}-{tokenizer_id()}.json"


def _document(data: dict, source: SourceFile) -> Document:
    """The cached parse of a source file."""
    sections = tuple(
        Section(heading=h, paragraphs=tuple(Paragraph(number=int(n), sentences=tuple(s))
                                            for n, s in paras))
        for h, paras in data["sections"])
    return Document(source_id=source.source_id, title=str(data["title"]), sections=sections,
                    sha256=source.sha256,
                    url=data["url"], published=data["published"], publisher=data["publisher"])


def _read_cached(path: Path, source: SourceFile | None = None,
                 document: Document | None = None) -> TokenizedDocument | None:
    """A cached tokenization, if present and consistent (else None: a bad cache only costs time)."""
    import base64  # only a build reads the cache: not imported to answer

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if document is None:
            if source is None or data["source_id"] != source.source_id:
                return None
            document = _document(data, source)
        ids = np.asarray(data["ids"], dtype=np.int32)
        lengths = np.asarray(data["lengths"], dtype=np.int32)
        terms = tuple(str(t) for t in data["terms"])
        places = np.frombuffer(base64.b64decode(data["places"], validate=True),
                               dtype="<u2").astype(np.uint16).reshape(-1, 2)
        in_range = not len(ids) or (int(ids.min()) >= 0 and int(ids.max()) < len(terms))
        ok = (len(lengths) == document.sentence_count == len(data["features"])
              and int(lengths.sum()) == len(ids) == len(places) and in_range)
        features = tuple(int(f) for f in data["features"])
        return TokenizedDocument(document=document, terms=terms, ids=ids, lengths=lengths,
                                 features=features, places=places) if ok else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_cached(path: Path, doc: TokenizedDocument) -> None:
    """Save a tokenization (atomically; a cache write failure only costs speed)."""
    import base64  # only a build writes the cache: not imported to answer

    d = doc.document
    payload = {"source_id": d.source_id, "title": d.title, "url": d.url,
               "published": d.published, "publisher": d.publisher,
               "sections": [[s.heading, [[p.number, list(p.sentences)] for p in s.paragraphs]]
                            for s in d.sections],
               "terms": list(doc.terms), "ids": doc.ids.tolist(),
               "lengths": doc.lengths.tolist(), "features": list(doc.features),
               # 40M numbers at 1M sentences: as JSON numbers they took seconds to write.
               "places": None if doc.places is None else
               base64.b64encode(doc.places.astype("<u2").tobytes()).decode("ascii")}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("cannot write token cache %s: %s", path, exc)


def _map(fn: Callable[[T], R], items: list[T], parallel: bool,
         workers: int | None) -> Iterator[R]:
    """Apply fn to items in order: in this process, or across processes (for big batches)."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if not parallel or workers <= 1 or len(items) < 2:
        yield from map(fn, items)
        return
    from concurrent.futures import ProcessPoolExecutor  # only a large build needs workers

    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, min(16, len(items) // (8 * workers)))
        for result, stems in pool.map(partial(_with_stems, fn), items, chunksize=chunk):
            # A worker's stems come back, so the index saves them: serving it needs no nltk.
            tokens.learn_stems(stems)
            yield result


def _with_stems(fn: Callable[[T], R], item: T) -> tuple[R, dict[str, str]]:
    """fn(item), and the stems this worker process computed for it."""
    return fn(item), tokens.new_stems()


def tokenize_documents(documents: Sequence[Document], cache_dir: Path | None = None,
                       workers: int | None = None,
                       progress: Callable[[int], None] | None = None) -> list[TokenizedDocument]:
    """Tokenize documents, reusing and filling the per-file cache, on several cores when large."""
    done: dict[int, TokenizedDocument] = {}
    for i, document in enumerate(documents):
        path = _cache_path(cache_dir, document.sha256) if cache_dir else None
        cached = _read_cached(path, document=document) if path else None
        if cached:
            done[i] = cached
            if progress:
                progress(document.sentence_count)
    todo = [d for i, d in enumerate(documents) if i not in done]
    big = sum(d.sentence_count for d in todo) >= PARALLEL_MIN_SENTENCES
    fresh = _map(tokenize_document, todo, big, workers)
    for i, tokenized in zip([i for i in range(len(documents)) if i not in done], fresh,
                            strict=True):
        done[i] = tokenized
        if cache_dir:
            _write_cached(_cache_path(cache_dir, tokenized.document.sha256), tokenized)
        if progress:
            progress(tokenized.document.sentence_count)
    return [done[i] for i in range(len(documents))]


def _parse_and_tokenize(source: SourceFile) -> TokenizedDocument | SkippedSource:
    """Read, split and tokenize one source file (or say why it is skipped)."""
    try:
        return tokenize_document(read_source(source))
    except (ValueError, OSError) as exc:
        return SkippedSource(source_id=source.source_id, reason=str(exc), sha256=source.sha256)


def load_tokenized(folder: Path, cache_dir: Path | None, workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   ) -> tuple[list[TokenizedDocument], list[SkippedSource]]:
    """Every usable source in a folder, parsed and tokenized; cached files are not re-read.

    `progress` gets (files done, files in the folder).
    """
    files = scan(folder)
    documents, skipped = tokenize_files(files, cache_dir, workers, progress)
    if cache_dir:
        prune_cache(cache_dir, files)
    return documents, skipped


def tokenize_files(files: Sequence[SourceFile], cache_dir: Path | None,
                   workers: int | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   ) -> tuple[list[TokenizedDocument], list[SkippedSource]]:
    """Some source files parsed and tokenized (from the cache where it has them), in order."""
    results: dict[int, TokenizedDocument | SkippedSource] = {}
    for i, source in enumerate(files):
        path = _cache_path(cache_dir, source.sha256) if cache_dir else None
        if path and (cached := _read_cached(path, source)):
            results[i] = cached
    if progress:
        progress(len(results), len(files))
    todo = [i for i in range(len(files)) if i not in results]
    big = sum(files[i].size for i in todo) >= PARALLEL_MIN_BYTES
    for i, result in zip(todo, _map(_parse_and_tokenize, [files[i] for i in todo], big, workers),
                         strict=True):
        results[i] = result
        if isinstance(result, SkippedSource):
            log.warning("skipping source %s: %s", result.source_id, result.reason)
        elif cache_dir:
            _write_cached(_cache_path(cache_dir, result.document.sha256), result)
        if progress:
            progress(len(results), len(files))
    ordered = [results[i] for i in range(len(files))]
    return ([r for r in ordered if isinstance(r, TokenizedDocument)],
            [r for r in ordered if isinstance(r, SkippedSource)])


def prune_cache(cache_dir: Path, files: Sequence[SourceFile]) -> None:
    """Delete cache entries no current source uses (old versions, other code, leftovers)."""
    if not cache_dir.is_dir():  # nothing cached yet (an empty folder builds no cache)
        return
    keep = {_cache_path(cache_dir, f.sha256).name for f in files}
    try:
        for path in cache_dir.iterdir():
            if path.name not in keep and path.is_file():
                path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("cannot prune token cache %s: %s", cache_dir, exc)
