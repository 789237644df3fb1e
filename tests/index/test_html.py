"""Saved web pages as sources: only the article's text, its metadata, headings as sections."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from index.engine import Engine
from index.html import NoArticleError, extract_article
from index.sources import SourceFile, read_source
from tests.webserver import PAGES

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def sentences(path: Path) -> list[str]:
    document = read_source(SourceFile(source_id=path.stem, path=path, sha256="x"))
    return [s for sec in document.sections for p in sec.paragraphs for s in p.sentences]


def test_page_yields_exactly_the_article_of_its_markdown_twin() -> None:
    page, twin = PAGES / "danube-ferry.html", PAGES / "danube-ferry.md"
    twin_text = normalise(twin.read_text("utf-8"))
    from_page = sentences(page)
    # Nothing from outside the article body: no menu, banner, "Read more", newsletter, footer.
    assert [s for s in from_page if normalise(s) not in twin_text] == []
    # And nothing of the article lost (the twin's list items are joined into one paragraph).
    page_text = normalise(" ".join(from_page))
    assert [s for s in sentences(twin) if normalise(s.lstrip("- ")) not in page_text] == []


def test_page_metadata_and_sections() -> None:
    document = read_source(SourceFile(source_id="danube", path=PAGES / "danube-ferry.html",
                                      sha256="x"))
    twin = read_source(SourceFile(source_id="danube", path=PAGES / "danube-ferry.md", sha256="x"))
    assert (document.title, document.url, document.published, document.publisher) == \
           (twin.title, twin.url, twin.published, twin.publisher)
    assert [s.heading for s in document.sections] == [None, "Damage and repairs",
                                                      "Insurance and shipping", "What comes next"]
    assert [p.number for s in document.sections for p in s.paragraphs] == list(range(1, 10))


def test_open_graph_only_page_gives_title_outlet_date_and_url() -> None:
    article = extract_article((PAGES / "og-only.html").read_bytes())
    assert article.title == "Tisza bridge at Chop closed to heavy lorries for repairs"
    assert article.publisher == "Carpathian Post"
    assert article.published == "2026-01-09"
    assert article.url == "https://carpathian.example.net/news/tisza-bridge-closed"
    assert article.paragraph_count == 3


@pytest.mark.parametrize(("page", "why"), [
    ((PAGES / "login-wall.html").read_bytes(), "login or subscription wall"),
    (b"<html><head><script src=app.js></script></head><body><div id=root></div>"
     b"<noscript>Enable JavaScript</noscript></body></html>", "built by JavaScript"),
    (b"<html><body><ul>" + b"<li><a href=/x>Another headline here</a></li>" * 30
     + b"</ul></body></html>", "holds no article"),
    (b"   ", "empty"),
])
def test_page_without_an_article_is_refused_naming_why(page: bytes, why: str) -> None:
    with pytest.raises(NoArticleError, match=why):
        extract_article(page)


def test_html_files_in_sources_are_indexed_and_answered(sources_dir: Path, tmp_path: Path) -> None:
    shutil.copy(PAGES / "danube-ferry.html", sources_dir / "danube.htm")
    shutil.copy(PAGES / "login-wall.html", sources_dir / "wall.html")
    engine = Engine(sources_dir, tmp_path / "index")
    report = engine.open()
    assert "danube" in {s.source_id for s in engine.sources()}
    assert dict(report.skipped)["wall"].startswith("no article text: the page is a login")
    answer = engine.ask("how much did the repairs at Izmail cost", top=1)
    passage = answer.passages[0]
    assert "38 million hryvnias" in passage.text
    assert passage.citation.text == ("Izmail ferry terminal reopens after drone strike on Danube "
                                     "port — Danube Courier, 2026-01-06 · Damage and repairs · ¶3")


def test_the_same_page_read_twice_gives_the_same_article() -> None:
    # trafilatura's `deduplicate` remembers paragraphs across calls and would drop them the second
    # time (a re-index, or /add after a dry run): it must stay off.
    page = (PAGES / "danube-ferry.html").read_bytes()
    assert extract_article(page) == extract_article(page)


def test_inline_read_more_related_and_share_lines_are_not_article_text() -> None:
    article = extract_article((PAGES / "inline-links.html").read_bytes())
    text = " ".join(p for s in article.sections for p in s.paragraphs)
    for teaser in ("Read more", "Why Turkey wants", "Related", "Prisoner swaps since 2022",
                   "Share this", "Facebook", "Advertisement", "newsletter", "Photo: Reuters"):
        assert teaser not in text
    assert article.paragraph_count == 5  # prose with a link in it is kept:
    assert "The last round of direct talks, held in Istanbul in 2022, ended without a deal." in text
    assert text.startswith("Negotiators from Kyiv and Moscow met again in Istanbul")
    assert text.endswith("if the lists were finalised by the Red Cross.")


def test_outlet_keeps_the_page_spelling() -> None:
    page = (PAGES / "og-only.html").read_text("utf-8").replace("Carpathian Post", "eKarpaty")
    assert extract_article(page).publisher == "eKarpaty"  # trafilatura alone says "Ekarpaty"
