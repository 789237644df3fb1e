"""The per-file parse and token cache: used on rebuild, keyed by content, bad entries ignored."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import index.tokenize_sources as tokenize_sources
from index.build import TokenizedDocument, build_index, token_rows
from index.engine import Engine
from index.models import Document
from index.sources import load_folder
from index.tokenize_sources import load_tokenized, tokenize_documents

TEXTS = {
    "alpha": "---\ntitle: Alpha talks\n---\n## Grain\nShips carried grain from Odesa. "
             "The corridor reopened in July.\n\nInsurers raised premiums.\n",
    "beta": "## Energy\nThe plant at Zaporizhzhia lost power twice.\n\nInspectors stayed.\n",
    "gamma": "Prisoners were exchanged in May. Talks resumed in Istanbul.\n",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "sources"
    src.mkdir()
    for name, text in TEXTS.items():
        (src / f"{name}.md").write_text(text, encoding="utf-8")
    return src


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source ids tokenize_document is called for."""
    seen: list[str] = []
    real = tokenize_sources.tokenize_document

    def counting(document: Document) -> TokenizedDocument:
        seen.append(document.source_id)
        return real(document)

    monkeypatch.setattr(tokenize_sources, "tokenize_document", counting)
    return seen


def _edit(folder: Path, name: str) -> None:
    path = folder / f"{name}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA ceasefire line was added.\n",
                    encoding="utf-8")


def test_load_tokenized_reuses_cache(folder: Path, tmp_path: Path, calls: list[str]) -> None:
    cache = tmp_path / "cache"
    first, skipped = load_tokenized(folder, cache)
    assert sorted(calls) == ["alpha", "beta", "gamma"] and not skipped
    calls.clear()
    again, _ = load_tokenized(folder, cache)
    assert calls == []
    assert [d.document for d in again] == [d.document for d in first]
    assert token_rows(again) == token_rows(first)
    _edit(folder, "beta")
    changed, _ = load_tokenized(folder, cache)
    assert calls == ["beta"]
    assert [d.document.source_id for d in changed] == ["alpha", "beta", "gamma"]


def test_tokenize_documents_reuses_cache(folder: Path, tmp_path: Path, calls: list[str]) -> None:
    cache = tmp_path / "cache"
    documents, _ = load_folder(folder)
    tokenize_documents(documents, cache)
    assert len(calls) == 3
    calls.clear()
    _edit(folder, "gamma")
    documents, _ = load_folder(folder)
    tokenize_documents(documents, cache)
    assert calls == ["gamma"]


def test_engine_rebuild_retokenizes_only_the_changed_file(folder: Path, tmp_path: Path,
                                                          calls: list[str]) -> None:
    engine = Engine(folder, tmp_path / "index")
    engine.rebuild()
    assert len(calls) == 3
    calls.clear()
    _edit(folder, "alpha")
    engine.rebuild()
    assert calls == ["alpha"]
    assert engine.ask("When was the ceasefire line added?").passages


@pytest.mark.parametrize("garbage", ["{not json", '{"terms": 3}', "[]", ""])
def test_corrupt_cache_file_is_ignored(folder: Path, tmp_path: Path, calls: list[str],
                                       garbage: str) -> None:
    cache = tmp_path / "cache"
    fresh, _ = load_tokenized(folder, cache)
    for path in cache.glob("*.json"):
        path.write_text(garbage, encoding="utf-8")
    calls.clear()
    again, _ = load_tokenized(folder, cache)
    assert sorted(calls) == ["alpha", "beta", "gamma"]
    assert token_rows(again) == token_rows(fresh)


def test_inconsistent_cache_entry_is_ignored(folder: Path, tmp_path: Path,
                                             calls: list[str]) -> None:
    """A well-formed entry whose ids point past its terms is not trusted."""
    cache = tmp_path / "cache"
    load_tokenized(folder, cache)
    (path,) = [p for p in cache.glob("*.json") if '"gamma"' in p.read_text(encoding="utf-8")]
    path.write_text(path.read_text(encoding="utf-8").replace('"ids": [0', '"ids": [999'),
                    encoding="utf-8")
    calls.clear()
    load_tokenized(folder, cache)
    assert calls == ["gamma"]


def test_cached_build_equals_fresh_build(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = build_index(load_tokenized(folder, None)[0])
    load_tokenized(folder, cache)
    cached = build_index(load_tokenized(folder, cache)[0])
    assert cached.postings.vocab == fresh.postings.vocab
    for name in ("ptr", "ids", "tf", "idf", "doc_len"):
        assert np.array_equal(getattr(cached.postings, name), getattr(fresh.postings, name))
    assert cached.text == fresh.text and cached.sources == fresh.sources


def test_stale_cache_entries_are_pruned(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_tokenized(folder, cache)
    _edit(folder, "alpha")
    (cache / "old-format-entry.json").write_text("{}", encoding="utf-8")
    load_tokenized(folder, cache)
    assert len(list(cache.iterdir())) == 3
