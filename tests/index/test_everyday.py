"""The everyday-word list read back from the user cache says what wordfreq itself says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from wordfreq import word_frequency, zipf_frequency

from index import datafiles, everyday
from index.names import is_rare_word

from ..conftest import REPORTS, SOURCES

# Names, inflections and everyday words a question may hold, beside every word of the sources.
_ASKED = ("meloni", "kadyrov", "zelensky", "fetching", "haggled", "warming", "argentina",
          "ceasefire", "gizmo", "umbrella", "rouble", "oblast", "kupiansk", "realistically")


def _sample() -> set[str]:
    texts = [p.read_text(encoding="utf-8") for p in [*SOURCES.glob("*.md"),
                                                      *REPORTS.glob("*.md")]]
    return {w.lower() for t in texts for w in re.findall(r"[^\W\d_]+", t)} | set(_ASKED)


def _forget() -> None:
    """Drop what this process has read, so the next call reads the cache folder again."""
    everyday.everyday_words.cache_clear()
    everyday.word_frequencies.cache_clear()


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(datafiles, "derived_dir", lambda: tmp_path / "derived")
    _forget()
    yield tmp_path / "derived"
    _forget()


def test_the_list_is_wordfreqs_small_english_list(fresh_cache: Path) -> None:
    made = everyday.everyday_words()
    [saved] = fresh_cache.glob("everyday-en-*.json")
    _forget()
    assert everyday.everyday_words() == made  # read back from the file this time
    words = _sample()
    assert len(words) > 2000
    listed = {w for w in words if w in made}
    assert listed == {w for w in words if zipf_frequency(w, "en", wordlist="small") > 0}
    assert 0 < len(listed) < len(words)
    assert saved.stat().st_size > 0


def test_the_frequencies_are_wordfreqs(fresh_cache: Path) -> None:
    table = everyday.word_frequencies()
    _forget()
    assert everyday.word_frequencies() == table  # read back from the file this time
    for word in sorted(_sample()):  # word_frequency rounds to three significant figures
        assert table.get(word, 0.0) == pytest.approx(word_frequency(word, "en", wordlist="small"),
                                                     rel=5e-3), word


def test_a_damaged_list_is_made_again(fresh_cache: Path) -> None:
    made = everyday.everyday_words()
    [saved] = fresh_cache.glob("everyday-en-*.json")
    saved.write_text('["the", 3]', encoding="utf-8")
    _forget()
    assert everyday.everyday_words() == made
    assert saved.read_text(encoding="utf-8") != '["the", 3]'


def test_rare_words_are_judged_without_importing_wordfreq() -> None:
    assert is_rare_word("kadyrov") and not is_rare_word("fetching")  # the list is cached now
    code = ("import sys; from index.names import is_rare_word; "
            "print(is_rare_word('kadyrov'), is_rare_word('fetching'), 'wordfreq' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.split() == ["True", "False", "False"]
