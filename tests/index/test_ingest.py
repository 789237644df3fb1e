"""Adding articles (URL or file) as sources: checked, atomic, no duplicates, undone on failure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from index import ingest
from index.engine import Engine
from index.errors import (
    AddSourceError,
    DuplicateSourceError,
    FetchError,
    RemoveSourceError,
    UnknownSourceError,
)
from index.fetch import FetchPolicy
from tests.webserver import NEWS, PAGES, WebServer, serve

NOW = datetime(2026, 1, 7, 9, 30, tzinfo=UTC)
NEWS_FILE = "2026-01-06-izmail-ferry-terminal-reopens-after-drone-strike-on-danube.md"
TRUST_SERVER = FetchPolicy(trusted_networks=("127.0.0.1/32",))


@pytest.fixture(scope="module")
def web() -> Iterator[WebServer]:
    with serve() as server:
        yield server


def snapshot_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes (an index's tokenizer cache left out)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != "cache"}


def test_url_is_added_as_a_markdown_source_and_answered(engine: Engine, web: WebServer) -> None:
    extraction = ingest.extract_url(engine, web.url(f"/pages/{NEWS}"), TRUST_SERVER, now=NOW)
    assert extraction.file_name == NEWS_FILE
    assert (extraction.paragraphs, extraction.document.sentence_count) == (9, 10)
    added = ingest.add(engine, extraction)
    assert added.path == engine.sources_dir / NEWS_FILE
    text = added.path.read_text("utf-8")
    assert text.startswith("---\ntitle: Izmail ferry terminal reopens after drone strike on "
                           "Danube port\nurl: https://news.example.org/2026/01/06/izmail-ferry-"
                           "terminal-reopens\npublished: '2026-01-06'\npublisher: Danube Courier\n"
                           "author: Iryna Kovalenko\nadded: '2026-01-07T09:30:00+00:00'\n---\n")
    assert "\n## Damage and repairs\n" in text
    assert "cookies" not in text and "Read more" not in text and "newsletter" not in text.lower()
    assert added.report.added == (extraction.source_id,)
    answer = engine.ask("war-risk premiums at Izmail", top=1)
    assert answer.passages[0].citation.source_id == extraction.source_id
    assert answer.passages[0].citation.publisher == "Danube Courier"


def test_same_article_twice_is_refused_and_changes_nothing(engine: Engine, web: WebServer) -> None:
    ingest.add(engine, ingest.extract_path(engine, PAGES / "danube-ferry.html", now=NOW))
    before = snapshot_of(engine.sources_dir)
    with pytest.raises(DuplicateSourceError, match="same URL"):
        ingest.extract_url(engine, web.url(f"/pages/{NEWS}"), TRUST_SERVER)
    with pytest.raises(DuplicateSourceError, match="same URL"):  # the twin names the same url
        ingest.extract_path(engine, PAGES / "danube-ferry.md")
    assert snapshot_of(engine.sources_dir) == before


def test_same_text_without_a_url_is_a_duplicate(engine: Engine, tmp_path: Path) -> None:
    body = (PAGES / "danube-ferry.md").read_text("utf-8").split("---\n", 2)[2]
    (tmp_path / "copy-one.md").write_text(body, "utf-8")
    (tmp_path / "copy-two.txt").write_text(body.replace("\n\n", "\n\n\n"), "utf-8")
    ingest.add(engine, ingest.extract_path(engine, tmp_path / "copy-one.md", now=NOW))
    with pytest.raises(DuplicateSourceError, match="same text"):
        ingest.extract_path(engine, tmp_path / "copy-two.txt")


def test_page_without_article_is_refused_and_nothing_written(engine: Engine,
                                                             web: WebServer) -> None:
    before = snapshot_of(engine.sources_dir)
    with pytest.raises(AddSourceError, match="no article text: the page is a login"):
        ingest.extract_url(engine, web.url("/empty"), TRUST_SERVER)
    with pytest.raises(FetchError):
        ingest.extract_url(engine, web.url("/pdf"), TRUST_SERVER)
    assert snapshot_of(engine.sources_dir) == before


def test_failed_rebuild_leaves_sources_and_index_as_they_were(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    extraction = ingest.extract_path(engine, PAGES / "og-only.html", now=NOW)
    sources_before = snapshot_of(engine.sources_dir)
    index_before = snapshot_of(engine.index_dir)
    served = engine.snapshot

    def broken_save(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("index.engine.save_index", broken_save)
    with pytest.raises(OSError, match="disk full"):
        ingest.add(engine, extraction)
    assert snapshot_of(engine.sources_dir) == sources_before
    assert snapshot_of(engine.index_dir) == index_before
    assert engine.snapshot is served


def test_unknown_file_kind_and_missing_file_are_user_errors(engine: Engine,
                                                           tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF")
    with pytest.raises(AddSourceError, match="not a web page"):
        ingest.extract_path(engine, tmp_path / "report.pdf")
    with pytest.raises(AddSourceError, match="cannot read"):
        ingest.extract_path(engine, tmp_path / "missing.html")


def test_remove_takes_a_source_out(engine: Engine) -> None:
    added = ingest.add(engine, ingest.extract_path(engine, PAGES / "og-only.html", now=NOW))
    source_id = added.extraction.source_id
    report = ingest.remove(engine, source_id)
    assert report.removed == (source_id,)
    assert not added.path.exists()
    assert source_id not in {s.source_id for s in engine.sources()}
    with pytest.raises(UnknownSourceError):
        ingest.remove(engine, source_id)


def test_remove_in_a_read_only_folder_is_a_clear_error_and_changes_nothing(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    added = ingest.add(engine, ingest.extract_path(engine, PAGES / "og-only.html", now=NOW))
    source_id = added.extraction.source_id
    sources_before = snapshot_of(engine.sources_dir)
    served = engine.snapshot

    def read_only(src: object, dst: object) -> None:  # what a read-only folder does (even as root)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("index.ingest.os.replace", read_only)
    with pytest.raises(RemoveSourceError, match="Permission denied; nothing was removed"):
        ingest.remove(engine, source_id)
    assert snapshot_of(engine.sources_dir) == sources_before
    assert engine.snapshot is served
    assert source_id in {s.source_id for s in engine.sources()}


def test_names_are_readable_and_never_overwrite(engine: Engine, tmp_path: Path) -> None:
    one = tmp_path / "one.md"
    one.write_text("---\ntitle: Kyiv’s “winter plan”, explained\n---\n\nFirst text here.\n")
    two = tmp_path / "two.md"
    two.write_text("---\ntitle: Kyiv’s “winter plan”, explained\n---\n\nOther text here.\n")
    first = ingest.add(engine, ingest.extract_path(engine, one, now=NOW))
    second = ingest.add(engine, ingest.extract_path(engine, two, now=NOW))
    assert first.path.name == "2026-01-07-kyivs-winter-plan-explained.md"
    assert second.path.name == "2026-01-07-kyivs-winter-plan-explained-2.md"


def test_the_same_article_added_twice_at_once_is_written_once(engine: Engine) -> None:
    first = ingest.extract_path(engine, PAGES / "og-only.html", now=NOW)
    second = ingest.extract_path(engine, PAGES / "og-only.html", now=NOW)  # both before adding
    ingest.add(engine, first)
    before = snapshot_of(engine.sources_dir)
    with pytest.raises(DuplicateSourceError):
        ingest.add(engine, second)
    assert snapshot_of(engine.sources_dir) == before
