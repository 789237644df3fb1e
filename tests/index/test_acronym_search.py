"""The quick search for a spelt-out acronym in ASCII text finds one where the full one does."""

from __future__ import annotations

import random
from pathlib import Path

from index.acronyms import _ascii_phrase_re, _phrase_re

DATA = Path(__file__).parent / "data"
LETTERS = ("isw", "ngo", "vat", "un", "eu", "nato", "who", "ab", "ts")


def test_real_sentences_and_random_phrases_are_found_alike() -> None:
    texts = [line for path in sorted(DATA.glob("encyclopedia_dev/*"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.isascii()]
    rnd = random.Random(5)
    words = ["Institute", "for", "the", "Study", "of", "War", "non-governmental", "organisations",
             "value-added", "tax", "Nations", "United", "x9", "_u", "-", " ", "\t", "\x1c", "and",
             "Atlantic", "North", "Treaty", "Organization", "World", "Health", "s", "N", "i"]
    texts += ["".join(rnd.choice(words) + rnd.choice(["", " ", "-", "  "]) for _ in range(12))
              for _ in range(3000)]
    found = 0
    for text in texts:
        for letters in LETTERS:
            fast = _ascii_phrase_re(letters).search(text) is not None
            assert fast == (_phrase_re(letters).search(text) is not None), (letters, text)
            found += fast
    assert found > 100  # the phrases are there to be found, not only missed
