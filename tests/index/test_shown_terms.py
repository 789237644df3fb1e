"""A shown passage's terms, read from each part's own spans: the same as the joined text's."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.answer_type import joined_terms
from index.sentences import split_sentences
from index.tokens import spans

ENCYCLOPEDIA = Path(__file__).parent / "data" / "encyclopedia_dev"


def _joined(parts: list[str]) -> frozenset[str]:
    return frozenset(t for _, _, ts in spans(" ".join(parts)) for t in ts)


@pytest.mark.parametrize("parts", [
    ["It cost 5", "million more.", "Title", ""],  # a number runs on into the next part
    ["It cost $", "5m in all.", "Title", "Heading"],
    ["Prices rose 5,", "percent of them", "Title", ""],
    ["Up to x²", "million", "Title", ""],  # NFKC makes the superscript a digit
    ["A rise of 5", "% at most", "T", ""],
    ["the U.S.", "A. B. said", "T", "H"],
    ["café", "\u0301 combining first", "T", ""],
    ["", "5 million", "T", ""],
    ["Plain words end here.", "Then more words.", "A title 2024", ""],
])
def test_parts_give_the_joined_texts_terms(parts: list[str]) -> None:
    assert joined_terms(parts) == _joined(parts)


def test_every_window_of_real_articles_gives_the_joined_texts_terms() -> None:
    files = sorted(ENCYCLOPEDIA.glob("*"))
    assert files
    checked = 0
    for path in files:
        sentences = split_sentences(path.read_text(encoding="utf-8"))
        for i in range(1, len(sentences) - 1):
            parts = [*sentences[i - 1:i + 2], path.stem, "Heading 2"]
            assert joined_terms(parts) == _joined(parts), parts
            checked += 1
    assert checked > 100
