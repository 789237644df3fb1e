"""An acronym the sources spell out ("ISW", "ngos") counts for the phrase: it is no unknown word."""

from __future__ import annotations

from pathlib import Path

from index.acronyms import acronym_letters, expansion
from index.engine import Engine
from index.settings import SearchSettings

REPORT = """# Elections in wartime

Zelensky said he was ready for elections if the United States helped guarantee security for a vote.
The civic network OPORA and more than 200 other non-governmental organisations have argued that a
wartime vote would violate the constitution.
An analysis of data from the Institute for the Study of War found that Russian forces took just
over 5,600 square kilometres of Ukrainian land in 2025.
Opposition lawmakers warn that an election now would only help the enemy.
"""


def _engine(tmp_path: Path, settings: SearchSettings | None = None) -> Engine:
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    (sources / "elections.md").write_text(REPORT, encoding="utf-8")
    return Engine(sources, tmp_path / "index", settings=settings or SearchSettings())


def test_an_acronym_spelt_out_in_the_sources_is_answered(tmp_path: Path) -> None:
    question = "what are the ngos saying about a wartime vote"
    result = _engine(tmp_path).ask(question)
    assert result.answered and result.unknown_terms == ()
    assert "non-governmental organisations" in result.passages[0].text
    # Without: "ngos" is a speaker no source names, so the question looked off-topic.
    typed = _engine(tmp_path, SearchSettings().without("acronyms")).ask(question)
    assert not typed.answered and typed.unknown_terms == ("ngos",)


def test_a_capitalised_acronym_finds_its_name(tmp_path: Path) -> None:
    question = "how much land did russia take in the ISW analysis"
    result = _engine(tmp_path).ask(question)
    assert result.answered and result.unknown_terms == ()
    assert "5,600 square kilometres" in result.passages[0].text
    typed = _engine(tmp_path, SearchSettings().without("acronyms")).ask(question)
    assert typed.unknown_terms == ("ISW",)


def test_the_spelt_out_phrase() -> None:
    text = "data from the Institute for the Study of War, and 200 non-governmental organisations"
    assert expansion(text, "isw") == ("Institute", "Study", "War")
    assert expansion(text, "ngo") == ("non", "governmental", "organisations")
    # Everyday words that happen to spell it are no name and no term: not taken.
    assert expansion("Ukraine said women were there", "usw") is None
    assert acronym_letters("NGOs") == ("ngos", "ngo") and acronym_letters("2025") == ()
    assert acronym_letters("organisations") == ()
