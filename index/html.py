"""Web pages as sources: the article's text and metadata, extracted by trafilatura.

Trafilatura finds the main text (dropping menus, banners, share bars, "Read more" lists and
footers) and reads the metadata from JSON-LD, Open Graph and meta tags; nothing here strips
boilerplate by hand. Its XML output keeps headings (`<head>`) and paragraphs (`<p>`, list items)
apart, so headings inside the article become sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only annotations: lxml comes with trafilatura, when a page is read
    from lxml import etree

from .models import Document, Paragraph, Section
from .sentences import split_sentences

_EXTRACT_OPTIONS: dict[str, Any] = {
    # Precision over recall: a link list or teaser wrongly kept would be quoted as the article.
    "favor_precision": True,
    "include_comments": False,
    "include_tables": False,
    "include_images": False,
    # Links kept (as <ref>) only to tell prose from link teasers; their targets are never used.
    "include_links": True,
    "include_formatting": False,
    # A date only from the page's own declarations, never guessed from its text or its URL.
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}
_MIN_ARTICLE_CHARS = 200  # less than this is a teaser, a login wall or a page of links
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass(frozen=True, kw_only=True)
class ArticleSection:
    """A heading inside the article (None before the first) and the paragraphs under it."""

    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Article:
    """An article's text, by section, and what the page says about it."""

    title: str | None
    sections: tuple[ArticleSection, ...]
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    author: str | None = None

    @property
    def paragraph_count(self) -> int:
        """How many body paragraphs the article has."""
        return sum(len(s.paragraphs) for s in self.sections)

    @property
    def text_chars(self) -> int:
        """How many characters of body text the article has."""
        return sum(len(p) for s in self.sections for p in s.paragraphs)


class NoArticleError(ValueError):
    """A page from which no article text could be extracted (the message says why)."""


def extract_article(page: str | bytes, url: str | None = None) -> Article:
    """The article in an HTML page; raises NoArticleError when the page has none."""
    if not page.strip():
        raise NoArticleError("the page is empty")
    import trafilatura  # here, not at the top: it takes ~0.2 s and most runs read no HTML

    extracted = trafilatura.bare_extraction(page, url=url, with_metadata=True,
                                            **_EXTRACT_OPTIONS)
    body = getattr(extracted, "body", None)
    if extracted is None or body is None or not len(body):
        raise NoArticleError(_why_empty(page))
    title = _clean(extracted.title)
    article = Article(
        title=title, sections=_sections(body, title),
        url=_clean(extracted.url) or url, published=_clean(extracted.date),
        publisher=_as_spelled(page, _clean(extracted.sitename)),
        author=_as_spelled(page, _clean(extracted.author)))
    if article.text_chars < _MIN_ARTICLE_CHARS:
        raise NoArticleError(f"{_why_empty(page)}; only {article.text_chars} characters of "
                             "article text found")
    return article


def document_from_article(article: Article, source_id: str, sha256: str) -> Document:
    """The article as a Document: its sentences, paragraphs numbered through the document."""
    sections: list[Section] = []
    number = 0
    for part in article.sections:
        paragraphs = []
        for text in part.paragraphs:
            sentences = split_sentences(text)
            if sentences:
                number += 1
                paragraphs.append(Paragraph(number=number, sentences=tuple(sentences)))
        if paragraphs:
            sections.append(Section(heading=part.heading, paragraphs=tuple(paragraphs)))
    return Document(source_id=source_id, title=article.title or source_id,
                    sections=tuple(sections), sha256=sha256, url=article.url,
                    published=article.published, publisher=article.publisher)


def read_html(raw: bytes, source_id: str, sha256: str) -> Document:
    """Parse a saved web page into a Document; raises ValueError with a reason when unusable."""
    try:
        return document_from_article(extract_article(raw), source_id, sha256)
    except NoArticleError as exc:
        raise ValueError(f"no article text: {exc}") from None


def _sections(body: etree._Element, title: str | None) -> tuple[ArticleSection, ...]:
    """Group trafilatura's blocks under their headings; list items are paragraphs of their own."""
    sections: list[ArticleSection] = []
    heading: str | None = None
    paragraphs: list[str] = []
    for block in body:
        if block.tag == "head":
            text = _text(block)
            if not text or (not sections and not paragraphs and text == title):
                continue  # the headline repeated at the top is the title, not a section
            if paragraphs:
                sections.append(ArticleSection(heading=heading, paragraphs=tuple(paragraphs)))
            heading, paragraphs = text, []
            continue
        items = block.findall(".//item") if block.tag == "list" else [block]
        paragraphs.extend(_text(i) for i in items if _text(i) and not _is_link_teaser(i))
    if paragraphs:
        sections.append(ArticleSection(heading=heading, paragraphs=tuple(paragraphs)))
    return tuple(sections)


def _is_link_teaser(element: etree._Element) -> bool:
    """A block that points elsewhere rather than says something ("Read more: <a>…</a>").

    Trafilatura drops lists and blocks made almost wholly of links; an inline "Read more:" or
    "Related:" line with its label survives that, so: a block with a link that is mostly link text,
    or that does not end as a sentence does, is not article prose.
    """
    links = element.findall(".//ref")
    if not links:
        return False
    text = _text(element)
    linked = sum(len(_text(link)) for link in links)
    return linked >= 0.5 * len(text) or not _SENTENCE_END.search(text)


def _text(element: etree._Element) -> str:
    """An element's text, whitespace collapsed (line breaks inside a paragraph become spaces)."""
    return _SPACE.sub(" ", "".join(element.itertext())).strip()


def _clean(value: str | None) -> str | None:
    """A metadata value with whitespace collapsed, or None when empty."""
    text = _SPACE.sub(" ", value or "").strip()
    return text or None


def _as_spelled(page: str | bytes, found: str | None) -> str | None:
    """A name trafilatura found, in the page's own spelling (it title-cases `gCaptain`)."""
    if not found:
        return None
    text = page.decode("utf-8", "replace") if isinstance(page, bytes) else page
    match = re.search(re.escape(found), text, re.IGNORECASE)
    return match.group(0) if match else found


def _why_empty(page: str | bytes) -> str:
    """Name the likely reason a page yielded no article: scripts only, a form, or just links."""
    lowered = (page.decode("utf-8", "replace") if isinstance(page, bytes) else page).lower()
    if "<noscript" in lowered or lowered.count("<script") > 3 * max(lowered.count("<p"), 1):
        return "the page is built by JavaScript (nothing to read without it)"
    if "<form" in lowered and ("password" in lowered or "sign in" in lowered
                               or "log in" in lowered):
        return "the page is a login or subscription wall"
    return "the page holds no article (an index page or a list of links?)"
