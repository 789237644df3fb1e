"""The saved index: build, load, rebuild on change, recovery from damage, bad sources skipped."""

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from index.corpus import FORMAT_VERSION
from index.engine import Engine
from index.errors import IndexFormatError, SourcesError, TopicsFileError
from index.store import POINTER, load_index

from ..conftest import ARTICLE_ID

NEW_SOURCE = """---
title: A note on grain
url: https://example.org/grain
---

## Exports

Ukraine shipped grain through the Black Sea corridor. The corridor reopened in August.
"""


def _generation(index_dir: Path) -> Path:
    return index_dir / (index_dir / POINTER).read_text().strip()


def test_first_open_builds_then_loads(sources_dir: Path, tmp_path: Path) -> None:
    first = Engine(sources_dir, tmp_path / "ix").open()
    assert first.rebuilt and first.added == (ARTICLE_ID,) and first.sentences == 43
    second = Engine(sources_dir, tmp_path / "ix").open()
    assert not second.rebuilt and second.sentences == 43


def test_saved_index_round_trips(engine: Engine) -> None:
    loaded, manifest = load_index(engine.index_dir)
    built = engine.snapshot.index
    assert manifest["format_version"] == FORMAT_VERSION == 3
    assert manifest["tokenizer"] == built.tokenizer
    assert manifest["sources"][0]["sha256"] == built.sources[0].sha256
    assert [loaded.sentence(i) for i in range(loaded.size)] == \
        [built.sentence(i) for i in range(built.size)]
    for name in ("ptr", "ids", "tf", "idf", "doc_len"):  # what every BM25 weight is made of
        assert np.array_equal(getattr(loaded.postings, name), getattr(built.postings, name))
    assert loaded.postings.vocab == built.postings.vocab
    for name in ("row_terms", "row_places"):  # what answering reads instead of tokenizing
        a, b = getattr(loaded, name), getattr(built, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name


@pytest.mark.parametrize("change", ["add", "change", "remove"])
def test_rebuild_when_sources_change(engine: Engine, sources_dir: Path, change: str) -> None:
    article = sources_dir / f"{ARTICLE_ID}.md"
    if change == "add":
        (sources_dir / "grain.md").write_text(NEW_SOURCE, encoding="utf-8")
    elif change == "change":
        article.write_text(article.read_text() + "\nThe corridor for grain reopened.\n")
    else:
        (sources_dir / "grain.md").write_text(NEW_SOURCE, encoding="utf-8")
        engine.rebuild()
        (sources_dir / "grain.md").unlink()
    fresh = Engine(sources_dir, engine.index_dir)
    report = fresh.open()
    assert report.rebuilt
    answer = fresh.ask("grain corridor")
    if change == "remove":
        assert report.removed == ("grain",)
        assert all(p.citation.source_id != "grain" for p in answer.passages)
    else:
        assert (report.added if change == "add" else report.changed) == (
            "grain" if change == "add" else ARTICLE_ID,)
        assert answer.answered and "corridor" in answer.passages[0].match


def test_grain_source_metadata_and_citation(engine: Engine, sources_dir: Path) -> None:
    (sources_dir / "news").mkdir()
    (sources_dir / "news" / "grain.md").write_text(NEW_SOURCE, encoding="utf-8")
    report = engine.rebuild()
    assert report.added == ("news/grain",)
    passage = engine.ask("When did the corridor reopen?").passages[0]
    c = passage.citation
    assert (c.source_id, c.title, c.section, c.paragraph, c.url) == (
        "news/grain", "A note on grain", "Exports", 1, "https://example.org/grain")
    assert c.text == "A note on grain · Exports · ¶1"


@pytest.mark.parametrize("damage", ["truncate", "garbage", "manifest", "version", "pointer"])
def test_damaged_index_is_rebuilt(engine: Engine, damage: str, caplog) -> None:
    gen = _generation(engine.index_dir)
    if damage == "truncate":
        path = gen / "postings.tf.npy"
        path.write_bytes(path.read_bytes()[:-16])
    elif damage == "garbage":
        path = gen / "postings.tf.npy"
        data = bytearray(path.read_bytes())
        data[-8:] = b"\xff" * 8  # same size, wrong numbers: only the content hash sees it
        path.write_bytes(bytes(data))
    elif damage == "manifest":
        (gen / "manifest.json").write_text("{not json")
    elif damage == "version":
        manifest = json.loads((gen / "manifest.json").read_text())
        manifest["format_version"] = 999
        (gen / "manifest.json").write_text(json.dumps(manifest))
    else:
        (engine.index_dir / POINTER).write_text("gen-missing")
    with pytest.raises(IndexFormatError):
        load_index(engine.index_dir)
    fresh = Engine(engine.sources_dir, engine.index_dir)
    with caplog.at_level(logging.WARNING):
        report = fresh.open()
    assert report.rebuilt
    assert fresh.ask("Rosatom").passages[0].match.startswith("Ukraine's problem")
    load_index(engine.index_dir)  # healthy again


@pytest.mark.parametrize(("name", "content"), [
    ("binary.md", b"\x00\x01\x02binary"),
    ("latin1.txt", "Caf\xe9 au lait.".encode("latin-1")),
    ("empty.md", b"---\ntitle: Nothing\n---\n\n"),
    ("badmeta.md", b"---\ntitle: [unclosed\n---\n\nSome text here.\n"),
])
def test_unreadable_source_is_skipped_rest_served(sources_dir: Path, tmp_path: Path,
                                                   name: str, content: bytes, caplog) -> None:
    (sources_dir / name).write_bytes(content)
    engine = Engine(sources_dir, tmp_path / "ix")
    with caplog.at_level(logging.WARNING):
        report = engine.open()
    stem = name.rsplit(".", 1)[0]
    assert [s for s, _ in report.skipped] == [stem]
    assert stem in caplog.text
    assert report.sentences == 43 and engine.ask("Rosatom").answered
    # The skipped file is remembered: opening again does not rebuild.
    assert not Engine(sources_dir, tmp_path / "ix").open().rebuilt


def test_plain_text_source_without_headings(sources_dir: Path, tmp_path: Path) -> None:
    (sources_dir / "memo.txt").write_text("First line here. Second sentence.\nAnother paragraph.\n")
    engine = Engine(sources_dir, tmp_path / "ix")
    engine.open()
    passage = engine.ask("another paragraph", source="memo").passages[0]
    assert passage.citation.title == "Memo" and passage.citation.section is None
    assert passage.citation.paragraph == 2


def test_missing_sources_folder(tmp_path: Path) -> None:
    with pytest.raises(SourcesError):
        Engine(tmp_path / "nope", tmp_path / "ix").open()


def test_bad_issues_file_keeps_old_index(engine: Engine, sources_dir: Path) -> None:
    before = engine.snapshot
    (sources_dir / "issues.toml").write_text("[issues.Bad Key]\ntitle = 1\n")
    with pytest.raises(TopicsFileError):
        engine.rebuild()
    assert engine.snapshot is before


def test_empty_sources_folder_answers_nothing(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    engine = Engine(tmp_path / "src", tmp_path / "ix")
    assert engine.open().sentences == 0
    answer = engine.ask("anything at all")
    assert not answer.answered and answer.passages == ()


def test_source_turned_unreadable_keeps_its_last_good_version(engine: Engine,
                                                              sources_dir: Path) -> None:
    article = sources_dir / f"{ARTICLE_ID}.md"
    good = engine.ask("Rosatom").passages[0]
    article.write_bytes(b"\x00\x01 broken \xff" * 20)
    report = engine.rebuild()
    assert report.skipped == ((ARTICLE_ID, "binary file; serving its last good version"),)
    assert report.changed == () and report.sentences == 43
    assert engine.ask("Rosatom").passages[0] == good
    # A new process loads that index as it is: no rebuild, same answer.
    fresh = Engine(sources_dir, engine.index_dir)
    assert not fresh.open().rebuilt
    assert fresh.ask("Rosatom").passages[0] == good
    # Once the file is fixed, it is read again.
    article.write_text(article.read_text(encoding="utf-8", errors="replace")[:0] + "Fixed.\n")
    assert fresh.open().rebuilt or fresh.rebuild().changed == (ARTICLE_ID,)
