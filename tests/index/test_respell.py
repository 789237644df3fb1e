"""A name typed another way ("zelenskyy", "zelenksy") is searched as the sources spell it."""

from __future__ import annotations

from index.engine import Engine
from index.names import closest_spelling
from index.settings import SearchSettings


def test_another_transliteration_of_a_known_name_is_answered(engine: Engine) -> None:
    question = "what has zelenskyy said about a referendum"
    result = engine.ask(question)
    assert result.answered and result.unknown_terms == ()
    assert any("Zelensky" in p.text for p in result.passages)
    # The synonyms list spells it both ways too (its fifth pass): off here, so this is respelling.
    typed = Engine(engine.sources_dir, engine.index_dir,
                   settings=SearchSettings().without("respelling", "synonym_weight"))
    assert typed.ask(question).unknown_terms == ("zelenskyy",)


def test_an_everyday_word_or_a_number_is_not_respelt(engine: Engine) -> None:
    # "world" is no slip for a word the article uses, nor 2018 for another year.
    result = engine.ask("Who won the 2018 football World Cup?")
    assert not result.answered
    assert "World" in result.unknown_terms and "2018" in result.unknown_terms


def test_the_closest_spelling() -> None:
    vocabulary = ["zelenski", "zaporizhzhia", "donba", "organ", "kharkiv"]
    assert closest_spelling("zelenskyy", vocabulary) == "zelenski"  # y → i, doubled letters
    assert closest_spelling("zelenksi", vocabulary) == "zelenski"  # a slip
    assert closest_spelling("kharkov", vocabulary) == "kharkiv"
    assert closest_spelling("orban", vocabulary) is None  # one letter in five is another word
    assert closest_spelling("meloni", vocabulary) is None
