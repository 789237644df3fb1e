"""A unit typed short ("sq km") matches the unit the sources write out."""

from __future__ import annotations

from pathlib import Path

from index.abbreviations import ordinal_words, other_forms
from index.engine import Engine
from index.settings import SearchSettings

REPORT = """# Fighting for Pokrovsk

The city of Pokrovsk covers 29 square kilometres.
Since mid-November Ukrainian forces have pushed back into about 13 of its 29 square kilometres.
"""


def _engine(tmp_path: Path, settings: SearchSettings | None = None) -> Engine:
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    (sources / "pokrovsk.md").write_text(REPORT, encoding="utf-8")
    return Engine(sources, tmp_path / "index", settings=settings or SearchSettings())


def _without(tmp_path: Path, *names: str) -> Engine:
    return _engine(tmp_path, SearchSettings().without(*names))


def test_a_unit_typed_short_matches_the_unit_written_out(tmp_path: Path) -> None:
    question = "how many sq km of pokrovsk have ukrainian forces pushed back into"
    result = _engine(tmp_path).ask(question)
    assert result.answered and result.unknown_terms == ()
    assert "13 of its 29 square kilometres" in result.passages[0].text
    # The synonyms list has "km" too (its fifth pass): off here, so this is unit_forms.
    without = _without(tmp_path, "unit_forms", "synonym_weight")
    assert without.ask(question).unknown_terms == ("sq", "km")


def test_unit_forms_both_ways() -> None:
    assert "kilometr" in other_forms("km") and "squar" in other_forms("sq")
    assert "km" in other_forms("kilometr")
    assert other_forms("ukrain") == frozenset()


def test_a_month_typed_short_matches_the_month_written_out(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "strikes.md").write_text(
        "# Strikes\n\nOn the night of 23 December Russia launched more than 600 drones.\n"
        "Repairs began in January.\n", encoding="utf-8")
    engine = Engine(sources, tmp_path / "index")
    result = engine.ask("how many drones did russia launch on dec 23")
    assert result.answered and "dec" not in result.unknown_terms
    assert "23 December" in result.passages[0].text
    assert other_forms("dec") == frozenset({"decemb"}) and "sept" in other_forms("septemb")


def test_an_ordinal_typed_in_digits_matches_the_word_written(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "sea.md").write_text(
        "# At sea\n\nA first tanker was hit in November, off the Turkish coast.\n\n"
        "A week later a third tanker, the Dashan, was disabled.\n\n"
        "Three ports were shut for repairs in the second week of December.\n", encoding="utf-8")
    question = "what was the 3rd tanker called"
    result = Engine(sources, tmp_path / "index").ask(question, context=0)
    assert result.answered and "the Dashan" in result.passages[0].text
    # Read as the number alone, "3" finds no tanker: the word is what matched.
    plain = Engine(sources, tmp_path / "plain", settings=SearchSettings().without("unit_forms"))
    assert "the Dashan" not in plain.ask(question, context=0).passages[0].text


def test_only_small_ordinals_are_read_as_words() -> None:
    assert ordinal_words("the 3rd tanker, the 1st round, the 10TH day") == {
        "3": "third", "1": "first", "10": "tenth"}
    assert ordinal_words("on the 23rd of December, 3 tankers") == {}
