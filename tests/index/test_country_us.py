"""The United States however typed: "US", "U.S.", "United States", and "the us" in lowercase."""

from __future__ import annotations

from pathlib import Path

from index.answer_type import unshown_names
from index.conversation import Turn
from index.engine import Engine
from index.names import with_country_case
from index.query import parse_query
from index.settings import SearchSettings
from index.tokens import tokenize_phrase

REPO = Path(__file__).resolve().parents[2]


def test_every_way_of_writing_the_country_is_one_term() -> None:
    for written in ("US", "U.S.", "USA", "United States", "united states"):
        assert tokenize_phrase(written) == ("usa",), written
    assert tokenize_phrase("tell us") == ("tell",)  # the pronoun stays a stopword


def test_lowercase_us_is_the_country_only_where_the_pronoun_cannot_stand() -> None:
    assert with_country_case("and the us?") == "and the US?"
    assert with_country_case("what does the us plan say") == "what does the US plan say"
    assert with_country_case("us-led fund, u.s. troops") == "US-led fund, U.S. troops"
    assert with_country_case("give us the figures, the usual") == "give us the figures, the usual"


def test_and_the_us_swaps_the_party_of_the_conversation(tmp_path: Path) -> None:
    engine = Engine(REPO / "sources", tmp_path / "index")
    history = [Turn(question="what does russia want on zaporizhzhia")]
    follow = engine.ask_turn("and the us?", history)
    assert follow.answered and "The US proposal" in follow.passages[0].text


def test_a_party_named_in_several_words_is_held_by_them(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "issues.toml").write_text((REPO / "sources" / "issues.toml").read_text(
        encoding="utf-8"), encoding="utf-8")  # its parties: the US is also "White House"
    (sources / "talks.md").write_text(
        "# Talks\n\nThe White House said the draft was final.\n\n"
        "# Elsewhere\n\nThe US sent envoys to Geneva last month.\n\n"
        "Kyiv asked for more air defence.\n\nMoscow said little.\n\n"
        "Brussels met on Friday.\n", encoding="utf-8")
    engine = Engine(sources, tmp_path / "index")
    snap = engine.snapshot
    shown = engine.ask("what did the white house say about the draft", top=1, context=0)
    assert "White House" in shown.passages[0].text
    asked = parse_query("and the us?", snap.topics, SearchSettings())
    # "and france?"-style follow-ups are declined when no shown passage names what they name;
    # "White House" names the US in two words.
    assert unshown_names(snap.index, asked, list(shown.passages), snap.topics.parties) == ()
    elsewhere = engine.ask("where did envoys go last month", top=1, context=0)
    assert "White House" not in elsewhere.passages[0].text
