"""Documents → Index: a pure function, plus the per-file token cache that makes rebuilds cheap."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from .bm25 import Bm25Params, postings_from_ids
from .corpus import Index, SourceRecord
from .cues import sentence_features
from .models import Document
from .sentences import splitter_name
from .tokens import TOKENIZER_VERSION, tokenize, tokenize_phrase

log = logging.getLogger(__name__)


def tokenizer_id() -> str:
    """Identifies everything that decides what a text tokenizes to (saved with the index)."""
    return f"{TOKENIZER_VERSION}+{splitter_name()}"


@dataclass(frozen=True)
class TokenizedDocument:
    """A document with each sentence's index terms and features, ready to index."""

    document: Document
    tokens: tuple[tuple[str, ...], ...]
    features: tuple[int, ...]


def tokenize_document(document: Document) -> TokenizedDocument:
    """Tokenize every sentence of a document."""
    sentences = [s for sec in document.sections for p in sec.paragraphs for s in p.sentences]
    return TokenizedDocument(document, tuple(tuple(tokenize(s)) for s in sentences),
                             tuple(int(sentence_features(s)) for s in sentences))


def _cache_path(cache_dir: Path, document: Document) -> Path:
    """Where a document's tokens are cached: keyed by content hash and tokenizer."""
    return cache_dir / f"{document.sha256[:32]}-{tokenizer_id()}.json"


def _read_cached(path: Path, document: Document) -> TokenizedDocument | None:
    """A cached tokenization, if present and consistent with the document."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        tokens = tuple(tuple(row.split()) for row in data["tokens"])
        if len(tokens) != document.sentence_count or len(data["features"]) != len(tokens):
            return None
        return TokenizedDocument(document, tokens, tuple(data["features"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_cached(path: Path, doc: TokenizedDocument) -> None:
    """Save a tokenization (atomically; a cache write failure only costs speed)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        payload = {"tokens": [" ".join(t) for t in doc.tokens], "features": list(doc.features)}
        tmp.write_text(json.dumps(payload), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("cannot write token cache %s: %s", path, exc)


def tokenize_documents(documents: Sequence[Document], cache_dir: Path | None = None,
                       workers: int | None = None,
                       progress: Callable[[int], None] | None = None) -> list[TokenizedDocument]:
    """Tokenize documents, reusing and filling the per-file cache, on several cores when large."""
    done: dict[int, TokenizedDocument] = {}
    todo: list[int] = []
    for i, document in enumerate(documents):
        cached = _read_cached(_cache_path(cache_dir, document), document) if cache_dir else None
        if cached:
            done[i] = cached
            if progress:
                progress(document.sentence_count)
        else:
            todo.append(i)
    for i, tokenized in zip(todo, _tokenize_many([documents[i] for i in todo], workers),
                            strict=True):
        done[i] = tokenized
        if cache_dir:
            _write_cached(_cache_path(cache_dir, tokenized.document), tokenized)
        if progress:
            progress(tokenized.document.sentence_count)
    return [done[i] for i in range(len(documents))]


def _tokenize_many(documents: list[Document], workers: int | None) -> Iterable[TokenizedDocument]:
    """Tokenize in this process when small, else across processes (tokenizing is the build's cost)."""
    sentences = sum(d.sentence_count for d in documents)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or sentences < 20_000 or len(documents) < 2:
        return map(tokenize_document, documents)
    pool = ProcessPoolExecutor(max_workers=workers)
    results = pool.map(tokenize_document, documents, chunksize=max(1, len(documents) // 64))

    def drain() -> Iterable[TokenizedDocument]:
        with pool:
            yield from results

    return drain()


def build_index(docs: Sequence[TokenizedDocument], params: Bm25Params | None = None) -> Index:
    """Build an Index from tokenized documents. Pure: same input, same index."""
    params = params or Bm25Params()
    vocab: dict[str, int] = {}
    term_ids: list[int] = []
    lengths: list[int] = []
    for doc in docs:
        for row in doc.tokens:
            term_ids.extend(vocab.setdefault(t, len(vocab)) for t in row)
            lengths.append(len(row))
    postings = postings_from_ids(vocab, np.asarray(term_ids, dtype=np.int64),
                                 np.asarray(lengths, dtype=np.int64), params)
    structure = _structure([d.document for d in docs])
    texts = [s.encode("utf-8") for d in docs for sec in d.document.sections
             for p in sec.paragraphs for s in p.sentences]
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=offsets[1:])
    return Index(
        params=params, tokenizer=tokenizer_id(), postings=postings,
        features=np.asarray([f for d in docs for f in d.features], dtype=np.uint8),
        text_offsets=offsets, text=b"".join(texts),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"), **structure,
    )


def _structure(documents: Sequence[Document]) -> dict[str, object]:
    """Sources, sections and paragraphs as arrays indexed by sentence row."""
    sources, headings, para_number = [], [], []
    sent_source, sent_section, sent_para = [], [], []
    heading_terms: dict[str, list[int]] = {}
    title_terms: dict[str, list[int]] = {}
    for s_i, doc in enumerate(documents):
        sources.append(SourceRecord(doc.source_id, doc.title, doc.sha256, len(sent_source),
                                    doc.sentence_count, doc.url, doc.published, doc.publisher))
        for term in tokenize_phrase(doc.title):
            title_terms.setdefault(term, []).append(s_i)
        for section in doc.sections:
            for term in tokenize_phrase(section.heading or ""):
                heading_terms.setdefault(term, []).append(len(headings))
            for paragraph in section.paragraphs:
                n = len(paragraph.sentences)
                sent_source += [s_i] * n
                sent_section += [len(headings)] * n
                sent_para += [len(para_number)] * n
                para_number.append(paragraph.number)
            headings.append(section.heading)
    as_int = lambda xs: np.asarray(xs, dtype=np.int32)  # noqa: E731
    return {
        "sources": tuple(sources), "section_headings": tuple(headings),
        "sent_source": as_int(sent_source), "sent_section": as_int(sent_section),
        "sent_para": as_int(sent_para), "para_number": as_int(para_number),
        "heading_terms": {t: as_int(v) for t, v in heading_terms.items()},
        "title_terms": {t: as_int(v) for t, v in title_terms.items()},
    }


def token_rows(docs: Sequence[TokenizedDocument]) -> list[list[str]]:
    """Every sentence's terms, in index row order (what rank-bm25 would be given)."""
    return [list(row) for d in docs for row in d.tokens]
