"""Sources → Index: a pure build function, plus the per-file cache that makes rebuilds cheap.

Each source file's parse (sections, paragraphs, sentences) and tokenization are cached by content
hash as plain JSON: its distinct terms in first-seen order, each token as an id into them, and
each token's place in its sentence (uint16 pairs, little-endian, base64).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial
from pathlib import Path
from typing import TypeVar

import numpy as np

from . import tokens
from .bm25 import Bm25Params, postings_from_ids
from .corpus import UNKNOWN_PLACE, Index, SourceRecord
from .cues import sentence_features
from .models import Document, Paragraph, Section
from .sentences import splitter_id
from .sources import SkippedSource, SourceFile, read_source, scan
from .tokens import spans, tokenize_phrase

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")
PARALLEL_MIN_SENTENCES = 20_000  # below this, starting worker processes costs more than it saves
PARALLEL_MIN_BYTES = 2_000_000  # the same, in source bytes (before parsing)


def _identity_files() -> list[Path]:
    """The code and data that decide what a file parses and tokenizes to (ours and nltk's)."""
    ours = [_module_file(name)
            for name in ("sources", "textfiles", "html", "sentences", "tokens", "cues")]
    data = sorted((Path(__file__).parent / "data").glob("*"))
    spec = importlib.util.find_spec("nltk")  # finds the package without importing it (~0.12 s)
    nltk_dir = Path(next(iter(spec.submodule_search_locations or ()))) if spec else None
    theirs = [nltk_dir / "stem" / "snowball.py", nltk_dir / "tokenize" / "punkt.py"] \
        if nltk_dir else []
    return ours + data + theirs


def _module_file(name: str) -> Path:
    """One of our modules' file, found without importing it (answering needs no YAML parser)."""
    module = sys.modules.get(f"{__package__}.{name}")
    if module is not None:
        return Path(str(module.__file__))
    spec = importlib.util.find_spec(f"{__package__}.{name}")
    return Path(str(spec.origin if spec else name))


@cache
def tokenizer_id() -> str:
    """A hash of that code and data and of the Punkt model: saved with the index and the cache.

    Derived, never hand-bumped: any edit to the tokenizer makes every saved index stale.
    """
    digest = hashlib.sha256(splitter_id().encode())
    for path in _identity_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, kw_only=True)
class TokenizedDocument:
    """A document with its sentences' terms (as ids into its own term list) and features."""

    document: Document
    terms: tuple[str, ...]  # the document's distinct terms, in first-seen order
    ids: np.ndarray  # int32 [tokens]: every token, sentence after sentence, as an index into terms
    lengths: np.ndarray  # int32 [sentences]: tokens per sentence
    features: tuple[int, ...]
    # uint16 [tokens, 2]: each token's word (start, end) in its normalised sentence, as
    # tokens.spans gives it (UNKNOWN_PLACE past 65,534 characters); None: not known
    places: np.ndarray | None = None

    @property
    def tokens(self) -> tuple[tuple[str, ...], ...]:
        """Each sentence's terms."""
        words = [self.terms[i] for i in self.ids.tolist()]
        ends = np.cumsum(self.lengths).tolist()
        return tuple(tuple(words[e - n:e]) for e, n in zip(ends, self.lengths.tolist(),
                                                            strict=True))


def _sentences(document: Document) -> list[str]:
    """A document's sentences in order."""
    return [s for sec in document.sections for p in sec.paragraphs for s in p.sentences]


def tokenize_document(document: Document) -> TokenizedDocument:
    """Tokenize every sentence of a document, keeping where each token's word is."""
    local: dict[str, int] = {}
    ids: list[int] = []
    places: list[int] = []
    lengths: list[int] = []
    texts = _sentences(document)
    for text in texts:
        count = len(ids)
        # The very spans answering would read (tokenize's terms, with places); uncached, so a
        # build does not push the answer path's kept sentences out.
        for start, end, terms in spans.__wrapped__(text):
            for term in terms:
                ids.append(local.setdefault(term, len(local)))
                places += (start, end)
        lengths.append(len(ids) - count)
    return TokenizedDocument(document=document, terms=tuple(local),
                             ids=np.asarray(ids, dtype=np.int32),
                             lengths=np.asarray(lengths, dtype=np.int32),
                             features=tuple(int(sentence_features(s)) for s in texts),
                             places=_places(places))


def _places(flat: Sequence[int]) -> np.ndarray:
    """(start, end) pairs as uint16 [tokens, 2], a place past uint16 as UNKNOWN_PLACE."""
    return np.minimum(np.asarray(flat, dtype=np.int64), UNKNOWN_PLACE).astype(np.uint16) \
        .reshape(-1, 2)


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


def build_index(docs: Sequence[TokenizedDocument], params: Bm25Params | None = None) -> Index:
    """Build an Index from tokenized documents. Pure: same input, same index."""
    params = params or Bm25Params()
    vocab: dict[str, int] = {}  # first-seen order across the corpus, as rank-bm25 sees terms
    parts = [np.zeros(0, dtype=np.int64)]
    for doc in docs:
        local = np.fromiter((vocab.setdefault(t, len(vocab)) for t in doc.terms),
                            dtype=np.int64, count=len(doc.terms))
        parts.append(local[doc.ids])
    lengths = [np.zeros(0, dtype=np.int64)] + [d.lengths for d in docs]
    term_ids = np.concatenate(parts)
    postings = postings_from_ids(vocab, term_ids, np.concatenate(lengths).astype(np.int64),
                                 params)
    structure = document_structure([d.document for d in docs])
    texts = [s.encode("utf-8") for d in docs for s in _sentences(d.document)]
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=offsets[1:])
    return Index(
        params=params, tokenizer=tokenizer_id(), postings=postings,
        features=np.asarray([f for d in docs for f in d.features], dtype=np.uint8),
        text_offsets=offsets, text=b"".join(texts), row_terms=term_ids.astype(np.int32),
        row_places=np.concatenate([np.zeros((0, 2), dtype=np.uint16),
                                   *(token_places(d) for d in docs)]),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"), **structure,
    )


def token_places(doc: TokenizedDocument) -> np.ndarray:
    """A document's token places, UNKNOWN_PLACE throughout when they are not known."""
    if doc.places is not None:
        return doc.places
    return np.full((len(doc.ids), 2), UNKNOWN_PLACE, dtype=np.uint16)


def document_structure(documents: Sequence[Document]) -> dict[str, object]:
    """Sources, sections and paragraphs as arrays indexed by sentence row."""
    sources, headings, para_number = [], [], []
    sent_source, sent_section, sent_para = [], [], []
    for s_i, doc in enumerate(documents):
        sources.append(SourceRecord(
            source_id=doc.source_id, title=doc.title, sha256=doc.sha256, first=len(sent_source),
            count=doc.sentence_count, url=doc.url, published=doc.published,
            publisher=doc.publisher, sections=len(doc.sections),
            paragraphs=sum(len(section.paragraphs) for section in doc.sections)))
        for section in doc.sections:
            for paragraph in section.paragraphs:
                n = len(paragraph.sentences)
                sent_source += [s_i] * n
                sent_section += [len(headings)] * n
                sent_para += [len(para_number)] * n
                para_number.append(paragraph.number)
            headings.append(section.heading)
    as_int = lambda xs: np.asarray(xs, dtype=np.int32)  # noqa: E731
    heading_terms, title_terms = field_terms([d.title for d in documents], headings)
    return {
        "sources": tuple(sources), "section_headings": tuple(headings),
        "sent_source": as_int(sent_source), "sent_section": as_int(sent_section),
        "sent_para": as_int(sent_para), "para_number": as_int(para_number),
        "heading_terms": heading_terms, "title_terms": title_terms,
    }


def field_terms(titles: Sequence[str], headings: Sequence[str | None],
                ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Term → the section ids whose heading has it, and term → the source ids whose title has it."""
    def invert(phrases: Sequence[str | None]) -> dict[str, np.ndarray]:
        found: dict[str, list[int]] = {}
        for i, phrase in enumerate(phrases):
            for term in tokenize_phrase(phrase or ""):
                found.setdefault(term, []).append(i)
        return {t: np.asarray(v, dtype=np.int32) for t, v in found.items()}

    return invert(headings), invert(titles)


def token_rows(docs: Sequence[TokenizedDocument]) -> list[list[str]]:
    """Every sentence's terms, in index row order (what rank-bm25 would be given)."""
    return [list(row) for d in docs for row in d.tokens]
