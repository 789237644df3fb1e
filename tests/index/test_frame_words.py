"""Framing words: a question's light verbs ask how, they do not name what it is about."""

from __future__ import annotations

from index.cues import Feature, expected_features, frame_words
from index.query import parse_query
from index.settings import SearchSettings
from index.topics import Topics


def _groups(question: str) -> dict[str, tuple[float, bool]]:
    """Each searched word of a question: its weight and whether coverage counts it."""
    query = parse_query(question, Topics(parties=()), SearchSettings())
    return {g.surface.lower(): (g.weight, g.required) for g in query.groups}


def test_going_in_how_is_it_going_is_framing_not_the_topic() -> None:
    groups = _groups("how is the fighting going for russia")
    weight, required = groups["going"]
    assert not required and weight < 1.0  # "goes" in an unrelated sentence cannot lead
    assert groups["fighting"] == (1.0, True) and groups["russia"] == (1.0, True)


def test_every_form_of_happen_frames_alike() -> None:
    for question, verb in (("what happened at the plant", "happened"),
                           ("what is happening at the plant", "happening")):
        groups = _groups(question)
        assert groups[verb][1] is False and groups["plant"][1] is True, question


def test_recency_words_frame_what_is_asked_about() -> None:
    # "the new goal" asks for the goal now in force: a report states it without "new", and a
    # sentence that only says "new" of something else should not lead for it.
    groups = _groups("whats the new nato defence spending goal")
    assert groups["new"][1] is False and groups["new"][0] < 1.0
    assert groups["goal"] == (1.0, True) and groups["nato"] == (1.0, True)
    assert _groups("who is the current head of the agency")["current"][1] is False


def test_an_ordinal_typed_in_digits_is_its_number_not_its_ending() -> None:
    groups = _groups("whats the 3rd shadow fleet tanker called")
    assert "3" in groups and "rd" not in groups  # "rd" alone would match any "23rd"
    assert "st" in _groups("who is the st petersburg governor")  # not an ending there


def test_what_is_it_called_is_framed_by_its_naming_word() -> None:
    for question, word in (("whats the 3rd shadow fleet tanker called", "called"),
                           ("what is the name of the kilo class sub", "name")):
        # No kind of sentence is asked for (not a definition either: the cue comes first) ...
        assert expected_features(question) == Feature.NONE, question
        assert word in frame_words(question)  # ... the naming word frames, the thing named leads
    assert expected_features("what did putin call the attack") == Feature.NONE
