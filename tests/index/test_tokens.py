import pytest

from index.tokens import tokenize, tokenize_phrase


@pytest.mark.parametrize(("text", "expected"), [
    ("estimated at $800bn (£600bn)", ["estim", "800bn", "600bn"]),
    ("an 800,000-strong military", ["800000", "strong", "militari"]),
    ("little more than 75% of Donetsk", ["littl", "75%", "donetsk"]),
    ("87 percent", ["87%"]),
    ("until August 2027", ["august", "2027"]),
    ("the 800 billion fund", ["800bn", "fund"]),
])
def test_numbers_and_money_are_tokens(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


def test_us_the_country_is_not_the_pronoun() -> None:
    assert tokenize("The US told us") == ["usa", "told"]
    assert tokenize("the U.S. said") == ["usa", "said"]


def test_spelling_variants_and_compounds_meet() -> None:
    assert tokenize("demilitarised") == tokenize("demilitarized")
    assert tokenize("defence") == tokenize("defense")
    assert "hydroelectr" in tokenize("hydro-electric")
    assert set(tokenize("hydroelectric")) <= set(tokenize("hydro-electric"))
    assert tokenize("Nato") == tokenize("NATO")


def test_stopwords_dropped_negation_kept() -> None:
    assert tokenize("what is the") == []
    assert tokenize("Russia will not accept") == ["russia", "not", "accept"]
    assert tokenize("he doesn't want") == ["not", "want"]


def test_possessives_and_case() -> None:
    assert tokenize("Russia's Rosatom") == ["russia", "rosatom"]
    assert tokenize_phrase("Kremlin kremlin KREMLIN") == ("kremlin",)


def test_nothing_to_index() -> None:
    assert tokenize("😀 🎉 ... ,,,") == []
