"""A "how many" follow-up is answered by a number of what it counts, or declined."""

from __future__ import annotations

import pytest

from index.conversation import Turn, next_turn
from index.counting import counted_thing, counts
from index.engine import Engine
from index.settings import SearchSettings


@pytest.mark.parametrize(("question", "holds", "lacks"), [
    ("how many russian troops are piled up around pokrovsk", {"troop", "soldier", "russian"},
     {"pile", "pokrovsk"}),
    ("how many of these truces have there been?", {"truce", "ceasefir"}, {"there"}),
    ("How many power lines did the ZNPP have before the war", {"power", "line"}, {"znpp"}),
    # people in general, or a people: any count of people gives it
    ("how many people lived there before the war", {"peopl", "resid", "troop"}, {"war"}),
    ("how many russians are pushing there", {"russian", "troop", "civilian"}, {"push"}),
])
def test_the_thing_counted_is_the_words_after_how_many_with_synonyms(
        question: str, holds: set[str], lacks: set[str]) -> None:
    thing = counted_thing(question)
    assert holds <= thing
    assert not lacks & thing


def test_soldiers_are_not_counted_by_a_count_of_residents() -> None:
    assert "resid" not in counted_thing("how many soldiers would france send")


@pytest.mark.parametrize("question", ["how many does moscow sign up", "how much cash went",
                                      "what is the plan"])
def test_no_thing_when_nothing_is_counted(question: str) -> None:
    assert counted_thing(question) == frozenset()


@pytest.mark.parametrize(("question", "text", "expected"), [
    ("how many troops", "Russia has massed more than 155,000 troops around the city.", True),
    ("how many soldiers", "Ukrainian forces kill between 1,000 and 1,100 Russian soldiers a day.",
     True),
    ("how many truces", "It was the third such temporary truce.", True),
    ("how many people lived there", "Before the war it had about 11,000 residents.", True),
    ("how many troops", "Troops moved in on 12 December 2025.", False),  # a date is no count
    ("how many troops", "In 2025 the troops advanced.", False),  # nor is a year
    # a number of something else, in another clause or across "and"
    ("how many troops", "Revenue fell 24% to 8.48 trillion, and the troops were not paid.", False),
    ("how many troops", "Revenue fell to 8.48 trillion roubles and troops were not paid.", False),
])
def test_a_count_is_a_number_just_before_the_thing(question: str, text: str,
                                                   expected: bool) -> None:
    assert counts(counted_thing(question), text) is expected


def _after(engine: Engine, first: str) -> list[Turn]:
    return [next_turn([], first, engine.ask_turn(first, []))]


def test_a_count_no_passage_gives_is_declined_in_a_conversation(engine: Engine) -> None:
    # The article says Zelensky wants a referendum after a 60-day ceasefire; it never says how
    # many polling stations a vote would need.
    history = _after(engine, "does zelensky want ukrainians to vote on the peace deal")
    result = engine.ask_turn("how many polling stations would they need?", history)
    assert not result.answered
    assert (result.abstention, result.missing) == ("partly_covered", "the number asked for")
    off = Engine(engine.sources_dir, engine.index_dir,
                 settings=SearchSettings().without("follow_up_counts"))
    assert off.ask_turn("how many polling stations would they need?", history).answered


def test_a_count_of_people_a_passage_gives_is_answered(engine: Engine) -> None:
    history = _after(engine, "what is kyiv offering russia on the donbas")
    result = engine.ask_turn("how many people live there?", history)
    assert result.answered
    assert any("300,000 people" in p.text for p in result.passages)
