"""Lowercase names through wordfreq, misspellings of known words, and uncounted "how many X"."""

from __future__ import annotations

from index.engine import Engine
from index.names import is_rare_word, misspells
from index.settings import SearchSettings


def test_a_lowercase_name_no_source_mentions_is_off_topic(engine: Engine) -> None:
    result = engine.ask("what did meloni say about the peace plan")
    assert not result.answered and result.abstention == "off_topic"
    assert result.unknown_terms == ("meloni",)


def test_without_the_word_list_a_lowercase_name_is_answered(engine: Engine) -> None:
    off = Engine(engine.sources_dir, engine.index_dir,
                 settings=SearchSettings().without("rare_word_names", "speaker_check"))
    assert off.ask("what did meloni say about the peace plan").answered


def test_a_misspelt_known_name_is_not_a_new_name(engine: Engine) -> None:
    result = engine.ask("what did zelenksy say about the referendum")
    # Searched as the sources spell it (index/respell), so it is no unknown word either.
    assert result.answered and result.unknown_terms == ()
    assert any("referendum" in p.text for p in result.passages)


def test_rare_and_everyday_words() -> None:
    assert is_rare_word("meloni") and is_rare_word("Kadyrov's")
    assert not is_rare_word("umbrella") and not is_rare_word("tanks")
    assert not is_rare_word("znpp")  # short: maybe an acronym typed in lowercase
    # Inflected everyday words past the list's cut-off are not names; names stay names.
    assert not is_rare_word("fetching") and not is_rare_word("stopped")
    assert is_rare_word("kallas") and is_rare_word("lukashenko")
    # Two everyday words written solid are no name; parts under four letters split names too.
    assert not is_rare_word("wishlist") and not is_rare_word("kickbacks")
    assert is_rare_word("yermak") and is_rare_word("rosatom") and is_rare_word("starmer")
    assert misspells("zelenksi", ["zelenski", "zaporizhzhia"])
    assert not misspells("orban", ["organ"])  # one letter in five is another word


def test_counting_something_no_source_mentions_is_declined(engine: Engine) -> None:
    # answer_kind: no shown passage holds a count of tanks (count_focus, which declined "how
    # many X" when no source has X, went: it added nothing out of fold beside answer_kind).
    result = engine.ask("how many tanks does russia have in donbas")
    assert not result.answered and result.abstention == "partly_covered"
    off = Engine(engine.sources_dir, engine.index_dir,
                 settings=SearchSettings().without("answer_kind"))
    assert off.ask("how many tanks does russia have in donbas").answered


def test_counting_what_the_sources_count_is_answered(engine: Engine) -> None:
    result = engine.ask("how many reactors does the plant have")
    assert result.answered
    assert any("six nuclear reactors" in p.text for p in result.passages)


def test_a_country_no_source_mentions_is_off_topic_however_typed(engine: Engine) -> None:
    # Every sovereign state with a one-word name is in data/demonyms.txt: "kenya" is an everyday
    # word to wordfreq, so only the list makes it a name (before, both were answered).
    assert not is_rare_word("kenya")
    for question in ("does kenya back the peace plan",
                     "how many ukrainian refugees live in kenya"):
        result = engine.ask(question)
        assert not result.answered and result.abstention == "off_topic", question
        assert "kenya" in result.unknown_terms


def test_a_compound_no_source_uses_does_not_decline_as_a_name(engine: Engine) -> None:
    result = engine.ask("whats kyivs counteroffer on the nuclear plant")
    assert result.answered and "counteroffer" in result.unknown_terms
    assert any("50-50" in p.text for p in result.passages)
