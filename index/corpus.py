"""The Index value: sentence postings and the structure around them (sources, sections, ¶)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

import numpy as np

from .bm25 import Bm25Params, Postings
from .models import Citation, SourceInfo
from .scratch import distinct

T = TypeVar("T")
K = TypeVar("K")

# Every kind of question's row factors (8 today), the position factors, the norms, title focus.
_KEPT_DERIVED = 16
_KEEPING = threading.Lock()

# 2: weights derived, not saved; sources record their section and ¶ counts. 3: every row's
# tokens as term ids, with their words' places (row_terms, row_places)
FORMAT_VERSION = 3
# A token's word (start, end) in its sentence is saved as uint16: a place past that, or not
# known, is saved as this, and answering then reads that sentence with the tokenizer.
UNKNOWN_PLACE = 0xFFFF


@dataclass(frozen=True, kw_only=True)
class SourceRecord:
    """One indexed source: metadata, content hash, and its rows [first, first + count)."""

    source_id: str
    title: str
    sha256: str
    first: int
    count: int
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    sections: int = 0  # its sections and paragraphs (global ids, like its rows, are contiguous)
    paragraphs: int = 0

    @property
    def info(self) -> SourceInfo:
        """The public summary of this source."""
        return SourceInfo(source_id=self.source_id, title=self.title, url=self.url,
                          sentences=self.count, sha256=self.sha256)


@dataclass(frozen=True, kw_only=True)
class Index:
    """Everything a query needs, as plain arrays; built by `build.build_index`, saved by `store`."""

    params: Bm25Params
    tokenizer: str
    sources: tuple[SourceRecord, ...]
    section_headings: tuple[str | None, ...]  # per section, across all sources
    postings: Postings  # rows are sentences
    sent_source: np.ndarray  # int32 [N]
    sent_section: np.ndarray  # int32 [N], index into section_headings
    sent_para: np.ndarray  # int32 [N], global paragraph index
    para_number: np.ndarray  # int32 [paragraphs], the 1-based number within its source
    features: np.ndarray  # uint8 [N], cues.Feature bits
    text_offsets: np.ndarray  # int64 [N+1], byte offsets into text
    text: bytes | np.ndarray  # UTF-8 sentence texts, back to back (bytes or a memory map)
    # What the build's tokenizer made of each row, so answering need not tokenize it again:
    row_terms: np.ndarray  # int32 [tokens]: every token as a term id, row after row
    row_places: np.ndarray  # uint16 [tokens, 2]: its word (start, end), as tokens.spans gives
    heading_terms: Mapping[str, np.ndarray]  # term → section ids whose heading has it
    title_terms: Mapping[str, np.ndarray]  # term → source ids whose title has it
    built_at: str = ""

    @property
    def size(self) -> int:
        """The number of sentences."""
        return len(self.sent_source)

    @cached_property
    def source_first(self) -> np.ndarray:
        """Each source's first row, as int64 [sources] (computed once per index)."""
        return np.fromiter((s.first for s in self.sources), dtype=np.int64,
                           count=len(self.sources))

    @cached_property
    def para_first(self) -> np.ndarray:
        """Each paragraph's first row, and the row count last, as int64 [paragraphs + 1]."""
        return np.searchsorted(self.sent_para, np.arange(len(self.para_number) + 1))

    @cached_property
    def section_first(self) -> np.ndarray:
        """Each section's first row, and the row count last, as int64 [sections + 1]."""
        return np.searchsorted(self.sent_section, np.arange(len(self.section_headings) + 1))

    @cached_property
    def token_first(self) -> np.ndarray:
        """Each row's first token in row_terms, and the token count last, as int64 [N + 1]."""
        first = np.zeros(self.size + 1, dtype=np.int64)
        np.cumsum(self.postings.doc_len, out=first[1:])
        return first

    def tokens(self, first: int, stop: int) -> slice:
        """Where the tokens of rows [first, stop) are in row_terms and row_places."""
        return slice(int(self.token_first[first]), int(self.token_first[stop]))

    def term_ids(self, first: int, stop: int) -> np.ndarray:
        """The tokens of rows [first, stop) as term ids, in order (what the build tokenized)."""
        return self.row_terms[self.tokens(first, stop)]

    @cached_property
    def source_end(self) -> np.ndarray:
        """Each source's past-the-last row, as int64 [sources] (computed once per index)."""
        return self.source_first + np.fromiter((s.count for s in self.sources), dtype=np.int64,
                                               count=len(self.sources))

    def source_rows(self, sources: np.ndarray, lo: int = 0,
                    hi: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The rows [lo, hi) of some sources (each one's run, in their order), and their sources."""
        first = np.maximum(self.source_first[sources], lo)
        end = self.source_end[sources] if hi is None else np.minimum(self.source_end[sources], hi)
        lengths = np.maximum(end - first, 0)
        # Each source's run of rows, back to back: a run's k-th row is its first + k.
        starts = np.cumsum(lengths) - lengths
        rows = np.repeat(first - starts, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)
        return rows, np.repeat(sources, lengths)

    @cached_property
    def _derived(self) -> dict:
        """What `derive` made for this index, kept while the index is served."""
        return {}

    def derive(self, key: object, make: Callable[[], T]) -> T:
        """A value derived from this index (made on first use; at most _KEPT_DERIVED are kept).

        Answering threads share them: the oldest is let go past the limit.
        """
        kept = self._derived
        found = kept.get(key)
        if found is None:
            found = make()
            with _KEEPING:
                while len(kept) >= _KEPT_DERIVED:
                    kept.pop(next(iter(kept)))
                kept[key] = found
        return found

    @cached_property
    def section_has_heading(self) -> np.ndarray:
        """Whether each section has a heading, as bool [sections] (computed once per index)."""
        return np.fromiter((h is not None for h in self.section_headings), dtype=bool,
                           count=len(self.section_headings))

    @cached_property
    def title_term_counts(self) -> np.ndarray:
        """How many distinct terms each source's title has, as float [sources] (computed once)."""
        counts = np.zeros(len(self.sources))
        for ids in self.title_terms.values():
            np.add.at(counts, distinct(ids), 1)
        return counts

    def uses_any(self, terms: Iterable[str]) -> bool:
        """Whether the sources use one of these terms: in text, a heading or a title."""
        fields = (self.postings.vocab, self.heading_terms, self.title_terms)
        return any(t in field for t in terms for field in fields)

    def sentence(self, row: int) -> str:
        """The text of one sentence."""
        lo, hi = int(self.text_offsets[row]), int(self.text_offsets[row + 1])
        return bytes(self.text[lo:hi]).decode("utf-8")

    def source_of(self, row: int) -> SourceRecord:
        """The source a sentence belongs to."""
        return self.sources[int(self.sent_source[row])]

    def citation(self, row: int) -> Citation:
        """Where a sentence is: source, section heading, paragraph number, url."""
        source = self.source_of(row)
        return Citation(source_id=source.source_id, title=source.title,
                        section=self.section_headings[int(self.sent_section[row])],
                        paragraph=int(self.para_number[int(self.sent_para[row])]), url=source.url,
                        publisher=source.publisher, published=source.published)

    def source_index(self, source_id: str) -> int | None:
        """The position of a source by id, or None."""
        for i, source in enumerate(self.sources):
            if source.source_id == source_id:
                return i
        return None


_MISSING = object()


def remembered(memo: dict[K, T], key: K, make: Callable[[], T], limit: int) -> T:
    """memo[key], made on first use; a memo reaching `limit` entries starts over (bounded)."""
    found = memo.get(key, _MISSING)
    if found is _MISSING:
        if len(memo) >= limit:
            memo.clear()
        found = memo[key] = make()
    return found  # type: ignore[return-value]
