"""sentence_features skips a pattern's search only when the sentence cannot match it."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from index.cues import (
    _FEATURE_RES,
    Feature,
    expected_features,
    holds_number,
    sentence_features,
)

ROOT = Path(__file__).resolve().parents[2]
_WORDS = ("one", "Twenty", "HALF", "a third", "May", "sept.", "since", "Monday", "for a",
          "for more than two", "years", "yearning", "centuries", "is a", "refers to",
          "also known as", "$5", "3 km", "40%", "800,000-strong", "2022", "ſix", "\u212aM",
          "İs", "per cent", "6bn", "troops", "Kyiv", "said", "because", "so that", "argued",
          "the reason", "would only", "so", "-", ",", " ", "\n", "_")


def _by_search(text: str) -> Feature:
    """Every pattern searched: what the features were before the pre-checks."""
    found = Feature.NONE
    for feature, pattern in _FEATURE_RES:
        if pattern.search(text):
            found |= feature
    return found | Feature.COUNT if found & Feature.NUMBER and holds_number(text) else found


def test_the_bundled_and_test_sources_keep_their_features() -> None:
    texts = [line for path in sorted((ROOT / "tests" / "index" / "data").rglob("*.md"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    texts += (ROOT / "sources" / "peace-talks-sticking-points.md").read_text(
        encoding="utf-8").splitlines()
    assert len(texts) > 500
    assert [sentence_features(t) for t in texts] == [_by_search(t) for t in texts]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=14))
def test_any_text_gets_the_features_every_search_gives(parts: list[str]) -> None:
    text = " ".join(parts)
    assert sentence_features(text) == _by_search(text)


def test_a_count_is_a_number_that_is_no_day_and_no_year() -> None:
    counts = ["Russia had massed more than 155,000 troops in the sector.",
              "The two sides met for talks.", "About 40 per cent of the city.",
              "On 12 December 2025 some 300 drones were launched."]
    dates = ["Gerasimov told Putin on 30 November that Pokrovsk had fallen.",
             "The plant was seized in March 2022.", "They met on Dec 28 in Vienna."]
    assert all(sentence_features(t) & Feature.COUNT for t in counts)
    assert not any(sentence_features(t) & Feature.COUNT for t in dates)
    assert all(sentence_features(t) & Feature.NUMBER for t in dates)  # still numbers


def test_how_many_asks_for_a_count_and_how_much_for_an_amount() -> None:
    assert expected_features("how many russian troops are around pokrovsk") == Feature.COUNT
    assert expected_features("how much is germany spending") == Feature.AMOUNT | Feature.NUMBER
    assert expected_features("when did the plant fall") == Feature.DATE
