"""A sources folder: finding its files (symlinks, unreadable files, clashing ids) and reading them.

Each file kind has a reader (`READERS`: extension → function); Markdown and text are in textfiles.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import SourcesError
from .models import Document
from .textfiles import METADATA_KEYS, ParsedSource, read_markdown, read_plain_text

log = logging.getLogger(__name__)

Reader = Callable[[bytes], ParsedSource]  # raises ValueError (the reason) when unusable
HTML_SUFFIXES = (".html", ".htm")  # saved web pages (index/html)


def read_web_page(raw: bytes) -> ParsedSource:
    """A saved web page: the article's text and metadata only, extracted by trafilatura."""
    from .html import read_html  # only reading a web page needs it: not imported to answer

    document = read_html(raw, source_id="", sha256="")
    meta = {key: value for key in METADATA_KEYS if (value := getattr(document, key))}
    return ParsedSource(sections=document.sections, metadata=meta)


# Extension → reader. A new kind of source is one line here (and its reader function).
READERS: dict[str, Reader] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_plain_text,
    **dict.fromkeys(HTML_SUFFIXES, read_web_page),
}


@dataclass(frozen=True, kw_only=True)
class SourceFile:
    """A candidate source on disk: its id, path and content hash (or why it cannot be read)."""

    source_id: str
    path: Path
    sha256: str
    size: int = 0
    problem: str = ""  # set when the file cannot be read at all (it is then skipped)


@dataclass(frozen=True, kw_only=True)
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
    _forget_gone(folder, {str(path) for _, path in found})
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
        is_dir = _is_dir(entry)
        if not is_dir and _suffix(entry.name) not in READERS:
            continue
        real = path.resolve() if entry.is_symlink() else None
        if real is not None and real.exists() and not real.is_relative_to(root):
            log.warning("skipping %r: it leads outside the sources folder (to %s)", rel, real)
            continue
        if is_dir:
            real = real or path.resolve()
            if real in ancestors:
                log.warning("skipping %r: a symlink loop", rel)
            else:
                yield from _walk(path, rel + "/", root, ancestors | {real})
        else:
            yield rel, path


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a folder (following symlinks; a broken one is not)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _suffix(name: str) -> str:
    """A file name's extension, lowercased: what picks its reader (pathlib's rule, no Path)."""
    base = name.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:].lower() if 0 < dot < len(base) - 1 else ""


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
        known = _KNOWN_HASHES.get(str(path))
        if known is not None and known[0] == _stamp(info):
            return SourceFile(source_id=source_id, path=path, sha256=known[1], size=info.st_size)
        raw = path.read_bytes()
    except FileNotFoundError:
        return _unreadable(source_id, path, "a broken symlink" if path.is_symlink() else
                           "vanished while being read")
    except OSError as exc:
        return _unreadable(source_id, path, f"cannot read it: {exc.strerror or exc}")
    digest = hashlib.sha256(raw).hexdigest()
    if len(raw) == info.st_size and time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) \
            > _SETTLED_NS:
        _KNOWN_HASHES[str(path)] = (_stamp(info), digest)
    return SourceFile(source_id=source_id, path=path, sha256=digest, size=len(raw))


# A file's hash, kept per path with the stat it was read under, so a rebuild does not re-read
# thousands of unchanged files. Only a file whose last change is older than _SETTLED_NS is kept
# (git's "racy clean" rule): a change within the file system's timestamp granularity (2 s on
# FAT) after it was read would otherwise keep the same stat. Any later change moves its mtime or
# ctime (or its size or inode), so the kept hash is never used for other bytes.
_KNOWN_HASHES: dict[str, tuple[tuple[int, ...], str]] = {}
_SETTLED_NS = 3_000_000_000


def _forget_gone(folder: Path, present: set[str]) -> None:
    """Drop the kept hashes of files under `folder` that are no longer there (bounded memory)."""
    prefix = os.path.join(str(folder), "")
    for path in list(_KNOWN_HASHES):  # a copy: another engine's scan may add keys meanwhile
        if path.startswith(prefix) and path not in present:
            _KNOWN_HASHES.pop(path, None)


def _stamp(info: os.stat_result) -> tuple[int, ...]:
    """What changes whenever a file's bytes can have changed."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _unreadable(source_id: str, path: Path, problem: str) -> SourceFile:
    """A source that cannot be read; its 'hash' stands for the problem, so it is stable."""
    digest = hashlib.sha256(f"unreadable: {problem}".encode()).hexdigest()
    return SourceFile(source_id=source_id, path=path, sha256=digest, size=0, problem=problem)


def read_source(source: SourceFile) -> Document:
    """Parse one source file; raises ValueError with a reason when it cannot be used."""
    if source.problem:
        raise ValueError(source.problem)
    reader = READERS.get(_suffix(source.path.name))
    if reader is None:
        raise ValueError(f"no reader for {_suffix(source.path.name) or 'extension-less'} files")
    parsed = reader(source.path.read_bytes())
    meta = parsed.metadata
    document = Document(
        source_id=source.source_id,
        title=meta.get("title") or _title_from_id(source.source_id),
        sections=parsed.sections,
        sha256=source.sha256,
        **{k: meta[k] for k in METADATA_KEYS[1:] if meta.get(k)},
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
            skipped.append(SkippedSource(source_id=source.source_id, reason=str(exc),
                                         sha256=source.sha256))
    return documents, skipped


def _title_from_id(source_id: str) -> str:
    """A readable title from a file name: `war/peace-talks` → `Peace talks`."""
    name = source_id.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ").strip()
    return name[:1].upper() + name[1:] if name else source_id
