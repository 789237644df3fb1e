"""Tables derived from the data files are kept in the user cache by a key, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import datafiles, synonyms
from index.datafiles import derived


def _read(saved: object) -> tuple[int, ...]:
    if not isinstance(saved, list) or not all(isinstance(n, int) for n in saved):
        raise TypeError("not a list of numbers")
    return tuple(saved)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(datafiles, "derived_dir", lambda: tmp_path / "derived")
    return tmp_path / "derived"


def test_made_once_then_read_back(folder: Path) -> None:
    made: list[int] = []

    def make() -> tuple[int, ...]:
        made.append(1)
        return (1, 2, 3)

    assert derived("t", "k1", make, _read) == (1, 2, 3)
    assert derived("t", "k1", make, _read) == (1, 2, 3)
    assert made == [1] and [p.name for p in folder.iterdir()] == ["t-k1.json"]
    assert derived("t", "k2", lambda: (4,), _read) == (4,)  # another key: made again
    assert sorted(p.name for p in folder.iterdir()) == ["t-k1.json", "t-k2.json"]


@pytest.mark.parametrize("content", ['[1, 2', '{"a": 1}', '["x"]', ""])
def test_a_damaged_file_is_made_again_and_replaced(folder: Path, content: str) -> None:
    folder.mkdir()
    (folder / "t-k.json").write_text(content, encoding="utf-8")
    assert derived("t", "k", lambda: (7, 8), _read) == (7, 8)
    assert derived("t", "k", lambda: (0,), _read) == (7, 8)  # the repaired file is read


def test_only_the_newest_few_keys_are_kept(folder: Path) -> None:
    for n in range(datafiles._KEPT + 3):
        assert derived("t", f"k{n}", lambda n=n: (n,), _read) == (n,)
    assert derived("u", "k", lambda: (9,), _read) == (9,)  # another name is not pruned
    kept = sorted(p.name for p in folder.glob("t-*.json"))
    assert len(kept) == datafiles._KEPT and f"t-k{datafiles._KEPT + 2}.json" in kept
    assert (folder / "u-k.json").exists() and not list(folder.glob("*.tmp"))


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setattr(datafiles, "derived_dir", lambda: blocked / "derived")
    assert derived("t", "k", lambda: (5,), _read) == (5,)


def test_the_kept_synonym_groups_are_the_tokenized_ones(folder: Path) -> None:
    synonyms._groups.cache_clear()
    try:
        made = synonyms._groups()  # tokenized and kept
        assert made == synonyms._tokenized_groups() and len(list(folder.iterdir())) == 1
        synonyms._groups.cache_clear()
        assert synonyms._groups() == made  # read back: equal, as tuples
        assert "plant" in synonyms.synonyms("station", ["power"])
    finally:
        synonyms._groups.cache_clear()
