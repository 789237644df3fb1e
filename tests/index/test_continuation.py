"""More passages never show one again: the continuation is rebuilt as it was shown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index.continuation import continued
from index.engine import Engine
from index.evaluate import load_questions
from index.models import Answer, Citation, Passage

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "eval"


def _passage(text: str) -> Passage:
    citation = Citation(source_id="s", title="t", section=None, paragraph=1)
    return Passage(rank=1, score=1.0, sentences=(text,), match_offset=0, citation=citation,
                   sentence_ids=(ord(text),))


def _asker(orders: dict[int, str]) -> tuple[list[int], Callable[[int], Answer]]:
    asked: list[int] = []

    def ask(top: int) -> Answer:
        asked.append(top)
        texts = orders[top]
        return Answer(question="q", answered=True, passages=tuple(_passage(t) for t in texts))

    return asked, ask


def test_a_passage_moved_by_a_larger_top_is_neither_repeated_nor_skipped() -> None:
    # Asked for six, "c" (third of three) comes fifth: by position More would show "d b e".
    asked, ask = _asker({3: "abc", 6: "adbecf", 9: "adbecfghi"})
    got = continued(ask, shown=3, step=3)
    assert [p.sentences[0] for p in got.passages] == list("abcdef")
    assert [p.rank for p in got.passages] == [1, 2, 3, 4, 5, 6]
    again = continued(ask, shown=6, step=3)
    assert [p.sentences[0] for p in again.passages] == list("abcdefghi")
    assert asked == [3, 6, 3, 6, 9]


def test_it_stops_when_nothing_new_comes() -> None:
    _, ask = _asker({3: "abc", 6: "abc"})
    assert [p.sentences[0] for p in continued(ask, shown=3, step=3).passages] == list("abc")


def test_the_real_question_it_was_found_on(news_engine: Engine) -> None:
    # multi_fresh_questions: asked for six, the third passage of three came fifth while the
    # passages holding what a question names were looked for among twice the passages asked for
    # (index/answer.NAMING_POOL is fixed now); More shows the next three, none again.
    question = "how many villages does gerasimov reckon russia grabbed last year"
    three = [p.key for p in news_engine.ask(question).passages]
    assert [p.key for p in news_engine.ask(question, top=6).passages[:3]] == three
    shown = [p.key for p in continued(lambda k: news_engine.ask(question, top=k), shown=3,
                                      step=3).passages]
    assert shown[:3] == three and len(shown) == len(set(shown)) == 6


def test_asking_for_more_passages_keeps_the_first_three(news_engine: Engine) -> None:
    # Every multi_dev question: what a member saw first stays first when six are asked for.
    questions = load_questions(SHARED / "multi_dev" / "questions.jsonl")
    moved = [q.question for q in questions
             if [p.key for p in news_engine.ask(q.question).passages]
             != [p.key for p in news_engine.ask(q.question, top=6).passages[:3]]]
    assert len(questions) == 72 and moved == []
