"""Reading a sources folder into Documents: finding files, front matter, headings, paragraphs.

Parsing is line by line (no regular expression that could backtrack), so its time is linear in
the file whatever it holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import SourcesError
from .html import HTML_SUFFIXES, read_html
from .models import Document, Paragraph, Section
from .sentences import split_sentences

log = logging.getLogger(__name__)

_METADATA_KEYS = ("title", "url", "published", "publisher")
MAX_FRONT_MATTER_CHARS = 64_000  # a real front matter is a few hundred characters
MAX_METADATA_CHARS = 2_000  # per value: a title or URL, not a document
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
         (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


@dataclass(frozen=True)
class ParsedSource:
    """What a reader makes of a file's bytes: metadata (title, url, …) and its sections."""

    sections: tuple[Section, ...]
    metadata: Mapping[str, str] = field(default_factory=dict)


Reader = Callable[[bytes], ParsedSource]  # raises ValueError (the reason) when unusable


@dataclass(frozen=True)
class SourceFile:
    """A candidate source on disk: its id, path and content hash (or why it cannot be read)."""

    source_id: str
    path: Path
    sha256: str
    size: int = 0
    problem: str = ""  # set when the file cannot be read at all (it is then skipped)


@dataclass(frozen=True)
class SkippedSource:
    """A source file that could not be used, and why."""

    source_id: str
    reason: str
    sha256: str = ""  # of the unusable bytes, so an unchanged bad file is not re-read


def scan(folder: Path) -> list[SourceFile]:
    """The source files under `folder`, sorted by id, each with the hash of its bytes.

    Unreadable files are returned with their `problem`; sub-folders that cannot be listed and
    symlinks leading outside the folder are skipped with a warning naming them.
    """
    if not folder.is_dir():
        raise SourcesError(f"sources folder not found: {folder}")
    root = folder.resolve()
    found = list(_walk(folder, "", root, frozenset({root})))
    files = [_hashed(source_id, path) for source_id, path in _unique_ids(found)]
    return sorted(files, key=lambda f: f.source_id)


def _walk(directory: Path, prefix: str, root: Path,
          ancestors: frozenset[Path]) -> Iterator[tuple[str, Path]]:
    """(relative path, path) of each candidate file; directory and file symlinks alike."""
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        log.warning("cannot read sources sub-folder %r: %s", prefix.rstrip("/") or ".",
                    exc.strerror or exc)
        return
    for entry in entries:
        rel, path = prefix + entry.name, Path(entry.path)
        if entry.name.startswith((".", "_")) or entry.name.lower() == "readme.md":
            continue
        real = path.resolve() if entry.is_symlink() else None
        if real is not None and real.exists() and not real.is_relative_to(root):
            log.warning("skipping %r: it leads outside the sources folder (to %s)", rel, real)
            continue
        if _is_dir(entry):
            real = real or path.resolve()
            if real in ancestors:
                log.warning("skipping %r: a symlink loop", rel)
            else:
                yield from _walk(path, rel + "/", root, ancestors | {real})
        elif _suffix(entry.name) in READERS:
            yield rel, path


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a folder (following symlinks; a broken one is not)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _suffix(name: str) -> str:
    """A file name's extension, lowercased: what picks its reader."""
    return Path(name).suffix.lower()


def _unique_ids(found: list[tuple[str, Path]]) -> Iterator[tuple[str, Path]]:
    """(id, path) pairs: the path without its extension, or with it where two files share one."""
    stems = Counter(_printable(rel[: -len(_suffix(rel))]) for rel, _ in found)
    taken: dict[str, str] = {}
    for rel, path in found:
        stem = _printable(rel[: -len(_suffix(rel))])
        source_id = stem if stems[stem] == 1 else _printable(rel)
        if stems[stem] > 1:
            log.warning("%r shares the source id %r with another file; its id is %r",
                        rel, stem, source_id)
        if source_id in taken:  # only with contrived names (`x.md` beside `x.md.txt`)
            log.warning("skipping %r: its source id %r is already %r's", rel, source_id,
                        taken[source_id])
            continue
        taken[source_id] = rel
        yield source_id, path


def _printable(text: str) -> str:
    """A file name fit to show on one line: control characters written as escapes."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _hashed(source_id: str, path: Path) -> SourceFile:
    """A SourceFile with its hash and size, or with the reason it cannot be read."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return _unreadable(source_id, path, "not a regular file")
        raw = path.read_bytes()
    except FileNotFoundError:
        return _unreadable(source_id, path, "a broken symlink" if path.is_symlink() else
                           "vanished while being read")
    except OSError as exc:
        return _unreadable(source_id, path, f"cannot read it: {exc.strerror or exc}")
    return SourceFile(source_id, path, hashlib.sha256(raw).hexdigest(), len(raw))


def _unreadable(source_id: str, path: Path, problem: str) -> SourceFile:
    """A source that cannot be read; its 'hash' stands for the problem, so it is stable."""
    digest = hashlib.sha256(f"unreadable: {problem}".encode()).hexdigest()
    return SourceFile(source_id, path, digest, 0, problem)


def read_source(source: SourceFile) -> Document:
    """Parse one source file; raises ValueError with a reason when it cannot be used."""
    if source.problem:
        raise ValueError(source.problem)
    parsed = READERS[_suffix(source.path.name)](source.path.read_bytes())
    meta = parsed.metadata
    document = Document(
        source_id=source.source_id,
        title=meta.get("title") or _title_from_id(source.source_id),
        sections=parsed.sections,
        sha256=source.sha256,
        **{k: meta[k] for k in _METADATA_KEYS[1:] if meta.get(k)},
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
    return ParsedSource(_sections(lines[start:], blank_lines_split=True), meta)


def read_plain_text(raw: bytes) -> ParsedSource:
    """A text file: blank-line paragraphs (one a line when it has no blank line)."""
    lines = decode_text(raw).splitlines()
    body = [i for i, line in enumerate(lines) if line.strip()]
    inner_blank = bool(body) and any(not lines[i].strip() for i in range(body[0], body[-1]))
    return ParsedSource(_sections(lines, blank_lines_split=inner_blank))


def read_web_page(raw: bytes) -> ParsedSource:
    """A saved web page: the article's text and metadata only, extracted by trafilatura."""
    document = read_html(raw, source_id="", sha256="")
    meta = {key: value for key in _METADATA_KEYS if (value := getattr(document, key))}
    return ParsedSource(document.sections, meta)


# Extension → reader. A new kind of source is one line here (and its reader function).
READERS: dict[str, Reader] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_plain_text,
    **dict.fromkeys(HTML_SUFFIXES, read_web_page),
}


class _NoAliasLoader(yaml.SafeLoader):
    """YAML's safe loader without anchors and aliases (a few bytes could expand to gigabytes)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse an alias (`*name`) instead of expanding it."""
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)


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
    try:
        meta = yaml.load(block, Loader=_NoAliasLoader) or {}  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ValueError("front matter is not valid YAML: " + " ".join(str(exc).split())) \
            from None
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping of keys to values")
    return {key: _metadata_value(key, meta[key]) for key in _METADATA_KEYS
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
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = text, []
            continue
        sentences = split_sentences(text)
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
