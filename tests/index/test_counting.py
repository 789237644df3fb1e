"""A "how many" / "how much" follow-up (and a "how many" asked alone) is answered by a number of
what it asks, or declined."""

from __future__ import annotations

import pytest

from index.conversation import Turn, next_turn
from index.counting import count_test, counted_thing, counts, measured_thing, named_but_uncounted
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
    # or just after it, through "of": "an army of up to 800,000", "a crew of 13"
    ("how many troops", "Kyiv could keep an army of up to 800,000 in peacetime.", True),
    ("how many crew", "The tanker had a crew of 13.", True),
    ("how many troops", "It would be an army of the future, said 20 officers.", False),
    ("how many troops", "An army of volunteers formed, 300 km away.", False),
])
def test_a_count_is_a_number_just_before_or_of_the_thing(question: str, text: str,
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


@pytest.mark.parametrize(("question", "holds"), [
    ("how much oil could they carry?", {"oil"}),
    ("how much cargo has ukraine's own sea corridor moved", {"cargo"}),
    ("how much diesel have they got left", {"diesel"}),
])
def test_what_how_much_measures_is_the_words_after_it(question: str, holds: set[str]) -> None:
    assert holds <= measured_thing(question)


@pytest.mark.parametrize("question", [
    "how much of the donbas does russia hold",  # a share: "most of", "75%"
    "how much did eu governments spend on defence in 2024?",  # the thing is not named
    "how much is germany budgeting",
    "how much longer will the fighting go on",  # a time, not a quantity
])
def test_no_measured_thing_when_none_is_named(question: str) -> None:
    assert measured_thing(question) == frozenset()
    assert count_test(question) is None


@pytest.mark.parametrize(("question", "text", "expected"), [
    ("how much oil could they carry?", "It carried nearly $70m worth of oil.", True),
    ("how much oil could they carry?", "The oil tankers left port on 3 May.", False),
    ("how much cargo has it moved", "It moved well over 100 million tonnes of cargo.", True),
    ("how much diesel have they got left", "It relied on emergency diesel generators.", False),
    # money, cash, funds: any sum answers, however it is counted
    ("how much money went through the scheme?", "Roughly $100m passed through the scheme.", True),
    ("how much cash went thru the scheme", "Russia has €210bn worth of assets in Europe.", True),
    ("how much cash went thru the scheme", "It lent 8.5 trillion roubles.", True),
    ("how much cash went thru the scheme", "The scheme ran for 15 months.", False),
])
def test_a_quantity_is_a_number_before_the_thing_or_a_sum_of_money(question: str, text: str,
                                                                   expected: bool) -> None:
    test = count_test(question)
    assert test is not None and test(text) is expected


def test_a_quantity_no_passage_gives_is_declined_in_a_conversation(news_engine: Engine) -> None:
    # The reports say the plant ran on emergency diesel generators; never how much diesel is left.
    history = _after(news_engine, "what happens at zaporizhzhia when all the power lines go down?")
    result = news_engine.ask_turn("how much diesel have they got left", history)
    assert (result.answered, result.abstention, result.missing) == (
        False, "partly_covered", "the number asked for")
    money = news_engine.ask_turn("how much money went through the scheme?",
                                 _after(news_engine, "why did yermak resign"))
    assert money.answered and "roughly $100m passed through the scheme" in money.passages[0].text


@pytest.mark.parametrize(("question", "texts", "expected"), [
    # the thing is named and never counted: judged uncounted
    ("how many crew were on the dashan", ["Drones hit the Dashan; its crew were unharmed."], True),
    # counted, in digits or in words (sixteen is a number too)
    ("how many crew were on the dashan", ["All 24 crew members were rescued."], False),
    ("how many pieces are in chess", ["Each player begins with sixteen pieces."], False),
    # the thing is judged by its last word; texts that never name it are not judged
    ("how many backup diesel gens were running", ["Four generators ran on diesel."], False),
    # a people: any count of people gives it
    ("how many russians were killed", ["It said 1,000 Russian soldiers were killed."], False),
    # "how much" is not judged alone: its answer is often no number
    ("how much fuel do the generators have", ["They carry only limited fuel."], False),
    ("what did the crew say", ["The crew said nothing."], False),
])
def test_a_thing_named_but_never_counted(question: str, texts: list[str], expected: bool) -> None:
    assert named_but_uncounted(question, texts) is expected


def test_a_count_asked_alone_that_no_passage_gives_is_declined(engine: Engine) -> None:
    # The article says Zelensky will meet European leaders in France; it never says how many.
    question = "how many european leaders will meet in france"
    result = engine.ask(question)
    assert (result.answered, result.abstention, result.missing) == (
        False, "partly_covered", "the number asked for")
    off = Engine(engine.sources_dir, engine.index_dir,
                 settings=SearchSettings().without("standalone_counts"))
    assert off.ask(question).answered
    reactors = engine.ask("how many reactors does the zaporizhzhia plant have")
    assert reactors.answered and "six nuclear reactors" in reactors.passages[0].text
