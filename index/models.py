"""The values that cross module and layer boundaries: frozen, typed, formatting only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Paragraph:
    """One body paragraph: its 1-based number in the document and its sentences, word for word."""

    number: int
    sentences: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Section:
    """A run of paragraphs under one heading (None before the first heading)."""

    heading: str | None
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True, kw_only=True)
class Document:
    """A source file, parsed: identity, metadata and its sections."""

    source_id: str
    title: str
    sections: tuple[Section, ...]
    sha256: str
    url: str | None = None
    published: str | None = None
    publisher: str | None = None

    @property
    def sentence_count(self) -> int:
        """How many sentences the document has."""
        return sum(len(p.sentences) for s in self.sections for p in s.paragraphs)


@dataclass(frozen=True, kw_only=True)
class Citation:
    """Where a passage comes from, precisely enough for a reader to find it."""

    source_id: str
    title: str
    section: str | None
    paragraph: int
    url: str | None = None
    publisher: str | None = None
    published: str | None = None

    @property
    def byline(self) -> str:
        """The outlet and date when known: `Outlet, 2026-01-06` (empty when neither is)."""
        return ", ".join(p for p in (self.publisher, self.published) if p)

    @property
    def heading(self) -> str:
        """The title, with the outlet and date when known: `Title — Outlet, 2026-01-06`."""
        return f"{self.title} — {self.byline}" if self.byline else self.title

    @property
    def text(self) -> str:
        """The citation for people: `Title — Outlet, 2026-01-06 · Section · ¶N`."""
        parts = [self.heading] + ([self.section] if self.section else []) + [f"¶{self.paragraph}"]
        return " · ".join(parts)


@dataclass(frozen=True, kw_only=True)
class PassageKey:
    """A passage's identity that survives rebuilds: its source and a hash of its matched sentence.

    Row numbers change whenever any source is added or edited; this does not, so stored votes and
    conversation turns keep pointing at the same words.
    """

    source_id: str
    text_hash: str

    @classmethod
    def of(cls, source_id: str, sentence: str) -> PassageKey:
        """The key of a sentence of a source."""
        digest = hashlib.sha256(sentence.encode("utf-8")).hexdigest()[:16]
        return cls(source_id=source_id, text_hash=digest)

    def __str__(self) -> str:
        """The key as stored text: `source_id#hash` (hashes never hold `#`)."""
        return f"{self.source_id}#{self.text_hash}"

    @classmethod
    def parse(cls, text: str) -> PassageKey:
        """The key from its stored text."""
        source_id, _, text_hash = text.rpartition("#")
        if not source_id or not text_hash:
            raise ValueError(f"not a passage key: {text!r}")
        return cls(source_id=source_id, text_hash=text_hash)


@dataclass(frozen=True, kw_only=True)
class Passage:
    """A matched sentence with its neighbours from the same section, and where it comes from."""

    rank: int
    score: float
    sentences: tuple[str, ...]
    match_offset: int
    citation: Citation
    sentence_ids: tuple[int, ...]
    matched_terms: tuple[str, ...] = ()
    also_reported_by: tuple[Citation, ...] = ()  # other sources restating the matched sentence

    @property
    def match(self) -> str:
        """The matched sentence alone."""
        return self.sentences[self.match_offset]

    @property
    def text(self) -> str:
        """The whole passage as one string."""
        return " ".join(self.sentences)

    @property
    def also_reported(self) -> str:
        """`Also reported by: Outlet, …` (or the title) for the other sources of its fact, or ""."""
        names = [c.publisher or c.title for c in self.also_reported_by]
        return "Also reported by: " + ", ".join(names) if names else ""

    @property
    def key(self) -> PassageKey:
        """The passage's identity across rebuilds (its source and matched sentence)."""
        return PassageKey.of(self.citation.source_id, self.match)


@dataclass(frozen=True, kw_only=True)
class Answer:
    """What the engine says about a question: ranked passages, or an abstention with the reason."""

    question: str
    answered: bool
    passages: tuple[Passage, ...]
    unknown_terms: tuple[str, ...] = ()
    source: str | None = None
    # Why it declined: "off_topic" (it names what no source mentions, or matches next to nothing)
    # or "partly_covered" (the sources touch the question but no passage covers enough of it).
    abstention: str | None = None
    understood_as: str | None = None  # how a follow-up was read (None: it stood alone)
    # What the question asks for that no passage shown holds ("the date asked for", "what the
    # pope said"), when that is why it declined (index/answer_type).
    missing: str | None = None

    @property
    def declined_because(self) -> str:
        """Why the answer declines, in words (empty when it answers)."""
        if self.answered:
            return ""
        if self.abstention == "partly_covered" and self.missing:
            return f"The sources touch on this question, but no passage gives {self.missing}."
        if self.abstention == "partly_covered":
            return "The sources touch on this question, but no passage covers enough of it."
        return "The sources do not cover this question: it is about something they never mention."


@dataclass(frozen=True, kw_only=True)
class SourceInfo:
    """What the index holds about one source, for listings."""

    source_id: str
    title: str
    url: str | None
    sentences: int
    sha256: str


@dataclass(frozen=True, kw_only=True)
class BuildReport:
    """What a (re)build did: the sources added, changed, removed, skipped, and the totals."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    sources: int = 0
    sentences: int = 0
    seconds: float = 0.0
    rebuilt: bool = True
    searchable_seconds: float | None = None  # when the new index answered (before it was saved)

    @property
    def changed_anything(self) -> bool:
        """Whether the set of indexed texts differs from before."""
        return bool(self.added or self.changed or self.removed)

    @property
    def summary(self) -> str:
        """A one-line human summary."""
        parts = [f"{self.sources} sources", f"{self.sentences} sentences", f"{self.seconds:.2f} s"]
        for label, items in (("added", self.added), ("changed", self.changed),
                             ("removed", self.removed)):
            if items:
                parts.append(f"{label}: {', '.join(items)}")
        if self.skipped:
            parts.append(f"skipped: {', '.join(s for s, _ in self.skipped)}")
        return "; ".join(parts)
