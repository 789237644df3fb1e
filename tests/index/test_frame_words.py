"""Framing words: a question's light verbs ask how, they do not name what it is about."""

from __future__ import annotations

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
