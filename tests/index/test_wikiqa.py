"""The WikiQA benchmark's plumbing: TSV → sources → engine → ranked sentences → MAP / MRR."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from index.engine import Engine

ROOT = Path(__file__).resolve().parents[2]
TSV = ROOT.parent / "shared/eval/wikiqa/WikiQA-test.tsv"


def _module():  # benchmarks/ is not a package: load the script by path
    spec = importlib.util.spec_from_file_location("wikiqa_bench", ROOT / "benchmarks/wikiqa.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["wikiqa_bench"] = module
    spec.loader.exec_module(module)
    return module


wq = _module()


def test_average_precision_and_reciprocal_rank_on_a_toy_ranking() -> None:
    ranked = [("d", 2), ("d", 0), ("d", 1), ("d", 3)]
    correct = {("d", 0), ("d", 3)}
    assert wq.average_precision(ranked, correct) == pytest.approx((1 / 2 + 2 / 4) / 2)
    assert wq.reciprocal_rank(ranked, correct) == pytest.approx(1 / 2)
    assert wq.average_precision(ranked[:2], correct) == pytest.approx(0.25)  # one missing: 0
    assert wq.reciprocal_rank([("d", 1)], correct) == 0.0


def test_ranking_appends_unreturned_sentences_in_order() -> None:
    shape = {"passages": [{"source": "d", "paragraph": 3}, {"source": "d", "paragraph": 3},
                          {"source": "d", "paragraph": 1}]}
    assert wq.ranking(shape, "d", 4, restricted=True) == [("d", 2), ("d", 0), ("d", 1), ("d", 3)]
    assert wq.ranking(shape, "d", 4, restricted=False) == [("d", 2), ("d", 0)]


@pytest.mark.skipif(not TSV.is_file(), reason="the WikiQA file is not here")
def test_conversion_round_trips_and_ranks_every_sentence(tmp_path: Path) -> None:
    questions, docs = wq.load_tsv(TSV, limit=20)
    assert len(questions) == 20
    wq.write_sources(docs, tmp_path / "sources")
    engine = Engine(tmp_path / "sources", tmp_path / "index")
    engine.open()
    assert wq.check_paragraphs(engine, docs) == 0  # one WikiQA sentence, one paragraph
    index = engine.snapshot.index
    for record in index.sources:
        assert record.title == docs[record.source_id][0]
    for q in questions:
        n = len(docs[q.doc][1])
        assert len(q.labels) == n
        result = engine.ask(q.text, top=wq.MAX_TOP, source=q.doc, context=0)
        shape = {"passages": [{"source": p.citation.source_id, "paragraph": p.citation.paragraph}
                              for p in result.passages]}
        ranked = wq.ranking(shape, q.doc, n, restricted=True)
        assert sorted(ranked) == [(q.doc, i) for i in range(n)]
    scores = wq.run(engine, questions, docs, restricted=True)
    assert 0.0 <= scores.map <= 1.0 and 0.0 <= scores.mrr <= 1.0
    assert scores.p1 <= scores.mrr
