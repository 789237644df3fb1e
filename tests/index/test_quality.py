"""Answer quality on the bundled article: the seed figures and our own questions, via the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.engine import Engine
from index.evaluate import EvalReport, ask_json, evaluate, load_questions
from index.settings import PLAIN_BM25, SearchSettings
from index.synonyms import synonyms
from index.tokens import tokenize_phrase

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[2]


def _report(engine: Engine, name: str) -> EvalReport:
    questions = load_questions(DATA / name)
    return evaluate(ask_json(engine, engine.settings), questions)


@pytest.fixture(scope="module")
def real_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine(REPO / "sources", tmp_path_factory.mktemp("index"))


@pytest.mark.parametrize("name", ["seed_dev.jsonl", "own_dev.jsonl"])
def test_quality_figures(real_engine: Engine, name: str) -> None:
    report = _report(real_engine, name)
    assert report.hit1 >= 0.95, report.lines()
    assert report.hit3 == 1.0, report.lines()
    assert report.abstained_unanswerable == report.unanswerable, report.lines()
    assert report.wrongful_abstentions == 0, report.lines()


def test_seed_copy_matches_shared_file() -> None:
    shared = REPO.parent / "shared/eval/seed_dev.jsonl"
    if not shared.is_file():
        pytest.skip("the shared eval folder is not here")
    assert shared.read_text(encoding="utf-8") == (DATA / "seed_dev.jsonl").read_text(
        encoding="utf-8")


def test_zaporizhzhia_example_leads_with_rosatom(real_engine: Engine) -> None:
    result = real_engine.ask("what does Russia want on Zaporizhzhia")
    assert result.answered
    assert "only one entity - Russia - can run it" in result.passages[0].text


def test_engine_beats_plain_bm25_on_seed(real_engine: Engine) -> None:
    ours = _report(real_engine, "seed_dev.jsonl")
    plain = Engine(real_engine.sources_dir, real_engine.index_dir, settings=PLAIN_BM25)
    assert ours.hit1 > _report(plain, "seed_dev.jsonl").hit1


@pytest.mark.parametrize("name", ["frame_discount", "party_focus", "title_discount",
                                  "coord_weight"])
def test_new_signals_switch_off(real_engine: Engine, name: str) -> None:
    off = Engine(real_engine.sources_dir, real_engine.index_dir,
                 settings=SearchSettings().without(name))
    result = off.ask("what does Russia want on Zaporizhzhia")
    assert result.passages  # still answers; the setting only changes the ranking


# Our own encyclopedia-style development set (tests/index/data/encyclopedia_dev/): 31 short
# summaries we wrote, 68 answerable questions and 11 the documents do not cover. Scored on the
# matched sentence alone (context 0), top 3, a declined answerable question a miss. Measured with
# the defaults: hit@1 0.721, hit@3 0.912, 11/11 abstentions, 1 wrongful abstention; plain BM25
# 0.382 / 0.588.
ENCYCLOPEDIA = DATA / "encyclopedia_dev"


@pytest.fixture(scope="module")
def encyclopedia_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine(ENCYCLOPEDIA, tmp_path_factory.mktemp("encyclopedia"))


def _encyclopedia_report(engine: Engine, name: str = "encyclopedia_dev.jsonl") -> EvalReport:
    questions = load_questions(DATA / name)
    return evaluate(ask_json(engine, engine.settings, context=0), questions)


def test_encyclopedia_dev_figures(encyclopedia_engine: Engine) -> None:
    report = _encyclopedia_report(encyclopedia_engine)
    assert report.hit1 >= 0.70, report.lines()
    assert report.hit3 >= 0.91, report.lines()
    assert report.mrr5 >= 0.79, report.lines()
    # 10 of 11 since `expected_words` (session 19, judged on held-out questions): "how does a
    # nuclear reactor generate electricity" finds two of its four words, and the two it lacks
    # are more than sources this small are expected to use.
    assert report.abstained_unanswerable >= report.unanswerable - 1, report.lines()
    assert report.wrongful_abstentions <= 2, report.lines()


def test_encyclopedia_dev_own_document_figures(encyclopedia_engine: Engine) -> None:
    report = _encyclopedia_report(encyclopedia_engine, "encyclopedia_dev_own.jsonl")
    assert report.hit1 >= 0.70, report.lines()
    assert report.hit3 >= 0.91, report.lines()


def test_encyclopedia_dev_beats_plain_bm25(encyclopedia_engine: Engine) -> None:
    plain = Engine(encyclopedia_engine.sources_dir, encyclopedia_engine.index_dir,
                   settings=PLAIN_BM25)
    ours = _encyclopedia_report(encyclopedia_engine)
    assert ours.hit1 > _encyclopedia_report(plain).hit1 + 0.2


def test_title_rows_reach_sentences_that_do_not_name_the_subject(
        encyclopedia_engine: Engine) -> None:
    result = encyclopedia_engine.ask("how high is kilimanjaro", top=5, context=0)
    assert any("5,895 metres" in p.text for p in result.passages)
    off = Engine(encyclopedia_engine.sources_dir, encyclopedia_engine.index_dir,
                 settings=SearchSettings().without("title_rows"))
    assert not any("5,895 metres" in p.text
                   for p in off.ask("how high is kilimanjaro", top=5, context=0).passages)


# encyclopedia_blind (tests/index/data/encyclopedia_blind/): 40 summaries; the 118 questions were
# written from the titles alone before the documents (encyclopedia_blind_questions.txt), 113
# answerable, 5 not. Measured with the defaults (top 3, all 40): hit@1 0.673, hit@3 0.885,
# abstentions 3/5, 1 wrongful abstention; plain BM25 hit@1 0.354, hit@3 0.637. (0.690 before
# session 20's meaning_first, which puts two other first passages here: known when it was
# pre-registered, landed on blind20's net; NOTES-rounds.md session 20.) (Before session 17
# it was 0.735 / 0.929: the "who/where" cue, removed then, gained 5 first passages here and
# nothing on any held-out news set, conversation file or WikiQA; README, answer quality.)
BLIND = DATA / "encyclopedia_blind"


@pytest.fixture(scope="module")
def blind_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine(BLIND, tmp_path_factory.mktemp("blind"))


def _blind_report(engine: Engine, restrict: bool) -> EvalReport:
    questions = load_questions(DATA / "encyclopedia_blind.jsonl")
    return evaluate(ask_json(engine, engine.settings, context=0, restrict=restrict), questions)


def test_blind_questions_match_the_question_list() -> None:
    listed = [line.split("|") for line in (DATA / "encyclopedia_blind_questions.txt").read_text(
        encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    questions = load_questions(DATA / "encyclopedia_blind.jsonl")
    assert [(d.strip(), q.strip()) for d, _, q in listed] == [(q.source, q.question)
                                                             for q in questions]
    assert all((BLIND / f"{q.source}.md").is_file() for q in questions)


@pytest.mark.parametrize("restrict", [True, False])
def test_encyclopedia_blind_figures(blind_engine: Engine, restrict: bool) -> None:
    report = _blind_report(blind_engine, restrict)
    assert report.hit1 >= 0.67, report.lines()
    assert report.hit3 >= 0.86, report.lines()
    assert report.mrr5 >= 0.765, report.lines()
    assert report.abstained_unanswerable >= 1, report.lines()
    assert report.wrongful_abstentions <= 7, report.lines()


def test_position_weight_helps_blind_questions(blind_engine: Engine) -> None:
    # What the signal adds to the word ranking (the semantic order off on both sides).
    words = SearchSettings().without("semantic_weight")
    on = Engine(blind_engine.sources_dir, blind_engine.index_dir, settings=words)
    off = Engine(blind_engine.sources_dir, blind_engine.index_dir,
                 settings=words.without("position_weight"))
    assert _blind_report(on, True).hit1 > _blind_report(off, True).hit1 + 0.05


def test_encyclopedia_blind_beats_plain_bm25(blind_engine: Engine) -> None:
    plain = Engine(blind_engine.sources_dir, blind_engine.index_dir, settings=PLAIN_BM25)
    assert _blind_report(blind_engine, False).hit1 > _blind_report(plain, False).hit1 + 0.2


# The article plus the ten multi_dev reports (../shared/eval/multi_dev), and the `meant` turns of
# the conversation set: questions no signal's weight was chosen on except where NOTES-quality.md
# says (synonym_weight and title_focus were set by 2-fold on multi_dev). Measured (top 3, ±1
# sentence, a declined answerable question a miss): multi_dev hit@1 0.783, hit@3 0.900, 4/12
# declined, 1 wrongly;
# plain BM25 0.650 / 0.783. conv_meant 0.846 / 0.923; plain BM25 0.744 / 0.923.
SHARED = REPO.parent / "shared" / "eval"


@pytest.fixture(scope="module")
def multi_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    import shutil

    folder = tmp_path_factory.mktemp("multi") / "sources"
    shutil.copytree(REPO / "sources", folder)
    for md in (SHARED / "multi_dev" / "sources").glob("*.md"):
        shutil.copy(md, folder / md.name)
    return Engine(folder, tmp_path_factory.mktemp("multi-index"))


def _multi(engine: Engine, settings: SearchSettings) -> EvalReport:
    questions = load_questions(SHARED / "multi_dev" / "questions.jsonl")
    return evaluate(ask_json(engine, settings), questions)


def test_multi_dev_figures(multi_engine: Engine) -> None:
    report = _multi(multi_engine, SearchSettings())
    assert report.hit1 >= 0.77, report.lines()
    assert report.hit3 >= 0.88, report.lines()
    assert report.abstained_unanswerable >= 4, report.lines()
    assert report.wrongful_abstentions <= 2, report.lines()


def test_multi_dev_beats_plain_bm25(multi_engine: Engine) -> None:
    ours, plain = _multi(multi_engine, SearchSettings()), _multi(multi_engine, PLAIN_BM25)
    assert ours.hit1 > plain.hit1 and ours.hit3 > plain.hit3, (ours.lines(), plain.lines())
    assert ours.abstained_unanswerable > plain.abstained_unanswerable


def test_conversation_meant_turns_beat_plain_bm25(real_engine: Engine) -> None:
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from quality import conversation_questions

    questions = conversation_questions(SHARED / "conversations_dev.jsonl")
    ours = evaluate(ask_json(real_engine, SearchSettings()), questions)
    plain = evaluate(ask_json(real_engine, PLAIN_BM25), questions)
    assert ours.hit1 >= 0.84 and ours.hit3 >= 0.92, ours.lines()
    assert ours.hit1 > plain.hit1 + 0.05, (ours.lines(), plain.lines())



def test_a_house_is_the_residence_or_home_the_reports_write() -> None:
    # "drones at putins house": the article writes "a Putin residence", another report "one of
    # Putin's country homes" (index/data/synonyms.txt).
    house, residence, home = (tokenize_phrase(w)[0] for w in ("house", "residence", "homes"))
    assert {residence, home} <= set(synonyms(house, [house]))
    assert house in synonyms(residence, [residence])


def test_grabbing_land_is_taking_it() -> None:
    # "how long till they grab the rest": the reports write "taking", "capture", "seize".
    grab, take, capture = (tokenize_phrase(w)[0] for w in ("grab", "taking", "capture"))
    assert {take, capture} <= set(synonyms(grab, [grab]))


def test_a_shahed_is_an_attack_drone() -> None:
    # Members call Russia's attack drones "shaheds"; reports write "attack drones".
    shahed, drone = (tokenize_phrase(w)[0] for w in ("shaheds", "drones"))
    assert drone in synonyms(shahed, [shahed])
