"""Passages about whom the question names come before passages that never mention it."""

from dataclasses import replace
from pathlib import Path

from index.engine import Engine
from index.naming import names_asked, written_as_name
from index.query import parse_query
from index.settings import SearchSettings

_HEAD = '---\ntitle: "{title}"\nurl: https://example.org/{name}\npublished: 2025-11-28\n' \
        'publisher: Test Wire\n---\n\n'
# "pushed" is said once, in a report that never names Yermak; "yermak" in five sentences of
# another, so it weighs less than "pushed" and plain word matching puts the agenda first.
_AGENDA = "## The agenda\n\nThe question of elections was pushed onto the agenda from " \
          "Washington last month.\nLawmakers said a vote could not happen under martial law.\n"
_OFFICE = "## The resignation\n\nAndriy Yermak, the head of the presidential office, resigned " \
          "on Friday.\nAnti-corruption detectives had searched the flat of Yermak that morning." \
          "\nYermak denied any wrongdoing in December.\nYermak had led the talks with " \
          "Washington since the spring.\nAllies of Yermak called the search political.\n"
_QUESTION = "why did yermak get pushed out"


def _engine(sources_dir: Path, tmp_path: Path, named_first: float) -> Engine:
    for name, title, body in (("agenda", "Election law debate", _AGENDA),
                              ("office", "Head of the presidential office resigns", _OFFICE)):
        (sources_dir / f"{name}.md").write_text(_HEAD.format(title=title, name=name) + body,
                                                encoding="utf-8")
    # The words' order alone: the meaning would find the resignation either way (meaning_first).
    settings = replace(SearchSettings(), named_first=named_first, meaning_first=0.0)
    engine = Engine(sources_dir, tmp_path / f"index-{named_first}", settings=settings)
    engine.open()
    return engine


def test_a_passage_about_the_name_asked_comes_first(sources_dir: Path, tmp_path: Path) -> None:
    named = _engine(sources_dir, tmp_path, 1.0).ask(_QUESTION)
    assert named.passages[0].citation.source_id == "office"
    assert all(p.citation.source_id == "office" for p in named.passages)
    assert [p.rank for p in named.passages] == [1, 2, 3]
    # Without it, the report that never names him comes first, on "pushed" alone.
    plain = _engine(sources_dir, tmp_path, 0.0).ask(_QUESTION)
    assert plain.passages[0].citation.source_id == "agenda"


def test_a_name_is_what_the_sources_write_capitalised(sources_dir: Path, tmp_path: Path) -> None:
    engine = _engine(sources_dir, tmp_path, 1.0)
    snap = engine.snapshot
    assert written_as_name(snap.index, "yermak")  # typed in lowercase, written "Yermak"
    assert not written_as_name(snap.index, "push")  # "pushed" is an everyday word
    assert not written_as_name(snap.index, "andriy")  # only ever a sentence's first word
    query = parse_query("what did yermak say in december about russia", snap.topics,
                        SearchSettings())
    # A month names when, not what; a party is what every report on the story is about.
    assert [g.surface for g in names_asked(snap.index, query, query)] == ["yermak"]


def test_a_follow_up_stays_with_the_name_the_conversation_is_about(sources_dir: Path,
                                                                   tmp_path: Path) -> None:
    from index.conversation import next_turn

    engine = _engine(sources_dir, tmp_path, 1.0)
    question = "who is andriy yermak"
    history = [next_turn([], question, engine.ask_turn(question, []))]
    # The turn's own words name no one; the conversation's name (carried) still decides.
    follow_up = engine.ask_turn("why did he get pushed out?", history)
    assert follow_up.passages[0].citation.source_id == "office"
