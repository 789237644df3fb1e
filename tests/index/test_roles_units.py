"""A role asked with its holder ("who is the head of X") and a unit typed short ("sq km")."""

from __future__ import annotations

from pathlib import Path

from index.abbreviations import other_forms
from index.engine import Engine
from index.settings import SearchSettings

REPORT = """# Fighting for Pokrovsk

The city of Pokrovsk covers 29 square kilometres.
Since mid-November Ukrainian forces have pushed back into about 13 of its 29 square kilometres.
Energoatom runs the country's nuclear power stations and sells their electricity.
The head of Rosatom, Alexei Likhachev, said repairs would take a week.
Defence minister Denys Shmyhal visited the front on Monday.
"""


def _engine(tmp_path: Path, settings: SearchSettings | None = None) -> Engine:
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    (sources / "pokrovsk.md").write_text(REPORT, encoding="utf-8")
    return Engine(sources, tmp_path / "index", settings=settings or SearchSettings())


def _without(tmp_path: Path, name: str) -> Engine:
    return _engine(tmp_path, SearchSettings().without(name))


def test_a_role_no_sentence_names_with_its_holder_is_declined(tmp_path: Path) -> None:
    # "head" and "Energoatom" both occur, never together: nothing says who heads Energoatom.
    question = "who is the new head of energoatom"
    result = _engine(tmp_path).ask(question)
    assert not result.answered and result.abstention == "partly_covered"
    assert result.missing == "the head of energoatom"
    assert result.declined_because.endswith("no passage gives the head of energoatom.")
    assert _without(tmp_path, "role_check").ask(question).answered


def test_a_role_named_with_its_holder_is_answered(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    for question, said in (("who is the head of rosatom", "Likhachev"),
                           ("who's the boss of rosatom", "Likhachev"),  # boss: news's "head"
                           ("who is pokrovsk's defence minister", None)):
        result = engine.ask(question)
        if said is None:  # the minister is named, but with no word of Pokrovsk
            assert not result.answered and result.missing == "pokrovsk's defence minister"
        else:
            assert result.answered, question
            assert said in result.passages[0].text


def test_a_kinship_is_no_office(tmp_path: Path) -> None:
    # "the only child of Lord Byron" answers "who was Ada Lovelace's father": not checked.
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "ada.md").write_text(
        "# Ada Lovelace\n\nAda Lovelace was a mathematician.\n\n"
        "She was the only legitimate child of the poet Lord Byron.\n", encoding="utf-8")
    result = _engine(tmp_path).ask("who was ada lovelace's father")
    assert result.missing is None


def test_a_unit_typed_short_matches_the_unit_written_out(tmp_path: Path) -> None:
    question = "how many sq km of pokrovsk have ukrainian forces pushed back into"
    result = _engine(tmp_path).ask(question)
    assert result.answered and result.unknown_terms == ()
    assert "13 of its 29 square kilometres" in result.passages[0].text
    assert _without(tmp_path, "unit_forms").ask(question).unknown_terms == ("sq", "km")


def test_unit_forms_both_ways() -> None:
    assert "kilometr" in other_forms("km") and "squar" in other_forms("sq")
    assert "km" in other_forms("kilometr")
    assert other_forms("ukrain") == frozenset()
