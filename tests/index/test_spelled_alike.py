"""One name, several outlets' spellings: "Zelensky", "Zelenskyy", "Zelenskiy" are one name."""

from pathlib import Path

from index.engine import Engine
from index.names import spelling_variants
from index.query import parse_query
from index.respell import with_respellings
from index.settings import SearchSettings

# A second report that spells the name as AP and the Ukrainian government do, and one fact of
# its own that the bundled article does not have.
_REPORT = """---
title: "Envoys meet in Reykjavik"
url: https://example.org/reykjavik
published: 2026-01-10
publisher: Test Wire
---

## The meeting

President Volodymyr Zelenskyy met the two American envoys in Reykjavik on Tuesday.
The talks lasted four hours, officials said.
The idea of a summit in the spring was raised again.
Alexei Likhachev of Rosatom joined by video.
"""


def _engine(sources_dir: Path, tmp_path: Path) -> Engine:
    (sources_dir / "reykjavik.md").write_text(_REPORT, encoding="utf-8")
    engine = Engine(sources_dir, tmp_path / "index")
    engine.open()
    return engine


def test_the_sources_other_spellings_of_a_name_are_found(sources_dir: Path,
                                                         tmp_path: Path) -> None:
    vocab = _engine(sources_dir, tmp_path).snapshot.index.postings.vocab
    assert spelling_variants("zelenski", vocab) == ("zelenskyy",)  # "Zelensky" stems "zelenski"
    assert spelling_variants("zelenskyy", vocab) == ("zelenski",)
    assert spelling_variants("zelenskiy", vocab) == ("zelenski", "zelenskyy")  # Reuters' form
    assert spelling_variants("likhachev", vocab) == ("likachev",)  # х as "kh" or "k"
    assert spelling_variants("kyiv", vocab) == ()
    # Kept per vocabulary once worked out, and a new vocabulary (a rebuilt index) starts afresh.
    assert spelling_variants("zelenskiy", vocab) == ("zelenski", "zelenskyy")
    assert spelling_variants("zelenskiy", {"zelenskiy", "zelenski"}) == ("zelenski",)


def test_a_question_in_one_spelling_is_answered_from_a_report_in_another(
        sources_dir: Path, tmp_path: Path) -> None:
    engine = _engine(sources_dir, tmp_path)
    # Typed as the second report spells it: the article's "Zelensky" holds the name. Before,
    # the article's sentence did not hold it at all, and the report's "idea" sentence came first
    # (in a corpus where "idea" is rarer, the question was declined as too little covered).
    compromise = engine.ask("whats zelenskyy's compromise idea for the donbas")
    assert compromise.answered
    assert "Zelensky has offered a compromise" in compromise.passages[0].text
    # Typed as the article spells it: the second report's "Zelenskyy" holds it too.
    met = engine.ask("where did zelensky meet the american envoys")
    assert met.answered and "Reykjavik" in met.passages[0].text
    # The article writes "Likachev"; asked as the report writes him, his words are found.
    stressed = engine.ask("what has likhachev stressed about the plant")
    assert "only one entity - Russia - can run it" in stressed.passages[0].text


def test_another_spelling_never_weighs_more_than_the_one_typed(sources_dir: Path,
                                                               tmp_path: Path) -> None:
    engine = _engine(sources_dir, tmp_path)
    snap, settings = engine.snapshot, SearchSettings()
    query = parse_query("what did zelensky offer", snap.topics, settings)
    spelled = with_respellings(snap.index, query, settings.alias_weight)
    group = next(g for g in spelled.groups if g.term == "zelenski")
    postings = snap.index.postings
    factor = dict(group.alternatives)["zelenskyy"]
    idf = {t: float(postings.idf[postings.vocab[t]]) for t in ("zelenski", "zelenskyy")}
    # "zelenskyy" (one report) is rarer: it counts only as much as the typed name weighs.
    assert idf["zelenskyy"] > idf["zelenski"]
    assert abs(idf["zelenskyy"] * factor - idf["zelenski"]) < 1e-9
    # An everyday word has no other spelling: "dinner" is no "diner" (nor is any word here).
    plain = parse_query("what did the envoys say", snap.topics, settings)
    assert with_respellings(snap.index, plain, settings.alias_weight) is plain
