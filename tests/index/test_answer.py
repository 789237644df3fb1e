"""Answers on the real article: passages, citations, paragraph numbers, issues, abstention."""

import pytest

from index.engine import Engine
from index.errors import (
    EmptyQuestionError,
    UnknownIssueError,
    UnknownPartyError,
    UnknownSourceError,
)

from ..conftest import ARTICLE_ID

NUCLEAR = "Ukraine's huge nuclear power plant in Russian hands"


def test_passage_is_match_with_neighbours_from_same_section(engine: Engine) -> None:
    answer = engine.ask("Rosatom Likachev", top=1)
    p = answer.passages[0]
    assert p.match.startswith("Ukraine's problem is that Russia will not let it go")
    assert len(p.sentences) == 3 and p.match_offset == 1
    assert p.text == " ".join(p.sentences)
    assert p.citation.section == NUCLEAR and p.citation.paragraph == 18
    assert p.citation.text == f"Sticking points in the Russia–Ukraine peace talks · {NUCLEAR} · ¶18"
    assert "Rosatom" in p.matched_terms


def test_neighbours_never_cross_a_section(engine: Engine) -> None:
    # The first sentence of the nuclear section: its previous sentence ends the section before.
    p = engine.ask("Enerhodar Dnipro banks", top=1).passages[0]
    assert p.match_offset == 0 and p.citation.paragraph == 14
    assert all(engine.snapshot.index.citation(i).section == NUCLEAR for i in p.sentence_ids)


def test_passages_do_not_overlap(engine: Engine) -> None:
    answer = engine.ask("Ukraine Russia plant", top=10)
    ids = [i for p in answer.passages for i in p.sentence_ids]
    assert len(ids) == len(set(ids)) and len(answer.passages) == 10
    assert [p.rank for p in answer.passages] == list(range(1, 11))
    scores = [p.score for p in answer.passages]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("context", [0, 1, 2])
def test_context_sets_neighbours(engine: Engine, context: int) -> None:
    for p in engine.ask("nuclear plant electricity", top=3, context=context).passages:
        assert len(p.sentences) <= 2 * context + 1
        if context == 0:
            assert p.sentences == (p.match,)


def test_zaporizhzhia_example_is_answered_with_citation(engine: Engine) -> None:
    answer = engine.ask("what does Russia want on Zaporizhzhia")
    assert answer.answered and answer.unknown_terms == ()
    assert any("only one entity - Russia - can run it" in p.text for p in answer.passages)
    assert all(p.citation.section == NUCLEAR for p in answer.passages)


@pytest.mark.parametrize("question", ["How tall is the Eiffel Tower?",
                                      "asdfghjkl qwerty zxcvb", "😀😀😀"])
def test_abstains_and_names_missing_terms(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert not answer.answered
    if question.startswith("How"):
        assert set(answer.unknown_terms) == {"tall", "Eiffel", "Tower"}


def test_source_restriction(engine: Engine) -> None:
    assert all(p.citation.source_id == ARTICLE_ID
               for p in engine.ask("nuclear", source=ARTICLE_ID).passages)
    with pytest.raises(UnknownSourceError):
        engine.ask("nuclear", source="no-such-source")


def test_empty_question_is_an_error(engine: Engine) -> None:
    with pytest.raises(EmptyQuestionError):
        engine.ask("   ")


@pytest.mark.parametrize(("key", "expected"), [
    ("zaporizhzhia", "Zaporizhzhia"), ("nato", "Nato"), ("referendum", "referendum"),
    ("reconstruction", "$800bn"), ("territory", "Donetsk"), ("eu", "European Union"),
    ("security", "security guarantees"), ("trust", "trust"),
])
def test_every_issue_finds_its_passage(engine: Engine, key: str, expected: str) -> None:
    answer = engine.ask_issue(key)
    assert answer.answered
    assert any(expected in p.text for p in answer.passages)


def test_issue_side_narrows_to_the_party(engine: Engine) -> None:
    russia = {"russia", "russian", "kremlin", "moscow", "putin", "rosatom", "likachev"}
    for p in engine.ask_issue("zaporizhzhia", side="russia").passages:
        words = {w.lower().rstrip("'s") for w in p.text.replace("'", " ").split()}
        assert words & russia
    with pytest.raises(UnknownPartyError):
        engine.ask_issue("zaporizhzhia", side="mars")
    with pytest.raises(UnknownIssueError):
        engine.ask_issue("weather")
