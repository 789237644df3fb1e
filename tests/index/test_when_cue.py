""""when" asks for a date only as the question's word, not as a conjunction after another one."""

from __future__ import annotations

import pytest

from index.cues import Feature, expected_features, frame_words
from index.engine import Engine


@pytest.mark.parametrize("question", ["when did the talks start", "and when?",
                                      "any idea when they'd finish the job?",
                                      "so when will they sign", "since when is it shut",
                                      "what is the new goal and by when"])
def test_when_asked_wants_a_date(question: str) -> None:
    assert expected_features(question) & Feature.DATE
    assert "when" in frame_words(question)


@pytest.mark.parametrize("question", ["what did erdogan want from putin when they met",
                                      "how did kazakhstan react when the terminal was hit",
                                      "who spoke first when the talks opened"])
def test_when_after_another_question_word_is_no_date_cue(question: str) -> None:
    assert not expected_features(question) & Feature.DATE
    assert "they" not in frame_words(question)  # the cue is one word, never what precedes it


def test_a_question_with_when_as_a_conjunction_is_answered(news_engine: Engine) -> None:
    answer = news_engine.ask("what did erdogan urge putin to do when they met")
    assert answer.answered, (answer.abstention, answer.missing)  # no date asked for, none needed
    assert "limited ceasefire covering ports" in answer.passages[0].text
