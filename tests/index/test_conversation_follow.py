"""Follow-up quality mechanisms: own words lead, novelty, declining an unknown action."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import index.shortlist as shortlist_module
from index.answer_type import doer_unstated
from index.conversation import (
    CarriedWord,
    Turn,
    next_turn,
    other_side,
    resolve_turn,
    without_filler,
)
from index.conversation_search import (
    asks_new,
    led_rows,
    same_subject,
    with_carried,
)
from index.engine import Engine
from index.query import parse_query
from index.search import score_query
from index.settings import SearchSettings

REACTORS = "what state are the zaporizhzhia reactors in"


@contextmanager
def _shortlist_of(rows: int) -> Iterator[None]:
    """The two-stage search keeps only its best `rows` candidates while inside."""
    sizes = shortlist_module.SHORTLIST_ROWS, shortlist_module.SHORTLIST_PER_ROW
    shortlist_module.SHORTLIST_ROWS, shortlist_module.SHORTLIST_PER_ROW = rows, 1
    try:
        yield
    finally:
        shortlist_module.SHORTLIST_ROWS, shortlist_module.SHORTLIST_PER_ROW = sizes


def test_who_question_about_an_action_the_sources_never_use_is_declined(engine: Engine) -> None:
    first = engine.ask_turn(REACTORS, [])
    history = [next_turn([], REACTORS, first)]
    designed = engine.ask_turn("who designed those reactors?", history)
    assert not designed.answered and designed.abstention == "off_topic"
    # The same carried context with a verb the sources use is answered.
    restart = engine.ask_turn("what would it take to restart them?", history)
    assert restart.answered


def test_doer_rule_reads_only_the_verb_after_who() -> None:
    shown = ["Army Secretary Dan Driscoll led the American side in Geneva."]
    assert doer_unstated("who would organise it, the government?", ["organise"], shown)
    assert doer_unstated("and who designed those reactors?", ["designed"], shown)
    assert doer_unstated("who built that sub?", [], shown)  # known verb, not in the answer
    assert not doer_unstated("who led the american side?", [], shown)
    assert not doer_unstated("how did kyiv respond?", ["respond"], shown)  # not a "who"
    assert not doer_unstated("who is said to have organised it?", [], shown)  # talk, not action
    assert not doer_unstated("who is against it at home?", [], shown)  # no verb to judge by
    # A phrasal verb's action is not its verb's: "came up with" is "estimated", "pulled out" left.
    assert not doer_unstated("who came up w that number", [], shown)
    assert not doer_unstated("and who pulled out first?", [], shown)
    assert doer_unstated("who came to the talks?", [], shown)  # no particle: the verb is judged


def test_novelty_holds_only_when_the_shown_passage_lacks_the_turns_own_words(
        engine: Engine) -> None:
    snap = engine.snapshot
    first = engine.ask("what state are the zaporizhzhia reactors in", top=1)
    row = next(r for r in range(len(snap.index.sent_para))
               if snap.index.sentence(r) in first.passages[0].text)
    settings = SearchSettings()
    detail = parse_query("and the reactors?", snap.topics, settings)
    new = parse_query("who would guard the front?", snap.topics, settings)
    assert not asks_new(snap.index, detail, [row])
    assert asks_new(snap.index, new, [row])


def test_carried_words_never_outweigh_the_turns_own_topic_words(engine: Engine) -> None:
    snap = engine.snapshot
    settings = SearchSettings()
    own = parse_query("when would they finish?", snap.topics, settings)
    carried = [CarriedWord(surface=w, weight=0.6) for w in ("half", "donbas", "luhansk", "russia",
                                                            "taken")]
    full = with_carried(own, carried, snap.topics, settings, required=False)
    own_weight = sum(g.weight for g in own.groups if g.required and not g.party)
    added = full.groups[len(own.groups):]
    assert len(added) == len(carried)
    assert sum(g.weight for g in added) <= own_weight + 1e-9
    # With few carried words the cap does not bite: each keeps its carried weight.
    one = with_carried(own, carried[:1], snap.topics, settings, required=False)
    assert one.groups[-1].weight == 0.6


def test_the_other_side_is_the_party_the_conversation_was_not_about(engine: Engine) -> None:
    topics = engine.snapshot.topics
    history = [
        Turn(question="what did moscow accuse ukrainian forces of doing at a putin residence"),
        Turn(question="any proof?")]
    assert other_side(history, "and the other side's version?", topics) == ("ukraine", "ukrainian")
    assert other_side(history, "and what about the reactors?", topics) is None
    assert other_side([Turn(question="any proof?")], "and the other side?", topics) is None
    resolved = resolve_turn(history, "and the other side's version?", topics)
    surfaces = [c.surface.lower() for c in resolved.carried]
    assert surfaces[0] == "ukrainian" and not {"moscow", "putin"} & set(surfaces)
    assert resolved.understood_as is not None and "ukrainian" in resolved.understood_as


def test_words_of_talk_are_not_a_follow_ups_topic(engine: Engine) -> None:
    topics, settings = engine.snapshot.topics, SearchSettings()
    query = without_filler(parse_query("and the russian side?", topics, settings))
    assert [g.surface.lower() for g in query.groups] == ["russian"]
    # A turn made only of such words asks with the words it carries alone.
    talk = parse_query("and the other side's version?", topics, settings)
    assert without_filler(talk).groups == ()
    # "side" would otherwise find "Both sides are … suffering from exhaustion".
    history: list[Turn] = []
    for question in ("what has washington proposed for the nuclear plant",
                     "and how would the output be shared?"):
        history.append(next_turn(history, question, engine.ask_turn(question, history)))
    russian = engine.ask_turn("and the russian side?", history)
    assert "only one entity - Russia - can run it" in russian.passages[0].text


def test_words_of_talk_are_never_a_follow_ups_unknown_words(engine: Engine) -> None:
    # "any idea …", "… the job": no source says "idea" or "job", yet neither is what is asked.
    question = "how much of luhansk has russia taken"
    history = [next_turn([], question, engine.ask_turn(question, []))]
    follow_up = engine.ask_turn("any idea when they'd finish the job?", history)
    assert not {"idea", "job"} & set(follow_up.unknown_terms)
    # Asked alone, they are the question's own words, and no source has them.
    assert {"idea", "job"} <= set(engine.ask("any idea when they'd finish the job?").unknown_terms)


def test_a_turn_of_talk_alone_is_read_from_the_conversation(engine: Engine) -> None:
    history: list[Turn] = []
    for question in ("what did moscow accuse ukrainian forces of doing at a putin residence",
                     "where was this?", "any proof?"):
        history.append(next_turn(history, question, engine.ask_turn(question, history)))
    # "side" and "version" would find "Both sides are widely seen as suffering from exhaustion".
    other = engine.ask_turn("and the other side's version?", history)
    assert "Ukraine denies it even happened" in other.passages[0].text


def _two_reports(tmp_path: Path) -> tuple[Engine, list[Turn]]:
    """Two reports telling the same facts in the same words, and a conversation about the second.

    Each has a deadline section and a harbour section, so only a lead can tell them apart.
    """
    sources = tmp_path / "sources"
    sources.mkdir()
    fact = "The envoy said the deadline for the reply can be extended by a week."
    other = "Grain prices rose in May.\n\nThe harbour reopened after repairs.\n\nSnow fell early."
    for name, topic in (("a-report", "Tankers were hit off Turkey by sea drones."),
                        ("b-report", "Trump told Kyiv to respond by Thursday.")):
        (sources / f"{name}.md").write_text(
            f"---\ntitle: {name}\n---\n\n## Talks\n\n{topic}\n\n{fact}\n\n## Home\n\n{other}\n")
    engine = Engine(sources, tmp_path / "index")
    engine.open()
    question = "when must kyiv respond to trump"
    history = [next_turn([], question, engine.ask_turn(question, []))]
    assert history[0].shown[0].source_id == "b-report"
    return engine, history


def test_a_full_question_mid_conversation_stands_alone_near_what_was_shown(
        tmp_path: Path) -> None:
    engine, history = _two_reports(tmp_path)
    full = "can the deadline for the reply be extended"
    resolved = resolve_turn(history, full, engine.snapshot.topics)
    assert resolved.understood_as is None and not resolved.carried  # it stands alone …
    assert resolved.prefer == history[0].shown  # … near the report the conversation is in
    assert engine.ask(full).passages[0].citation.source_id == "a-report"  # a tie, alone
    assert engine.ask_turn(full, history).passages[0].citation.source_id == "b-report"


def test_a_full_question_about_nothing_just_shown_is_a_new_subject(tmp_path: Path) -> None:
    engine, history = _two_reports(tmp_path)
    snap, settings = engine.snapshot, SearchSettings()
    new = "when did the harbour reopen after repairs"  # nothing of the section shown: no lead
    assert not same_subject(snap.index, parse_query(new, snap.topics, settings),
                            history[0].shown)
    assert engine.ask_turn(new, history) == engine.ask(new)
    assert engine.ask(new).passages[0].citation.source_id == "a-report"
    near = "who extended the deadline for the reply"
    assert same_subject(snap.index, parse_query(near, snap.topics, settings), history[0].shown)


def test_every_sentence_of_the_source_shown_last_is_scored_even_when_the_search_cuts(
        engine: Engine) -> None:
    snap, settings = engine.snapshot, SearchSettings()
    first = engine.ask(REACTORS, top=1)
    query = with_carried(parse_query("and what do russia and ukraine say?", snap.topics,
                                     settings),
                         [CarriedWord(surface="reactors",
                                      weight=0.6)], snap.topics, settings, required=True)
    full = score_query(snap.index, query, settings)
    lo, hi = led_rows(snap.index, [first.passages[0].key])
    assert lo <= first.passages[0].sentence_ids[first.passages[0].match_offset] < hi
    with _shortlist_of(1):  # a search that keeps only its best candidate
        cut = score_query(snap.index, query, settings, limit=1)
        kept = score_query(snap.index, query, settings, limit=1, keep=(lo, hi))
    inside = [i for i, r in enumerate(full.rows) if lo <= r < hi]
    assert len(cut.rows) < len(inside)
    assert set(full.rows[inside]) <= set(kept.rows)
    for i in inside:  # each scored as among all candidates
        at = list(kept.rows).index(full.rows[i])
        assert kept.scores[at] == full.scores[i]
        assert kept.coverage[at] == full.coverage[i]


def test_doer_rule_accepts_the_action_in_other_words() -> None:
    shown = ["Russia and Ukraine agreed to another local ceasefire negotiated by the IAEA."]
    assert not doer_unstated("who brokered the ceasefire for it?", [], shown)
    assert doer_unstated("who designed those reactors?", [], shown)  # no word of it shown


def test_a_follow_ups_everyday_words_no_source_has_do_not_decline_it(engine: Engine) -> None:
    # "pace" and "last": two words the article never uses. Asked alone, two such words say a
    # question is about something else; in a conversation the earlier turns say what it is about.
    history: list[Turn] = []
    for question in ("which cities is putin after in donetsk",
                     "and are his troops actually getting anywhere?"):
        history.append(next_turn(history, question, engine.ask_turn(question, history)))
    follow = engine.ask_turn("is that pace guaranteed to last?", history)
    assert follow.answered and set(follow.unknown_terms) == {"pace", "last"}
    assert not engine.ask_turn("and what does the Pope say?", history).answered  # a name still
