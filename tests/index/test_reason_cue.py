"""A "why" question asks for a reason: a sentence that gives one is preferred (cues.REASON)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from index.cues import Feature, expected_features, sentence_features
from index.engine import Engine
from index.settings import SearchSettings


@pytest.mark.parametrize("question", [
    "why does trump want ukraine to hold an election",
    "and why won't the russians play along?",
    "so why?",
    "how come kyiv said no",
    "for what reason did the talks stall",
])
def test_why_asks_for_a_reason(question: str) -> None:
    assert expected_features(question) == Feature.REASON


@pytest.mark.parametrize("question", [
    "who said why the talks stalled",  # "why" inside the question: it asks who
    "what is the reason for the delay",  # asks what: a definition or a name answers it
    "when did yermak resign",
])
def test_other_questions_ask_for_no_reason(question: str) -> None:
    assert not expected_features(question) & Feature.REASON


@pytest.mark.parametrize(("text", "gives"), [
    ("The Kremlin argues a temporary ceasefire would only prolong the conflict.", True),
    ("He resigned because investigators searched his home.", True),
    ("Troops pulled back so that civilians could leave.", True),
    ("Troops pulled back on Friday.", False),
    ("The ceasefire was announced in Geneva.", False),
])
def test_a_sentence_gives_a_reason(text: str, gives: bool) -> None:
    assert bool(sentence_features(text) & Feature.REASON) is gives


def test_a_why_question_is_answered_by_the_reason(news_engine: Engine) -> None:
    # Trump's reason, not Moscow's: both passages are about a Ukrainian election.
    words = SearchSettings().without("semantic_weight")
    question = "why does trump want ukraine to hold an election"
    with_cue = Engine(news_engine.sources_dir, news_engine.index_dir, settings=words)
    assert "argued that Kyiv was using" in with_cue.ask(question).passages[0].text
    without = Engine(news_engine.sources_dir, news_engine.index_dir,
                     settings=replace(words, reason_cue=0.0))
    assert "argued that Kyiv was using" not in without.ask(question).passages[0].text
