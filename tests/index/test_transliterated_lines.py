"""Folding a vocabulary shape's terms in one array pass gives each term's own folding."""

from __future__ import annotations

import random

from index.names import _transliterated, _transliterated_lines


def test_lines_fold_like_each_term() -> None:
    rnd = random.Random(3)
    alphabet = "aayyiiéé\u0301zzk"  # doubled letters, y → i, non-ASCII, a combining mark
    for _ in range(3000):
        terms = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 9)))
                 for _ in range(rnd.randint(1, 6))]
        assert _transliterated_lines("\n".join(terms)).split("\n") == [
            _transliterated(t) for t in terms], terms


def test_runs_collapse_within_a_line_only() -> None:
    assert _transliterated_lines("zelenskyy\nkharkkiv\naa\na") == "zelenski\nkharkiv\na\na"
