"""The per-index memo of a term group's idf and title/heading hits (index/evidence.py) gives what
computing them afresh gives, and a rebuilt index never reads the old index's values."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.engine import Engine
from index.evidence import _group_idf, field_hits, group_idf, heading_hits, title_hits
from index.query import TermGroup, parse_query
from index.settings import SearchSettings

QUESTIONS = ["What did Russia say about the ceasefire?", "Why did Ukraine reject the peace talks?",
             "Who wants security guarantees?", "What are the sticking points?"]


def _groups(engine: Engine) -> list[TermGroup]:
    topics = engine.snapshot.topics
    return [g for q in QUESTIONS for g in parse_query(q, topics, SearchSettings()).groups]


def test_memo_equals_a_fresh_computation(engine: Engine) -> None:
    index = engine.snapshot.index
    groups = _groups(engine)
    assert any(len(field_hits(index.title_terms, g)) for g in groups)  # the check can fail
    assert any(len(field_hits(index.heading_terms, g)) for g in groups)
    for _ in range(2):  # made, then read from the memo
        for g in groups:
            assert group_idf(index, g) == _group_idf(index, g)
            for kept, fresh in ((title_hits(index, g), field_hits(index.title_terms, g)),
                                (heading_hits(index, g), field_hits(index.heading_terms, g))):
                assert np.array_equal(kept, fresh)
                assert not kept.flags.writeable  # shared by every question


def test_a_rebuilt_index_has_its_own_memo(engine: Engine, sources_dir: Path) -> None:
    group = TermGroup(term="zorblatt", surface="zorblatt")
    old = engine.snapshot.index
    assert group_idf(old, group) == 0.0 and not len(title_hits(old, group))
    (sources_dir / "zorblatt.md").write_text(
        "---\ntitle: Zorblatt report\n---\n\nThe zorblatt talks ended without a deal.\n",
        encoding="utf-8")
    engine.rebuild()
    new = engine.snapshot.index
    assert new is not old
    assert group_idf(new, group) == _group_idf(new, group) != 0.0
    assert np.array_equal(title_hits(new, group), field_hits(new.title_terms, group))
    assert len(title_hits(new, group))
