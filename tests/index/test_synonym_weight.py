"""How much a paraphrase counts: more in a report that never writes the question's word.

A report that writes "proposal" and, elsewhere, "plan" uses them for different things (the
bundled article's 20-point plan and the US proposal for the plant); a report that never writes
"proposal" says it as "plan". So a paraphrase stands in at `synonym_stand_in` where its source
never writes the word, and counts `synonym_weight` where it does (index/evidence.columns).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from index.engine import Engine
from index.query import parse_query
from index.search import score_query
from index.settings import SearchSettings
from index.topics import Topics

SAME = "The plan gives the port to a joint company."
QUESTION = "what is proposed for the port"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """Two reports alike but for one sentence: only the first writes the question's word."""
    root = tmp_path_factory.mktemp("synweight")
    sources = root / "sources"
    sources.mkdir()
    for name, opening in (("a-report", "The proposal was sent to the mayor on Monday."),
                          ("b-report", "The letter was sent to the mayor on Monday.")):
        (sources / f"{name}.md").write_text(
            f"---\ntitle: {name}\n---\n\n## Talks\n\n{opening}\n\n{SAME}\n", encoding="utf-8")
    built = Engine(sources, root / "index")
    built.open()
    return built


def _same_sentence_scores(engine: Engine, settings: SearchSettings) -> tuple[float, float]:
    """The score of SAME in the report writing "proposal", then in the one that does not."""
    index = engine.snapshot.index
    scored = score_query(index, parse_query(QUESTION, engine.snapshot.topics, settings), settings)
    by_source = {index.source_of(int(r)).source_id: float(s)
                 for r, s in zip(scored.rows, scored.scores, strict=True)
                 if index.sentence(int(r)) == SAME}
    return by_source["a-report"], by_source["b-report"]


def test_a_paraphrase_counts_more_where_its_report_never_writes_the_word(engine: Engine) -> None:
    writes, never = _same_sentence_scores(engine, SearchSettings())
    assert never > writes * 1.01


@pytest.mark.parametrize("settings", [
    replace(SearchSettings(), synonym_stand_in=0.0),  # the rule off: one weight everywhere
    replace(SearchSettings(), synonym_weight=0.6, synonym_stand_in=0.0),  # a plain 0.6
])
def test_without_the_rule_the_two_reports_tie(engine: Engine, settings: SearchSettings) -> None:
    writes, never = _same_sentence_scores(engine, settings)
    assert writes == pytest.approx(never)


def test_a_paraphrase_is_marked_with_its_share_where_the_word_is_written() -> None:
    settings = SearchSettings()
    group = parse_query(QUESTION, Topics(), settings).groups[0]
    assert group.term == "propos" and "plan" in group.paraphrases
    assert dict(group.alternatives)["plan"] == settings.synonym_stand_in
    assert group.said_share == pytest.approx(settings.synonym_weight / settings.synonym_stand_in)
