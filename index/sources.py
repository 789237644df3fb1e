"""Reading a sources folder into Documents: front matter, headings, paragraphs, sentences."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import SourcesError
from .html import HTML_SUFFIXES, read_html
from .models import Document, Paragraph, Section
from .sentences import split_sentences

log = logging.getLogger(__name__)

SOURCE_SUFFIXES = (".md", ".markdown", ".txt", *HTML_SUFFIXES)
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FRONT_MATTER_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_METADATA_KEYS = ("title", "url", "published", "publisher")


@dataclass(frozen=True)
class SourceFile:
    """A candidate source on disk: its id, path and content hash."""

    source_id: str
    path: Path
    sha256: str


@dataclass(frozen=True)
class SkippedSource:
    """A source file that could not be used, and why."""

    source_id: str
    reason: str
    sha256: str = ""  # of the unusable bytes, so an unchanged bad file is not re-read


def scan(folder: Path) -> list[SourceFile]:
    """The source files under `folder`, sorted by id, each with the hash of its bytes."""
    if not folder.is_dir():
        raise SourcesError(f"sources folder not found: {folder}")
    files = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        hidden = any(part.startswith((".", "_")) for part in rel.parts)
        if hidden or not path.is_file() or path.suffix.lower() not in SOURCE_SUFFIXES:
            continue
        if path.name.lower() == "readme.md":
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        files.append(SourceFile(rel.with_suffix("").as_posix(), path, digest))
    return files


def read_source(source: SourceFile) -> Document:
    """Parse one source file; raises ValueError with a reason when it cannot be used."""
    raw = source.path.read_bytes()
    if b"\x00" in raw:
        raise ValueError("binary file")
    if source.path.suffix.lower() in HTML_SUFFIXES:
        return read_html(raw, source.source_id, source.sha256)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    meta, body = _front_matter(text) if source.path.suffix.lower() != ".txt" else ({}, text)
    sections = _sections(body, blank_lines_split=source.path.suffix.lower() != ".txt"
                         or "\n\n" in body.strip())
    document = Document(
        source_id=source.source_id,
        title=str(meta.get("title") or _title_from_id(source.source_id)),
        sections=sections,
        sha256=source.sha256,
        **{k: str(meta[k]) for k in _METADATA_KEYS[1:] if meta.get(k) is not None},
    )
    if not document.sentence_count:
        raise ValueError("no text")
    return document


def load_folder(folder: Path) -> tuple[list[Document], list[SkippedSource]]:
    """Every usable document in the folder, and the files skipped (each logged as a warning)."""
    documents, skipped = [], []
    for source in scan(folder):
        try:
            documents.append(read_source(source))
        except (ValueError, OSError) as exc:
            log.warning("skipping source %s: %s", source.source_id, exc)
            skipped.append(SkippedSource(source.source_id, str(exc), source.sha256))
    return documents, skipped


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    """Split a YAML front-matter block off a Markdown text."""
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping of keys to values")
    return meta, text[match.end():]


def _blocks(body: str, blank_lines_split: bool) -> list[str]:
    """Headings and paragraphs in order: blank-line separated, or one a line when none are."""
    blocks: list[str] = []
    for chunk in re.split(r"\n\s*\n", body) if blank_lines_split else body.splitlines():
        lines = [ln.strip() for ln in chunk.splitlines() if ln.strip()]
        # A heading line inside a chunk starts a block of its own.
        current: list[str] = []
        for line in lines:
            if _HEADING_RE.match(line):
                blocks.extend([" ".join(current)] if current else [])
                blocks.append(line)
                current = []
            else:
                current.append(line)
        blocks.extend([" ".join(current)] if current else [])
    return blocks


def _sections(body: str, blank_lines_split: bool) -> tuple[Section, ...]:
    """Group paragraphs under their headings; paragraphs are numbered across the document."""
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[Paragraph] = []
    number = 0
    for block in _blocks(body, blank_lines_split):
        match = _HEADING_RE.match(block)
        if match:
            if paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = match.group(2), []
            continue
        sentences = split_sentences(block)
        if sentences:
            number += 1
            paragraphs.append(Paragraph(number, tuple(sentences)))
    if paragraphs:
        sections.append(Section(heading, tuple(paragraphs)))
    return tuple(sections)


def _title_from_id(source_id: str) -> str:
    """A readable title from a file name: `war/peace-talks` → `Peace talks`."""
    name = source_id.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ").strip()
    return name[:1].upper() + name[1:] if name else source_id
