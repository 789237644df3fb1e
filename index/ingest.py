"""Adding an article as a source: extract → Markdown → checked by the source reader → published.

A URL is fetched (index/fetch.py), a page's article extracted (index/html.py); a saved page,
Markdown or text file is read the same way. The article is written as a Markdown source with front
matter, read back by the very reader every source goes through, moved into place in one rename and
the index rebuilt. Anything that fails leaves the sources folder and the index as they were.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import stat
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

from .engine import Engine
from .errors import AddSourceError, DuplicateSourceError, RemoveSourceError, UnknownSourceError
from .fetch import FetchPolicy, fetch
from .html import Article, ArticleSection, NoArticleError, extract_article
from .models import BuildReport, Document
from .sources import HTML_SUFFIXES, SourceFile, read_source, scan

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
log = logging.getLogger(__name__)
_CHANGING = threading.Lock()  # one add or remove at a time: a duplicate check holds till written
_SLUG_CHARS = 60


@dataclass(frozen=True, kw_only=True)
class Extraction:
    """An article ready to add: what was extracted, the file it becomes, and that file read back."""

    origin: str
    article: Article
    file_name: str
    markdown: str
    document: Document

    @property
    def source_id(self) -> str:
        """The id the source will have."""
        return self.document.source_id

    @property
    def paragraphs(self) -> int:
        """How many body paragraphs."""
        return sum(len(s.paragraphs) for s in self.document.sections)

    @property
    def first_paragraph(self) -> str:
        """The first body paragraph's text (for previews)."""
        return next((" ".join(p.sentences) for s in self.document.sections
                     for p in s.paragraphs), "")


@dataclass(frozen=True, kw_only=True)
class Added:
    """An added source: where it was written and what the rebuild reported."""

    extraction: Extraction
    path: Path
    report: BuildReport


def extract_url(engine: Engine, url: str, policy: FetchPolicy | None = None,
                now: datetime | None = None) -> Extraction:
    """Fetch a page and prepare its article; refuses pages without one and duplicates."""
    page = fetch(url, policy)
    suffix = ".html" if page.is_html else ".md" if "markdown" in page.content_type else ".txt"
    body = page.body if page.is_html else _decode(page.body, page.charset, url)
    article = _article(body, suffix, url, page.url)
    return prepare(engine, article, url, now)


def extract_file(engine: Engine, name: str, data: bytes, now: datetime | None = None,
                 origin: str | None = None) -> Extraction:
    """Prepare the article in a saved page, Markdown or text file (`name` gives its kind)."""
    origin = origin or name
    suffix = Path(name).suffix.lower()
    if suffix not in HTML_SUFFIXES + TEXT_SUFFIXES:
        raise AddSourceError(f"{origin}: not a web page (.html, .htm), Markdown (.md) or text file")
    body = data if suffix in HTML_SUFFIXES else _decode(data, None, origin)
    return prepare(engine, _article(body, suffix, origin, None), origin, now)


def extract_path(engine: Engine, path: Path, now: datetime | None = None) -> Extraction:
    """Prepare the article in a file on disk (a regular file within the fetch size cap)."""
    cap = FetchPolicy().max_bytes
    try:
        with open(path, "rb", opener=_open_nonblocking) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):  # a FIFO would block, a device never end
                raise AddSourceError(f"cannot read {path}: not a regular file")
            if info.st_size > cap:
                raise AddSourceError(f"cannot read {path}: {info.st_size:,} bytes, over the "
                                     f"{cap:,}-byte cap")
            data = handle.read(cap + 1)
    except OSError as exc:
        raise AddSourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > cap:  # grew since it was looked at
        raise AddSourceError(f"cannot read {path}: more than the {cap:,}-byte cap")
    return extract_file(engine, path.name, data, now, origin=str(path))


def _open_nonblocking(path: str, flags: int) -> int:
    """Open without waiting: a FIFO with no writer would otherwise block the open itself."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def prepare(engine: Engine, article: Article, origin: str,
            now: datetime | None = None) -> Extraction:
    """Render the article as a Markdown source and read it back; refuse it if already a source."""
    now = now or datetime.now(UTC)
    _refuse_duplicate(engine, article)
    file_name = _free_name(engine.sources_dir, article, now)
    markdown = render_markdown(article, now)
    with tempfile.TemporaryDirectory() as tmp:
        document = _read_back(Path(tmp) / file_name, markdown, Path(file_name).stem)
    return Extraction(origin=origin, article=article, file_name=file_name, markdown=markdown,
                      document=document)


def add(engine: Engine, extraction: Extraction) -> Added:
    """Write the source atomically, read it back, and rebuild; undone if anything fails."""
    with _CHANGING:
        # Checked again: the same article may have been added since it was extracted.
        _refuse_duplicate(engine, extraction.article)
        return _write_and_rebuild(engine, extraction)


def _write_and_rebuild(engine: Engine, extraction: Extraction) -> Added:
    """Stage the file (hidden), read it back, rename it into place, rebuild; undo on failure."""
    folder = engine.sources_dir
    final = folder / extraction.file_name
    # Hidden (no scan sees it half-written), its extension kept (it picks the reader).
    staged = folder / f".adding-{extraction.file_name}"
    try:
        _read_back(staged, extraction.markdown, extraction.source_id)
        if final.exists():
            raise AddSourceError(f"{final} appeared meanwhile; nothing was added")
        os.replace(staged, final)
    except OSError as exc:  # the folder vanished, is read-only, the disk is full …
        raise AddSourceError(f"cannot write the new source in {folder}: "
                             f"{exc.strerror or exc}; nothing was added") from None
    finally:
        with contextlib.suppress(OSError):  # gone already, or the folder with it
            staged.unlink(missing_ok=True)
    try:
        report = engine.rebuild()
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    return Added(extraction=extraction, path=final, report=report)


def remove(engine: Engine, source_id: str) -> BuildReport:
    """Delete a source's file and rebuild; the file is put back if the rebuild fails."""
    with _CHANGING:
        path = next((f.path for f in scan(engine.sources_dir) if f.source_id == source_id),
                    None)
        if path is None:
            raise UnknownSourceError(f"no source {source_id!r} (see `citebot sources`)")
        parked = path.with_name(f".{path.name}.removing")
        try:
            os.replace(path, parked)
        except OSError as exc:  # a read-only folder, the file deleted meanwhile …
            raise RemoveSourceError(f"cannot take {path.name} out of {path.parent}: "
                                    f"{exc.strerror or exc}; nothing was removed") from None
        try:
            report = engine.rebuild()
        except BaseException:
            os.replace(parked, path)
            raise
        try:
            parked.unlink()
        except OSError as exc:  # removed and rebuilt already: a hidden leftover, never scanned
            log.warning("could not delete %s: %s", parked, exc.strerror or exc)
        return report


def render_markdown(article: Article, now: datetime) -> str:
    """The article as a Markdown source: front matter, `##` headings, one paragraph a block."""
    meta = {"title": article.title, "url": article.url, "published": article.published,
            "publisher": article.publisher, "author": article.author,
            "added": now.isoformat(timespec="seconds")}
    front = yaml.safe_dump({k: v for k, v in meta.items() if v}, sort_keys=False,
                           allow_unicode=True, width=10_000)
    blocks = []
    for section in article.sections:
        if section.heading:
            blocks.append(f"## {section.heading}")
        blocks.extend(section.paragraphs)
    return f"---\n{front}---\n\n" + "\n\n".join(blocks) + "\n"


def _article(body: str | bytes, suffix: str, origin: str, url: str | None) -> Article:
    """The article in a page or text of the given kind; AddSourceError naming why when none."""
    if suffix in HTML_SUFFIXES:
        try:
            return extract_article(body, url=url)
        except NoArticleError as exc:
            raise AddSourceError(f"{origin}: no article text: {exc}; nothing was added") from None
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(urlsplit(origin).path).stem or "article"  # the title when none is given
        path = Path(tmp) / f"{stem}{suffix}"
        path.write_text(str(body), encoding="utf-8")
        try:
            document = read_source(SourceFile(source_id=stem, path=path, sha256=""))
        except ValueError as exc:
            raise AddSourceError(f"{origin}: cannot be used: {exc}; nothing was added") from None
    sections = tuple(ArticleSection(heading=s.heading,
                                    paragraphs=tuple(" ".join(p.sentences) for p in s.paragraphs))
                     for s in document.sections)
    return Article(title=document.title, sections=sections, url=document.url or url,
                   published=document.published, publisher=document.publisher)


def _decode(data: bytes, charset: str | None, origin: str) -> str:
    """Text from bytes in the declared charset, else UTF-8."""
    try:
        return data.decode(charset or "utf-8-sig")
    except (UnicodeDecodeError, LookupError):
        raise AddSourceError(f"{origin}: not readable text (charset {charset or 'UTF-8'})") \
            from None


def _read_back(path: Path, markdown: str, source_id: str) -> Document:
    """Write the Markdown (flushed) and parse it with the reader every source goes through."""
    data = markdown.encode("utf-8")
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        return read_source(SourceFile(source_id=source_id, path=path,
                                      sha256=hashlib.sha256(data).hexdigest()))
    except ValueError as exc:
        raise AddSourceError(f"the article does not read back as a source: {exc}") from None


def _refuse_duplicate(engine: Engine, article: Article) -> None:
    """DuplicateSourceError when a source has the same canonical URL or the same text."""
    index = engine.snapshot.index
    url = _canonical(article.url)
    text = _fingerprint(p for s in article.sections for p in s.paragraphs)
    for record in index.sources:
        same_url = url is not None and _canonical(record.url) == url
        rows = range(record.first, record.first + record.count)
        if same_url or _fingerprint(index.sentence(r) for r in rows) == text:
            why = "the same URL" if same_url else "the same text"
            raise DuplicateSourceError(f"already a source: {record.source_id} "
                                       f"({why}); nothing was added")


def _canonical(url: str | None) -> str | None:
    """A URL compared loosely: scheme and host lower-cased, no fragment, no trailing slash."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"),
                       parts.query, ""))


def _fingerprint(texts: Iterable[str]) -> str:
    """A hash of text with all whitespace removed (paragraph or sentence splits do not matter)."""
    joined = "".join(re.sub(r"\s+", "", t) for t in texts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _free_name(folder: Path, article: Article, now: datetime) -> str:
    """`YYYY-MM-DD-title-words.md`, numbered when taken."""
    date = (article.published or now.date().isoformat())[:10]
    plain = unicodedata.normalize("NFKD", re.sub("['\u2019]", "", article.title or "article"))
    slug = re.sub(r"[^a-z0-9]+", "-", plain.encode("ascii", "ignore").decode().lower()).strip("-")
    if len(slug) > _SLUG_CHARS:
        slug = slug[:_SLUG_CHARS].rsplit("-", 1)[0]
    stem = f"{date}-{slug or 'article'}"
    taken = {f.source_id for f in scan(folder)} if folder.is_dir() else set()
    name, number = stem, 1
    while name in taken or (folder / f"{name}.md").exists():
        number += 1
        name = f"{stem}-{number}"
    return f"{name}.md"

