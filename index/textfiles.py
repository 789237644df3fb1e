"""Markdown and plain-text files → metadata and sections, parsed line by line.

No regular expression here could backtrack: parsing time is linear in the file whatever it holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .models import Paragraph, Section
from .sentences import split_sentences

METADATA_KEYS = ("title", "url", "published", "publisher")
MAX_FRONT_MATTER_CHARS = 64_000  # a real front matter is a few hundred characters
MAX_METADATA_CHARS = 2_000  # per value: a title or URL, not a document
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
         (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


@dataclass(frozen=True, kw_only=True)
class ParsedSource:
    """What a reader makes of a file's bytes: metadata (title, url, …) and its sections."""

    sections: tuple[Section, ...]
    metadata: Mapping[str, str] = field(default_factory=dict)


def decode_text(raw: bytes) -> str:
    """Text from bytes: UTF-8, or UTF-16/32 with a byte-order mark; ValueError otherwise."""
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), "utf-8")
    if encoding == "utf-8" and b"\x00" in raw:
        raise ValueError("binary file")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding == "utf-8" else encoding.upper()
        raise ValueError(f"not {name} text ({exc.reason} at byte {exc.start})") from None


def read_markdown(raw: bytes) -> ParsedSource:
    """A Markdown file: optional YAML front matter, `#` headings, blank-line paragraphs."""
    lines = decode_text(raw).splitlines()
    meta, start = _front_matter(lines)
    return ParsedSource(sections=_sections(lines[start:], blank_lines_split=True), metadata=meta)


def read_plain_text(raw: bytes) -> ParsedSource:
    """A text file: blank-line paragraphs (one a line when it has no blank line)."""
    lines = decode_text(raw).splitlines()
    body = [i for i, line in enumerate(lines) if line.strip()]
    inner_blank = bool(body) and any(not lines[i].strip() for i in range(body[0], body[-1]))
    return ParsedSource(sections=_sections(lines, blank_lines_split=inner_blank))



@cache
def _no_alias_loader() -> type:
    """YAML's safe loader without anchors and aliases (a few bytes could expand to gigabytes).

    Made on first use: yaml is imported only when a front matter is read, not to answer.
    """
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            """Refuse an alias (`*name`) instead of expanding it."""
            if self.check_event(yaml.AliasEvent):
                raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)

    return NoAliasLoader


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """The metadata of a YAML front-matter block, and the line its body starts on."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return {}, 0
    block = "\n".join(lines[1:end])
    if len(block) > MAX_FRONT_MATTER_CHARS:
        raise ValueError(f"front matter is over {MAX_FRONT_MATTER_CHARS:,} characters")
    import yaml

    try:
        meta = yaml.load(block, Loader=_no_alias_loader()) or {}  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ValueError("front matter is not valid YAML: " + " ".join(str(exc).split())) \
            from None
    except RecursionError:  # `[[[[…` a few thousand deep: yaml's parser recurses per level
        raise ValueError("front matter is nested too deeply") from None
    except ValueError as exc:  # a timestamp yaml cannot build, e.g. month 13
        raise ValueError(f"front matter has an impossible value: {exc}") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping of keys to values")
    return {key: _metadata_value(key, meta[key]) for key in METADATA_KEYS
            if meta.get(key) is not None}, end + 1


def _metadata_value(key: str, value: object) -> str:
    """A front-matter value as text: strings, numbers and dates only, of bounded length."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date):
        raise ValueError(f"front matter {key!r} must be text, not {type(value).__name__}")
    text = " ".join(str(value).split())
    if len(text) > MAX_METADATA_CHARS:
        raise ValueError(f"front matter {key!r} is over {MAX_METADATA_CHARS:,} characters")
    return text


def _heading(line: str) -> str | None:
    """The text of an ATX heading line (`## Title ##`), or None when the line is not one."""
    text = line.strip()
    level = len(text) - len(text.lstrip("#"))
    if not 1 <= level <= 6 or not text[level:level + 1].isspace():
        return None
    text = text[level:].strip()
    closed = text.rstrip("#")
    if closed != text and (not closed or closed[-1].isspace()):  # a closing run of `#`
        text = closed.rstrip()
    return text or None


def _blocks(lines: list[str], blank_lines_split: bool) -> Iterator[tuple[str, bool]]:
    """(text, is_heading) in order: headings, and paragraphs (blank-line separated or lines)."""
    current: list[str] = []
    for line in lines:
        heading = _heading(line)
        if heading is not None or not line.strip() or not blank_lines_split:
            if current:
                yield " ".join(current), False
            current = []
        if heading is not None:
            yield heading, True
        elif line.strip():
            current.append(line.strip())
    if current:
        yield " ".join(current), False


def _sections(lines: list[str], blank_lines_split: bool) -> tuple[Section, ...]:
    """Group paragraphs under their headings; paragraphs are numbered across the document."""
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[Paragraph] = []
    number = 0
    for text, is_heading in _blocks(lines, blank_lines_split):
        if is_heading:
            if paragraphs:
                sections.append(Section(heading=heading, paragraphs=tuple(paragraphs)))
            heading, paragraphs = text, []
            continue
        sentences = split_sentences(text)
        if sentences:
            number += 1
            paragraphs.append(Paragraph(number=number, sentences=tuple(sentences)))
    if paragraphs:
        sections.append(Section(heading=heading, paragraphs=tuple(paragraphs)))
    return tuple(sections)
