"""An unknown everyday word weighs by the sources' size: one article is not expected to use it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from index.abstention import not_vetoing
from index.engine import Engine
from index.everyday import everyday_frequency
from index.query import TermGroup
from index.settings import SearchSettings


def _unknown(*words: str) -> list[TermGroup]:
    return [TermGroup(term=w, surface=w) for w in words]


def test_a_words_frequency_is_wordfreqs_or_its_stems() -> None:
    assert 1e-4 < everyday_frequency("job") < 1e-3
    assert everyday_frequency("Job") == everyday_frequency("job")
    assert everyday_frequency("restarting") == everyday_frequency("restart") > 0  # past the list
    assert everyday_frequency("xqzzv") == 0.0


def test_words_too_rare_for_small_sources_are_optional() -> None:
    unknown = _unknown("blocker", "entry")  # ~1.6e-6 and ~4.7e-5 of English words
    assert not_vetoing(unknown, follow_up=False, words=600, found=2) == unknown
    # Over a million words both are expected, and two such words veto as before.
    assert not_vetoing(unknown, follow_up=False, words=1_000_000, found=2) == []
    assert not_vetoing(unknown, follow_up=False, words=None, found=2) == []  # the rule off


def test_an_expected_word_alone_stays_optional_beside_unexpected_ones() -> None:
    rare, common = _unknown("blocker", "job")
    assert not_vetoing([rare, common], follow_up=False, words=10_000, found=3) == [rare, common]
    assert not_vetoing(_unknown("job", "people"), follow_up=False, words=10_000, found=3) == []


def test_unknown_words_that_outnumber_the_found_ones_still_count() -> None:
    unknown = _unknown("boil", "egg", "yolk")  # "how long do i boil an egg for a runny yolk"
    assert not_vetoing(unknown, follow_up=False, words=600, found=2) == []
    assert not_vetoing(unknown, follow_up=False, words=600, found=3) == unknown


def test_names_never_become_optional() -> None:
    name = replace(TermGroup(term="meloni", surface="meloni"), name=True)
    assert not_vetoing([name], follow_up=False, words=600, found=5) == []


@pytest.mark.parametrize("question", [
    "is nato entry actually the big blocker here",
    "who'd guard the current front line if the buffer idea went ahead",
])
def test_the_article_answers_questions_in_words_it_never_uses(engine: Engine,
                                                             question: str) -> None:
    engine.settings = replace(SearchSettings(), expected_words=0.0)
    assert not engine.ask(question).answered  # several unknown words veto it without the rule
    engine.settings = SearchSettings()
    answer = engine.ask(question)
    assert answer.answered and answer.abstention is None
    assert answer.unknown_terms  # still named as words no source has


def test_an_off_topic_question_of_everyday_words_is_still_declined(engine: Engine) -> None:
    answer = engine.ask("how long do i boil an egg for a runny yolk")  # "long" alone is found
    assert not answer.answered
    assert {"boil", "egg", "yolk"} <= set(answer.unknown_terms)
