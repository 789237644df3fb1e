"""`citebot add`: what it prints, what it writes, and what it refuses."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.webserver import NEWS, PAGES, WebServer, serve

NEWS_FILE = "2026-01-06-izmail-ferry-terminal-reopens-after-drone-strike-on-danube.md"


@pytest.fixture
def web() -> Iterator[WebServer]:
    with serve() as server:
        yield server


@pytest.fixture
def run(sources_dir: Path, tmp_path: Path):
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None):
        return runner.invoke(main, [*args[:1], "--sources", str(sources_dir), "--index",
                                    str(tmp_path / "ix"), *args[1:]], env=env)

    return invoke


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_add_url_prints_the_extraction_and_where_it_wrote_it(run, web: WebServer,
                                                             sources_dir: Path) -> None:
    result = run("add", web.url(f"/pages/{NEWS}"), env={"CITEBOT_FETCH_ALLOW_PRIVATE": "1"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Extracted {web.url(f'/pages/{NEWS}')}"
    for expected in ("  title:      Izmail ferry terminal reopens after drone strike on Danube "
                     "port", "  outlet:     Danube Courier", "  published:  2026-01-06",
                     "  text:       9 paragraphs, 10 sentences, 4 sections"):
        assert expected in lines
    assert f"Wrote {sources_dir / NEWS_FILE} (source id {NEWS_FILE[:-3]})" in lines
    assert lines[-1].startswith("Index: 2 sources, ")
    answer = json.loads(run("ask", "--json", "--top", "1", "Izmail war-risk premiums").output)
    passage = answer["passages"][0]
    assert (passage["source"], passage["publisher"], passage["published"]) == \
           (NEWS_FILE[:-3], "Danube Courier", "2026-01-06")
    assert passage["citation"].startswith("Izmail ferry terminal reopens after drone strike on "
                                          "Danube port — Danube Courier, 2026-01-06 · ")


def test_dry_run_writes_nothing(run, sources_dir: Path) -> None:
    before = listing(sources_dir)
    result = run("add", "--dry-run", str(PAGES / "og-only.html"))
    assert result.exit_code == 0, result.output
    assert "  outlet:     Carpathian Post" in result.output
    assert "Dry run: would write" in result.output and "nothing written" in result.output
    assert listing(sources_dir) == before


def test_same_article_twice_says_so_and_changes_nothing(run, sources_dir: Path) -> None:
    assert run("add", str(PAGES / "danube-ferry.html")).exit_code == 0
    before = listing(sources_dir)
    result = run("add", str(PAGES / "danube-ferry.md"))
    assert result.exit_code == 0
    assert f"already a source: {NEWS_FILE[:-3]} (the same URL); nothing was added" in \
        result.output
    assert listing(sources_dir) == before


def test_refusals_are_one_error_line_each(run, web: WebServer, sources_dir: Path) -> None:
    before = listing(sources_dir)
    result = run("add", web.url(f"/pages/{NEWS}"), str(PAGES / "login-wall.html"),
                 str(sources_dir / "missing.html"))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 3, result.output
    assert "127.0.0.1 is a loopback address" in errors[0]
    assert "no article text: the page is a login or subscription wall" in errors[1]
    assert "cannot read" in errors[2]
    assert "Traceback" not in result.output
    assert listing(sources_dir) == before
    assert not web.requests


@pytest.mark.parametrize(("url", "reason"), [
    ("http://[::1", "not a valid web address"),
    ("https://example.com:99999/", "not a valid web address"),
    ("http://a..b/", "not a valid web address"),  # no DNS lookup: the name cannot be encoded
    ("http://" + "a" * 64 + ".example/", "not a valid web address"),
])
def test_a_malformed_url_is_one_error_line(run, sources_dir: Path, url: str,
                                           reason: str) -> None:
    before = listing(sources_dir)
    result = run("add", url)
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"Error: refused to fetch {url!r}: {reason}"]
    assert listing(sources_dir) == before


def test_a_fifo_or_an_oversized_file_is_refused_without_reading_it(
        run, sources_dir: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)  # reading it would wait forever for a writer
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:  # sparse: 6 MB on paper, nothing on disk
        handle.truncate(6 * 1024 * 1024)
    before = listing(sources_dir)
    result = run("add", str(fifo), str(huge), str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: cannot read {fifo}: not a regular file",
        f"Error: cannot read {huge}: 6,291,456 bytes, over the 5,242,880-byte cap",
        f"Error: cannot read {tmp_path}: Is a directory"]
    assert listing(sources_dir) == before
