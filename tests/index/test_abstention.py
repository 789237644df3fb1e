"""Abstention both ways, demonym folding, and the edge cases of issue 8 (items 5, 16, 17)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from index.engine import Engine
from index.names import is_place, looks_like_name, place_alternatives
from index.serialize import answer_to_json
from index.settings import SearchSettings


def _engine(tmp_path: Path, files: dict[str, str]) -> Engine:
    sources = tmp_path / "sources"
    sources.mkdir()
    for name, text in files.items():
        (sources / name).write_text(text, encoding="utf-8")
    return Engine(sources, tmp_path / "index")


def test_unknown_name_is_declined_as_off_topic_and_named(engine: Engine) -> None:
    result = engine.ask("What has the Vatican said about the talks?")
    assert not result.answered and result.abstention == "off_topic"
    assert "Vatican" in result.unknown_terms


def test_unknown_country_in_lowercase_is_a_name(engine: Engine) -> None:
    result = engine.ask("what is china's position on the peace plan")
    assert not result.answered and result.abstention == "off_topic"


def test_the_un_in_lowercase_is_a_body_the_article_never_names(engine: Engine) -> None:
    result = engine.ask("who runs the un nuclear watchdog")
    assert not result.answered and result.abstention == "off_topic"
    assert "un" in result.unknown_terms and is_place("un")


def test_one_unknown_everyday_word_does_not_veto(engine: Engine) -> None:
    # "umbrella" (everyday English) occurs nowhere; the rest is plainly about the nuclear plant.
    result = engine.ask("who should run the umbrella zaporizhzhia nuclear plant")
    assert result.answered and result.abstention is None
    assert result.unknown_terms == ("umbrella",)


def test_an_adverb_of_manner_never_vetoes(engine: Engine) -> None:
    # "honestly" and "zero": two words no source uses. An adverb in -ly says how the question is
    # meant, so only "zero" is left, and one everyday word cannot veto (before: partly covered).
    result = engine.ask("could they honestly make progress on the big issues with zero trust")
    assert result.answered and set(result.unknown_terms) == {"honestly", "zero"}
    assert "hard to imagine significant progress" in result.passages[0].text
    # Two unknown words neither of which is such an adverb still weigh against coverage.
    assert not engine.ask("could they make progress with zero trust qwerty").answered


def test_partly_covered_is_said(engine: Engine) -> None:
    result = engine.ask("what did the nuclear plant manager eat for breakfast on sunday morning")
    assert not result.answered
    assert result.abstention in {"partly_covered", "off_topic"}
    assert json.loads(json.dumps(answer_to_json(result)))["abstention"] == result.abstention


def test_demonyms_fold_both_ways() -> None:
    assert "germani" in place_alternatives("german")
    assert "ukrainian" in place_alternatives("ukrain")
    assert "uae" in place_alternatives("emirati")
    assert "russian" in place_alternatives("russia")
    assert is_place("korean") and not is_place("plant")


def test_name_like_words() -> None:
    assert looks_like_name("Vatican", "vatican", first=False)
    assert not looks_like_name("What", "what", first=True)  # sentence case
    assert not looks_like_name("VAT", "vat", first=False)  # an acronym decides nothing
    assert not looks_like_name("cheap", "cheap", first=False)
    assert looks_like_name("china", "china", first=True)


def test_demonym_finds_the_country(tmp_path: Path) -> None:
    engine = _engine(tmp_path, {"a.md": "The Germany talks ended early.\n\nThe weather was fine "
                                        "in Paris that day.\n\nNothing else happened.\n"})
    result = engine.ask("what about the german talks")
    assert result.answered and "Germany talks" in result.passages[0].text


def test_party_with_only_multiword_names_does_not_crash(tmp_path: Path) -> None:
    # issue 8 item 5: every name multi-word (or stopwords / emoji) raised IndexError.
    engine = _engine(tmp_path, {
        "a.md": "The United Nations sent observers to the plant.\n\nThe plant was quiet.\n",
        "issues.toml": '[issues.plant]\ntitle = "Plant"\ndescription = "The plant."\n'
                       'terms = ["plant"]\n\n[parties.un]\nname = "United Nations"\n'
                       'aliases = ["the U N", "😀"]\n\n[parties.odd]\nname = "😀"\naliases = []\n'})
    result = engine.ask_issue("plant", side="un")
    assert result.answered and "United Nations" in result.passages[0].text
    assert engine.ask_issue("plant", side="odd").passages  # no indexable name: not narrowed


def test_json_is_strict_when_no_sentence_has_a_word(tmp_path: Path) -> None:
    # issue 8 item 16: NaN scores when only titles hold words.
    engine = _engine(tmp_path, {"a.md": "---\ntitle: Harbour report\n---\n\n😀 😀.\n\n✨ ✨.\n"})
    shape = answer_to_json(engine.ask("harbour"))
    text = json.dumps(shape, allow_nan=False)  # raises on NaN or infinity
    assert all(math.isfinite(p["score"]) for p in json.loads(text)["passages"])
    # the word is in a title: it is not reported as found nowhere
    assert "harbour" not in shape["unknown_terms"]


@pytest.mark.parametrize("sentences", [
    ["The reactor at Enerhodar is in cold shutdown."],
    ["The reactor at Enerhodar is in cold shutdown.", "The reactor needs power."],
])
def test_tiny_corpus_answers(tmp_path: Path, sentences: list[str]) -> None:
    # issue 8 item 17: BM25Okapi's idf is zero or negative in a one- or two-sentence corpus.
    engine = _engine(tmp_path, {"a.md": "\n\n".join(sentences) + "\n"})
    result = engine.ask("is the Enerhodar reactor in cold shutdown")
    assert result.answered, result
    assert "cold shutdown" in result.passages[0].text
    assert not engine.ask("what did the Vatican say").answered


# Three reports: two state one fact (an 800,000-strong army) in other words, one a near miss.
REPORTS = {
    "a.md": "---\ntitle: Report A\npublisher: Outlet A\n---\n\nEurope backs a peacetime army "
            "of 800,000 troops for Ukraine.\n\nThe talks in Berlin lasted two days.\n\n"
            "It rained.\n",
    "b.md": "---\ntitle: Report B\npublisher: Outlet B\n---\n\nUkraine would keep an army of "
            "800,000 troops in peacetime, Europe says.\n\nGas prices rose in winter.\n\n"
            "It snowed.\n",
    "c.md": "---\ntitle: Report C\n---\n\nThe peacetime army cap in the US draft was "
            "600,000.\n\nNobody signed.\n"}
ARMY = "how big a peacetime army does europe back for ukraine"


def test_a_fact_restated_by_another_report_is_shown_once(tmp_path: Path) -> None:
    engine = _engine(tmp_path, REPORTS)
    result = engine.ask(ARMY, context=0)
    first = result.passages[0]
    assert "800,000" in first.text
    assert [c.source_id for c in first.also_reported_by] in (["a"], ["b"])
    assert not any("800,000" in p.text for p in result.passages[1:])
    shape = answer_to_json(result)
    assert shape["passages"][0]["also_reported_by"][0]["title"] in {"Report A", "Report B"}
    off = Engine(engine.sources_dir, engine.index_dir,
                 settings=SearchSettings().without("duplicate_overlap"))
    assert sum("800,000" in p.text for p in off.ask(ARMY, context=0).passages) == 2


def test_a_known_place_typed_in_lowercase_is_a_name(engine: Engine) -> None:
    result = engine.ask("what has the vatican said about the talks")
    assert not result.answered and result.abstention == "off_topic"
    assert result.unknown_terms == ("vatican",)


def test_the_other_reports_are_named_where_the_fact_is_shown(tmp_path: Path) -> None:
    from bot.cli.render import render_answer

    result = _engine(tmp_path, REPORTS).ask(ARMY, context=0)
    other = "Outlet B" if result.passages[0].citation.source_id == "a" else "Outlet A"
    assert result.passages[0].also_reported == f"Also reported by: {other}"
    assert f"Also reported by: {other}" in render_answer(result)
