"""sentence_features skips a pattern's search only when the sentence cannot match it."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from index.cues import _FEATURE_RES, Feature, sentence_features

ROOT = Path(__file__).resolve().parents[2]
_WORDS = ("one", "Twenty", "HALF", "a third", "May", "sept.", "since", "Monday", "for a",
          "for more than two", "years", "yearning", "centuries", "is a", "refers to",
          "also known as", "$5", "3 km", "40%", "800,000-strong", "2022", "ſix", "\u212aM",
          "İs", "per cent", "6bn", "troops", "Kyiv", "said", "-", ",", " ", "\n", "_")


def _by_search(text: str) -> Feature:
    """Every pattern searched: what the features were before the pre-checks."""
    found = Feature.NONE
    for feature, pattern in _FEATURE_RES:
        if pattern.search(text):
            found |= feature
    return found


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
