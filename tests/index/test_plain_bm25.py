"""The plain BM25 baseline printed beside citebot is rank-bm25 over sentences, nothing more."""

from __future__ import annotations

from pathlib import Path

import pytest
from rank_bm25 import BM25Okapi

from index.engine import Engine
from index.evaluate import load_questions
from index.settings import PLAIN_BM25
from index.tokens import tokenize

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The bundled article under PLAIN_BM25."""
    return Engine(ROOT / "sources", tmp_path_factory.mktemp("plain"), settings=PLAIN_BM25)


def test_plain_bm25_ranks_sentences_as_rank_bm25(plain: Engine) -> None:
    # A signal left on in PLAIN_BM25 (it happened once, in a merge) moves these rows.
    index = plain.snapshot.index
    rows = [tokenize(index.sentence(r)) for r in range(index.size)]
    model = BM25Okapi(rows)
    questions = load_questions(ROOT / "tests" / "index" / "data" / "seed_dev.jsonl")
    checked = 0
    for q in questions:
        terms = tokenize(q.question)
        scores = model.get_scores(terms)
        shared = [i for i, row in enumerate(rows) if set(terms) & set(row)]
        best = sorted(shared, key=lambda i: (-scores[i], i))[:3]
        result = plain.ask(q.question, top=3, context=0)
        got = [p.sentence_ids[p.match_offset] for p in result.passages]
        assert got == best, q.question
        checked += bool(best)
    assert checked >= len(questions) - 3
