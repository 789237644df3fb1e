"""Tokenized documents → Index: a pure build function, and the tokenizer's identity.

Reading source files into tokenized documents, through the per-file cache, is in
index/tokenize_sources.py.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import numpy as np

from .bm25 import Bm25Params, postings_from_ids
from .corpus import UNKNOWN_PLACE, Index, SourceRecord
from .cues import sentence_features
from .models import Document
from .sentences import splitter_id
from .tokens import spans, tokenize_phrase


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
