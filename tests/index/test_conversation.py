"""Follow-ups: when a turn needs earlier ones, what it carries, answers on the real article."""

import itertools
from pathlib import Path

from index.conversation import (
    MAX_UNDERSTOOD_CHARS,
    Turn,
    needs_context,
    next_turn,
    resolve_turn,
    starts_new_subject,
)
from index.engine import Engine
from index.evaluate_conversations import is_conversation_file, load_conversations, score_file
from index.models import PassageKey
from index.topics import load_topics

from ..conftest import SOURCES

TOPICS = load_topics(SOURCES)
REACTORS = "what state are the zaporizhzhia reactors in"


def test_elliptical_turns_need_context_full_questions_do_not() -> None:
    for turn in ("and Ukraine?", "what about the plant?", "who said that?", "why?",
                 "how many reactors is that?", "for how long now?", "and the russian side?"):
        assert needs_context(turn), turn
    for turn in ("how many people live in the Donetsk region today",
                 "which two issues are the trickiest in washington's plan"):
        assert not needs_context(turn), turn


def test_a_new_subject_marker_makes_the_turn_stand_alone() -> None:
    assert starts_new_subject("ok different question: who is Witkoff?") == "who is Witkoff?"
    assert starts_new_subject("changing the subject, who is Witkoff?") == "who is Witkoff?"
    assert starts_new_subject("who is Witkoff?") is None
    # As typed in chat: "diff q", "totally diff topic".
    assert starts_new_subject("diff q, who is Witkoff?") == "who is Witkoff?"
    assert starts_new_subject("totally diff topic: who is Witkoff?") == "who is Witkoff?"
    assert starts_new_subject("different qs and answers") is None
    resolved = resolve_turn([Turn(question=REACTORS)], "ok different question: who is Witkoff?",
                            TOPICS)
    assert resolved.question == "who is Witkoff?" and resolved.carried == ()
    assert resolved.understood_as is None and resolved.standalone


def test_party_follow_up_keeps_the_topic_and_swaps_the_party() -> None:
    resolved = resolve_turn([Turn(question="what does Russia want on Zaporizhzhia")],
                            "and Ukraine?",
                            TOPICS)
    carried = [c.surface for c in resolved.carried]
    assert "Zaporizhzhia" in carried and "Russia" not in carried
    assert resolved.understood_as == "and Ukraine — Zaporizhzhia"


def test_recent_turns_weigh_more_and_the_opening_turn_stays() -> None:
    history = [Turn(question="what has washington proposed for the nuclear plant"),
               Turn(question="how did kyiv respond?"),
               Turn(question="and how would the output be shared?")]
    resolved = resolve_turn(history, "any wiggle room at all?", TOPICS)
    weights = {c.surface: c.weight for c in resolved.carried}
    assert weights["output"] > weights["respond"]
    assert weights["plant"] >= weights["respond"]  # the opening turn names the subject


def test_understood_as_uses_only_the_users_words_and_fits() -> None:
    words = ["".join(w) for w in itertools.product("klmnp", repeat=3)][:80]
    earlier, turn = " ".join(words[:10]), "and that " + " ".join(words[10:])
    resolved = resolve_turn([Turn(question=earlier)], turn, TOPICS)
    assert resolved.understood_as is not None
    assert len(resolved.understood_as) <= MAX_UNDERSTOOD_CHARS
    said = set(words) | {"and", "that"}
    assert set(resolved.understood_as.replace("—", " ").rstrip("…").split()) <= said


def test_issue_and_side_carry_over_and_shown_passages_become_the_hint() -> None:
    key = PassageKey(source_id="a", text_hash="b" * 16)
    history = [Turn(question="what about it", issue="zaporizhzhia", side="russia", shown=(key,))]
    resolved = resolve_turn(history, "and why?", TOPICS)
    assert (resolved.issue, resolved.side, resolved.prefer) == ("zaporizhzhia", "russia", (key,))


def test_follow_up_is_answered_from_the_conversation(engine: Engine) -> None:
    alone = engine.ask("for how long now?")
    first = engine.ask_turn(REACTORS, [])
    assert first.understood_as is None and "in cold shutdown mode" in first.passages[0].text
    history = [next_turn([], REACTORS, first)]
    follow = engine.ask_turn("for how long now?", history)
    assert "for more than three years" in follow.passages[0].text
    assert not any("for more than three years" in p.text for p in alone.passages[:1])
    assert follow.question == "for how long now?"
    assert follow.understood_as == "for how long now — state zaporizhzhia reactors"
    assert history[0].shown == tuple(p.key for p in first.passages)


def test_first_turn_is_the_same_as_ask(engine: Engine) -> None:
    question = "what does Russia want on Zaporizhzhia"
    assert engine.ask_turn(question, []) == engine.ask(question)


def test_conversation_file_is_scored_beside_the_written_out_turns(engine: Engine,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "conv.jsonl"
    path.write_text(
        '{"id": "c1", "turns": [{"say": "' + REACTORS + '", "expect": ["cold shutdown"]}, '
        '{"say": "for how long now?", "kind": "detail", "meant": "How long have the '
        'Zaporizhzhia reactors been in cold shutdown?", "expect": ["for more than three years"]}'
        ']}\n', encoding="utf-8")
    assert is_conversation_file(path) and len(load_conversations(path)[0].turns) == 2
    lines = score_file(path, lambda q, h: engine.ask_turn(q, h, top=3),
                       lambda q: engine.ask(q, top=3))
    assert lines[1].split()[:4] == ["first", "turns", "1", "1.00"]
    assert lines[2].split()[:3] == ["follow-ups", "1", "1.00"]
    assert lines[2].split()[-2] == "0.00"  # alone, the follow-up finds nothing


def test_a_new_subject_or_an_issue_command_starts_the_scope_over() -> None:
    history = [Turn(question="what has washington proposed for the nuclear plant"),
               Turn(question="ok different question: how much russian money is frozen in europe?")]
    resolved = resolve_turn(history, "in sterling?", TOPICS)
    assert resolved.understood_as == "in sterling — russian money frozen europe"
    history = [Turn(question="how much of luhansk has russia taken"),
               Turn(question="", issue="zaporizhzhia", side="russia")]
    resolved = resolve_turn(history, "and why?", TOPICS)
    assert resolved.carried == () and (resolved.issue, resolved.side) == ("zaporizhzhia", "russia")
    assert resolved.understood_as == "and why — The Zaporizhzhia nuclear plant Russia"
