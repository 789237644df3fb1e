"""The fast closest_spelling picks exactly what scanning with difflib alone picks (issue 12)."""

from __future__ import annotations

import difflib
import random
import string
from collections.abc import Collection
from pathlib import Path

import pytest

from index.engine import Engine
from index.names import _MISSPELLING, _transliterated, closest_spelling

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "index" / "data"


def _by_difflib(term: str, vocabulary: Collection[str]) -> str | None:
    """The choice as it was made before: difflib over every folded form within two letters."""
    near = [v for v in vocabulary if v[:1] == term[:1] and abs(len(v) - len(term)) <= 2]
    folded: dict[str, str] = {}
    for v in sorted(near):
        folded.setdefault(_transliterated(v), v)
    found = difflib.get_close_matches(_transliterated(term), folded, n=1, cutoff=_MISSPELLING)
    return folded[found[0]] if found else None


def _typos(word: str, rng: random.Random) -> list[str]:
    """Ways to mistype a word: a letter dropped, doubled, swapped, replaced or added; y for i."""
    i = rng.randrange(len(word))
    letter = rng.choice(string.ascii_lowercase)
    return [word[:i] + word[i + 1:], word[:i] + word[i] + word[i:],
            word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:],
            word[:i] + letter + word[i + 1:], word[:i] + letter + word[i:],
            word.replace("i", "y"), word.replace("y", "ii")]


def _vocabulary(sources: Path, tmp_path: Path) -> list[str]:
    """The index terms of a real corpus."""
    engine = Engine(sources, tmp_path / sources.name)
    engine.open()
    return sorted(engine.snapshot.index.postings.vocab)


@pytest.mark.parametrize("corpus", ["sources", "encyclopedia_dev"])
def test_the_same_choice_as_difflib_on_real_vocabularies(corpus: str, tmp_path: Path) -> None:
    vocabulary = _vocabulary(REPO / corpus if corpus == "sources" else DATA / corpus, tmp_path)
    rng = random.Random(12)
    words = [w for w in vocabulary if len(w) >= 3]
    typed = [t for w in rng.sample(words, min(400, len(words))) for t in _typos(w, rng)]
    typed += ["".join(rng.choices("aeiouykrstnlzh", k=rng.randint(3, 12))) for _ in range(300)]
    typed += ["zelenskyy", "zelenksi", "kharkov", "orban", "meloni", "donbass", "kyyiv"]
    chosen = [closest_spelling(t, vocabulary) for t in typed]
    assert chosen == [_by_difflib(t, vocabulary) for t in typed]
    # The comparison is not idle: most typos find their word, and some find nothing.
    assert sum(c is not None for c in chosen) > len(typed) // 2
    assert any(c is None for c in chosen)
    assert chosen == [closest_spelling(t, vocabulary) for t in typed]  # kept answers agree


def test_ties_go_to_the_greatest_form_and_the_first_term_folding_to_it() -> None:
    # "kiev"/"kyev" fold alike ("kiev" stands for both); "kiav"/"kiew" tie on the ratio.
    vocabulary = ["kyev", "kiev", "kiaw", "kiew", "kievv"]
    for typed in ["kievs", "kiex", "kiaev", "kyiev", "kiw"]:
        assert closest_spelling(typed, vocabulary) == _by_difflib(typed, vocabulary), typed


def test_letters_beyond_ascii_are_compared_too() -> None:
    # Letters outside a–z share count bins: the bound only loosens, the choice stays difflib's.
    vocabulary = ["zürich", "zurich", "zagreb", "kyïv", "kyiv", "łódź", "lodz", "ñandú", "ølstad"]
    for typed in ["zürikh", "zurrich", "züric", "kyïw", "kiïv", "łódż", "lódź", "ñandu", "ølsted",
                  "øelstad", "zagrep", "züriich"]:
        assert closest_spelling(typed, vocabulary) == _by_difflib(typed, vocabulary), typed
    assert closest_spelling("züriich", vocabulary) == "zürich"  # not idle: doubled letters fold
