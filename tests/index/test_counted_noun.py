"""A count's passage must name what is counted: "how many crew" is not answered by a tonnage."""

from __future__ import annotations

from pathlib import Path

from index.engine import Engine
from index.settings import SearchSettings

REPORT = """# Tankers hit in the Black Sea

On 10 December drones hit the Dashan, a tanker carrying 30,000 tonnes of oil from Novorossiysk.

## The Kairos

The Kairos, hit two weeks earlier, had 25 crew on board, all rescued by Turkish boats.
About 300,000 people lived in the port city before the war.
"""


def _engine(tmp_path: Path, settings: SearchSettings | None = None) -> Engine:
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    (sources / "report.md").write_text(REPORT, encoding="utf-8")
    return Engine(sources, tmp_path / "index", settings=settings or SearchSettings())


def test_a_count_of_something_no_passage_counts_is_declined(tmp_path: Path) -> None:
    question = "how many crew were on the dashan tanker"
    result = _engine(tmp_path).ask(question)
    assert not result.answered and result.abstention == "partly_covered"
    assert result.missing == "the number asked for"
    assert _engine(tmp_path, SearchSettings().without("counted_noun")).ask(question).answered


def test_a_count_naming_what_it_counts_is_answered(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    result = engine.ask("how many crew were on the kairos")
    assert result.answered and "25 crew" in result.passages[0].text
    # "people" is too general to require: an answer may say "residents" or "deaths".
    assert engine.ask("how many people lived in the port city").answered
