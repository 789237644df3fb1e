"""A patched index (one source added, changed or removed) equals a full rebuild, array for array."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from index.answer import answer
from index.build import TokenizedDocument, build_index
from index.corpus import Index
from index.patch import patch_index
from index.tokenize_sources import load_tokenized
from index.topics import load_topics

from ..conftest import SOURCES

NOTES = {
    "aaa-first": "---\ntitle: Zaporizhzhia grid notes\n---\n\n## Power\n\nThe Zaporizhzhia "
                 "plant fed the grid. Kremlin engineers inspected the reactors in March.\n\n"
                 "Rosatom staff stayed. Ukraine's operators left.\n",
    "mid/grain": "---\ntitle: A note on grain\n---\n\n## Exports\n\nUkraine shipped grain "
                 "through the Black Sea corridor. The corridor reopened in August.\n\n## Prices\n\n"
                 "Wheat prices fell 12% after the corridor reopened. Farmers in Odesa cheered.\n",
    "zzz-last": "Zebra quagga okapi.\n\nThe okapi and the quagga graze. Territory talks stalled "
                "in Geneva.\n",
    "mmm-rare": "# Unique words\n\nXylophonic quibbles perplex zymurgists. Fjords glitter.\n\n"
                "Perplexing zymurgy recurs in fjords.\n",
}


def _write(folder: Path, notes: dict[str, str]) -> None:
    shutil.copytree(SOURCES, folder)
    for source_id, text in notes.items():
        path = folder / f"{source_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _docs(folder: Path) -> dict[str, TokenizedDocument]:
    docs, skipped = load_tokenized(folder, None)
    assert not skipped
    return {d.document.source_id: d for d in docs}


def assert_same_index(got: Index, want: Index) -> None:
    """Every array, record, vocabulary and field-term map of two indexes is equal."""
    assert got.sources == want.sources and got.section_headings == want.section_headings
    assert list(got.postings.vocab.items()) == list(want.postings.vocab.items())
    for name in ("ptr", "ids", "tf", "idf", "doc_len", "row_norm"):
        a, b = getattr(got.postings, name), getattr(want.postings, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name
    for name in ("sent_source", "sent_section", "sent_para", "para_number", "features",
                 "text_offsets", "row_terms", "row_places", "token_first"):
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name
    assert bytes(got.text) == bytes(want.text)
    for name in ("heading_terms", "title_terms"):
        a, b = getattr(got, name), getattr(want, name)
        assert a.keys() == b.keys(), name
        assert all(np.array_equal(a[t], b[t]) and a[t].dtype == b[t].dtype for t in a), name


QUESTIONS = ["what does Russia want on Zaporizhzhia", "When did the corridor reopen?",
             "who inspected the reactors", "what do okapi graze", "zymurgy in fjords",
             "wheat prices", "Rosatom", "security guarantees for Ukraine"]


def _answers(index: Index, folder: Path) -> list[object]:
    topics = load_topics(folder)
    return [answer(index, topics, q, top=3) for q in QUESTIONS]


CHANGES = {
    "add first": ({k: v for k, v in NOTES.items() if k != "aaa-first"}, NOTES),
    "add last": ({k: v for k, v in NOTES.items() if k != "zzz-last"}, NOTES),
    "remove first": (NOTES, {k: v for k, v in NOTES.items() if k != "aaa-first"}),
    "remove middle": (NOTES, {k: v for k, v in NOTES.items() if k != "mid/grain"}),
    "remove rare": (NOTES, {k: v for k, v in NOTES.items() if k != "mmm-rare"}),
    "change": (NOTES, {**NOTES, "mid/grain": NOTES["mid/grain"].replace(
        "Farmers", "Okapi herders and Kremlin farmers")}),
    "change first": (NOTES, {**NOTES, "aaa-first": "Brand new zorbing words. Rosatom.\n"}),
    "two at once": (NOTES, {**{k: v for k, v in NOTES.items() if k != "zzz-last"},
                            "aaa-first": NOTES["mmm-rare"], "new/one": NOTES["zzz-last"]}),
}


@pytest.mark.parametrize("case", CHANGES)
def test_patch_equals_full_rebuild(tmp_path: Path, case: str) -> None:
    before, after = CHANGES[case]
    _write(tmp_path / "before", before)
    _write(tmp_path / "after", after)
    old_docs, new_docs = _docs(tmp_path / "before"), _docs(tmp_path / "after")
    old = build_index([old_docs[k] for k in sorted(old_docs)])
    changes = {k: new_docs.get(k) for k in old_docs.keys() | new_docs.keys()
               if k not in old_docs or k not in new_docs
               or old_docs[k].document.sha256 != new_docs[k].document.sha256}
    assert changes
    patched = patch_index(old, changes)
    assert patched is not None
    full = build_index([new_docs[k] for k in sorted(new_docs)])
    assert_same_index(patched, full)
    assert _answers(patched, tmp_path / "after") == _answers(full, tmp_path / "after")


def test_engine_patches_one_change_and_saves_what_a_full_build_gives(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from index import patch
    from index.engine import Engine
    from index.store import load_index

    _write(tmp_path / "src", NOTES)
    engine = Engine(tmp_path / "src", tmp_path / "ix")
    engine.open()
    calls = []
    real = patch.patch_index
    monkeypatch.setattr(patch, "patch_index", lambda *a: calls.append(a) or real(*a))
    (tmp_path / "src" / "mid" / "grain.md").write_text(NOTES["zzz-last"], encoding="utf-8")
    (tmp_path / "src" / "aaa-first.md").unlink()
    report = engine.rebuild()
    assert len(calls) == 1 and report.changed == ("mid/grain",)
    assert report.removed == ("aaa-first",)
    full = Engine(tmp_path / "src", tmp_path / "full")
    full.rebuild()
    assert_same_index(engine.snapshot.index, full.snapshot.index)
    assert_same_index(load_index(tmp_path / "ix")[0], full.snapshot.index)
    assert [engine.ask(q) for q in QUESTIONS] == [full.ask(q) for q in QUESTIONS]
