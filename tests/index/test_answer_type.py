"""Declining what no shown passage answers: the kind of answer asked for, the speaker named."""

from __future__ import annotations

from pathlib import Path

from index.answer_type import answer_kind, relation_verb
from index.conversation import Turn, next_turn
from index.engine import Engine
from index.evaluate import ask_json, evaluate, load_questions
from index.query import parse_query
from index.serialize import answer_to_json
from index.settings import SearchSettings
from index.topics import Topics

WORD_ORDER = SearchSettings().without("semantic_weight")

REPO = Path(__file__).resolve().parents[2]
ENCYCLOPEDIA = Path(__file__).parent / "data" / "encyclopedia_dev"


def _without(engine: Engine, name: str) -> Engine:
    return Engine(engine.sources_dir, engine.index_dir, settings=SearchSettings().without(name))


def test_a_date_the_sources_never_give_is_declined_as_partly_covered(engine: Engine) -> None:
    # The article says the Kakhovka dam was destroyed, never when.
    question = "when was the kakhovka dam destroyed"
    result = engine.ask(question)
    assert not result.answered and result.abstention == "partly_covered"
    assert result.unknown_terms == ()
    assert result.missing == "the date asked for"
    assert result.declined_because == (
        "The sources touch on this question, but no passage gives the date asked for.")
    assert answer_to_json(result)["missing"] == "the date asked for"
    assert _without(engine, "answer_kind").ask(question).answered


def test_a_count_the_sources_give_is_answered(engine: Engine) -> None:
    result = engine.ask("how many reactors does the plant have")
    assert result.answered
    assert any("six nuclear reactors" in p.text for p in result.passages)


def test_a_speaker_no_source_names_is_off_topic(engine: Engine) -> None:
    # "pope" is everyday English, so alone it could not veto; as the speaker it decides.
    question = "what did the pope say about the referendum"
    result = engine.ask(question)
    assert not result.answered and result.abstention == "off_topic"
    assert result.unknown_terms == ("pope",) and result.missing == "what the pope said"
    assert _without(engine, "speaker_check").ask(question).answered


def test_a_speaker_the_passages_name_is_answered(engine: Engine) -> None:
    # "really" hedges: it is no part of the speaker a passage must name.
    for question in ("what has zelensky said about a referendum",
                     "what has zelensky really said about a referendum"):
        result = engine.ask(question)
        assert result.answered, question
        assert any("Zelensky" in p.text and "vote" in p.text for p in result.passages)


def test_the_kind_of_answer_a_question_asks_for() -> None:
    count = answer_kind("how many grain ships left chornomorsk in december")
    assert count is not None
    assert not count("On 12 December drones struck Chornomorsk and Odesa in 2025.")
    assert not count("Russian forces hold 75% of Donetsk.")
    assert count("Six ships left the port.") and count("More than 600 drones were launched.")
    length = answer_kind("how long is the danube river")  # a length, not a span of time
    assert length is not None and length("It is 2,850 km long.")
    date = answer_kind("when was the dam destroyed")
    assert date is not None and date("It was destroyed in June 2023.")
    assert not date("It was destroyed by an explosion.")
    time = answer_kind("what time did the meeting start")
    assert time is not None and time("It began at 17:00.") and not time("It began late.")
    assert answer_kind("who runs the plant") is None


def test_the_relation_asked_in_other_words_is_answered(tmp_path: Path) -> None:
    # "created" occurs in the encyclopedia, but the answer says "developed" / "first released".
    question = "who created linux"
    engine = Engine(ENCYCLOPEDIA, tmp_path / "index")
    result = engine.ask(question, context=0)
    assert result.answered and result.abstention is None
    assert any("Linus Torvalds" in p.text for p in result.passages)
    strict = Engine(ENCYCLOPEDIA, tmp_path / "index",
                    settings=SearchSettings().without("relation_leniency"))
    assert strict.ask(question, context=0).abstention == "partly_covered"


def test_the_verb_of_the_relation_asked() -> None:
    def verb(question: str) -> str | None:
        group = relation_verb(parse_query(question, Topics(), SearchSettings()))
        return group.surface if group else None

    assert verb("who created linux") == "created"
    assert verb("who first climbed kilimanjaro") == "climbed"
    assert verb("what did darwin discover") == "discover"
    assert verb("who is the president of france") is None
    assert verb("what did the pope say about the plan") is None


def test_held_out_news_questions_declined_both_ways(news_engine: Engine) -> None:
    # Our own held-out questions over the article and the multi_dev reports (written before the
    # abstention work): 24 that nothing answers, 26 that something does. Measured: 11/24 declined,
    # 1 wrongly (8/24, 0 wrongly without the two checks of this module; on main's ranking 10/24
    # and 7/24).
    engine = news_engine
    questions = load_questions(Path(__file__).parent / "data" / "multi_own_heldout.jsonl")
    report = evaluate(ask_json(engine, SearchSettings()), questions)
    without = evaluate(ask_json(engine, SearchSettings().without(
        "answer_kind", "speaker_check")), questions)
    assert report.abstained_unanswerable >= 10, report.lines()
    assert without.abstained_unanswerable < report.abstained_unanswerable
    assert report.wrongful_abstentions <= 1, report.lines()


def test_who_did_something_no_passage_says_is_declined(engine: Engine) -> None:
    # The article mentions the reactors, never who designed them, and is not about them.
    question = "Who designed the Zaporizhzhia reactors?"
    result = engine.ask(question)
    assert not result.answered and result.abstention == "partly_covered"
    assert result.missing == "who designed the Zaporizhzhia reactors"
    assert result.declined_because.endswith("gives who designed the Zaporizhzhia reactors.")
    assert _without(engine, "relation_check").ask(question).answered


def test_who_did_something_a_passage_says_is_answered(engine: Engine, tmp_path: Path) -> None:
    # The verb is in a shown passage: "Zelensky has offered a compromise".
    assert engine.ask("who offered a compromise on the donbas").answered
    # An article about Linux answers "who created Linux" in other words ("developed by").
    encyclopedia = Engine(ENCYCLOPEDIA, tmp_path / "enc-index")
    assert encyclopedia.ask("who created linux", context=0).answered


def test_a_follow_ups_kind_of_answer_may_be_near_the_words_it_carries(news_engine: Engine) -> None:
    # From benchmarks/data/conversations_multi_fresh.jsonl (m12): "how many are they losing a day"
    # after two turns about Russian soldiers. Its own words ("losing", "day") are not where the
    # count is, the carried ones are: the right first passage was declined as "no number near".
    # (The word ranking's first passage: the semantic order puts the drone toll first, off here.)
    engine = news_engine
    engine.settings = WORD_ORDER
    history: list[Turn] = []
    for question in ("how many russians are ukraine's drones taking out a month now",
                     "and how many does moscow sign up"):
        history.append(next_turn(history, question, engine.ask_turn(question, history)))
    result = engine.ask_turn("how many are they losing a day", history)
    assert result.answered, result.abstention
    assert "between 1,000 and 1,100 Russian soldiers every day" in result.passages[0].text


def _defence_reports(tmp_path: Path, france_spends: bool) -> Engine:
    """Two short reports on European defence budgets; France's own budget only when asked."""
    folder = tmp_path / "sources"
    folder.mkdir(parents=True)
    spends = ("France raised its defence budget by 3% this year." if france_spends
              else "France will host the next summit in the spring.")
    (folder / "budgets.md").write_text(
        "---\ntitle: Defence budgets\n---\n\n## Spending\n\n"
        "European governments spent a record €343bn on defence in 2024.\n\n"
        "Germany freed its defence budget from the debt brake.\n\n"
        "Poland spends more than 4% of its output on its army.\n", encoding="utf-8")
    (folder / "summit.md").write_text(
        f"---\ntitle: Summit plans\n---\n\n## Diplomacy\n\n{spends}\n\n"
        "Leaders will discuss trade and migration there.\n", encoding="utf-8")
    return Engine(folder, tmp_path / "index", settings=WORD_ORDER)  # passages in word order


def test_a_follow_up_naming_what_a_passage_names_is_answered(tmp_path: Path) -> None:
    for spends, shown in ((True, "France raised its defence budget"),
                          (False, "France will host the next summit")):
        engine = _defence_reports(tmp_path / str(spends), france_spends=spends)
        question = "how much is germany spending on defence"
        history = [next_turn([], question, engine.ask_turn(question, []))]
        result = engine.ask_turn("and France?", history)
        # A passage naming France is shown: the check has nothing to say (whether it answers
        # the question is coverage's to judge, not this check's).
        assert result.answered and shown in result.passages[0].text


def test_a_follow_up_declined_for_an_unshown_name_in_the_fresh_conversations(
        news_engine: Engine) -> None:
    # benchmarks/data/conversations_multi_fresh.jsonl m09: "and france?" after NATO's target and
    # Germany's defence budget; the reports never give France's.
    engine = news_engine
    history: list[Turn] = []
    for question in ("what did nato agree to spend at the hague summit", "anyone get a pass?",
                     "how much is germany budgeting"):
        history.append(next_turn(history, question, engine.ask_turn(question, history)))
    result = engine.ask_turn("and france?", history)
    assert not result.answered and result.missing == "anything on france"
    off = Engine(engine.sources_dir, engine.index_dir,
                 settings=SearchSettings().without("follow_up_names"))
    assert off.ask_turn("and france?", history).answered


def test_when_was_it_built_is_declined_where_no_passage_says_it_was(engine: Engine) -> None:
    # The article gives the year Russia occupied the plant, never the year it was built: a date
    # in the passage is not the date asked for.
    result = engine.ask("when was the zaporizhzhia plant built")
    assert not result.answered and result.abstention == "partly_covered"
    assert engine.ask("when did russia occupy the zaporizhzhia plant").answered
