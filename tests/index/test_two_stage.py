"""The two-stage answer path (a shortlist from the first stage, every signal on it) gives the same
answers as scoring every candidate, on every public question set and on a synthetic corpus large
enough to cut hard. benchmarks/shortlist_size.py prints how small the shortlist could be."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

import index.search as search_module
from index.engine import Engine
from index.evaluate import EvalQuestion, load_questions
from index.settings import SearchSettings

REPO = Path(__file__).resolve().parents[2]
WORD_ORDER = SearchSettings().without("semantic_weight")
sys.path.insert(0, str(REPO / "benchmarks"))

from quality import conversation_questions  # noqa: E402
from shortlist_size import answer_shape, exhaustive_shapes, public_sets  # noqa: E402
from synthetic import Corpus  # noqa: E402

SHARED = REPO.parent / "shared" / "eval"
DATA = REPO / "tests" / "index" / "data"


def _multi_sources(tmp_path: Path) -> Path:
    folder = tmp_path / "multi"
    shutil.copytree(REPO / "sources", folder)
    for md in (SHARED / "multi_dev" / "sources").glob("*.md"):
        shutil.copy(md, folder / md.name)
    return folder


def _sets(tmp_path: Path) -> list[tuple[Path, list[EvalQuestion]]]:
    if not SHARED.is_dir():
        pytest.fail("the shared eval folder (../shared/eval) is missing")
    seed = [*load_questions(SHARED / "seed_dev.jsonl"), *load_questions(DATA / "own_dev.jsonl"),
            *conversation_questions(SHARED / "conversations_dev.jsonl")]
    return [(REPO / "sources", seed),
            (_multi_sources(tmp_path), load_questions(SHARED / "multi_dev" / "questions.jsonl")),
            (DATA / "encyclopedia_dev", load_questions(DATA / "encyclopedia_dev.jsonl")),
            (DATA / "encyclopedia_blind",
             [EvalQuestion(question=q.question, expect=q.expect) for q in
              load_questions(DATA / "encyclopedia_blind.jsonl")])]


def _compare(engine: Engine, questions: list[EvalQuestion], context: int) -> int:
    """Ask each question through the shortlist and scoring every candidate; count them."""
    full = exhaustive_shapes(engine, questions, context)
    for q, want in zip(questions, full, strict=True):
        assert answer_shape(engine, q, context) == want, q.question
    return len(questions)


def _counting_cuts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record, for every shortlisted question, how many candidates the shortlist left out."""
    cuts: list[int] = []
    real = search_module.shortlisted

    def counted(*args, **kwargs):
        picked = real(*args, **kwargs)
        everyone = real(*args[:6], None, *args[7:])  # the same call without a limit
        cuts.append(len(everyone) - len(picked))
        return picked

    monkeypatch.setattr(search_module, "shortlisted", counted)
    return cuts


def test_same_answers_on_every_public_set(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Every public question set (WikiQA's test split too), with context 0 and 1."""
    if not SHARED.is_dir():
        pytest.fail("the shared eval folder (../shared/eval) is missing")
    cuts = _counting_cuts(monkeypatch)
    asked = 0
    for number, (_, sources, questions) in enumerate(public_sets(tmp_path)):
        # The word engine's answers: the semantic order permutes the first three afterwards,
        # whichever stage chose them (it is on in the threads' test below).
        engine = Engine(sources, tmp_path / f"index-{number}", settings=WORD_ORDER)
        asked += sum(_compare(engine, questions, context) for context in (0, 1))
    assert asked > 2000
    # The shortlist really is shorter than the candidates on some of them (WikiQA's corpus).
    assert sum(1 for c in cuts if c > 0) > 20


def test_same_answers_on_a_large_synthetic_corpus(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cuts = _counting_cuts(monkeypatch)
    corpus = Corpus(4000)
    corpus.write(tmp_path / "src")
    engine = Engine(tmp_path / "src", tmp_path / "index")
    questions = [EvalQuestion(question=q, expect=None) for q in corpus.questions(150)]
    assert _compare(engine, questions, 1) == 150
    assert sum(1 for c in cuts if c > 0) > 50


def test_one_rows_scores_equal_its_scores_among_all_candidates(tmp_path: Path) -> None:
    from index.query import parse_query

    engine = Engine(_multi_sources(tmp_path), tmp_path / "index")
    snap, settings = engine.snapshot, engine.settings
    checked = 0
    for q in load_questions(SHARED / "multi_dev" / "questions.jsonl"):
        query = parse_query(q.question, snap.topics, settings)
        full = search_module.score_query(snap.index, query, settings)
        for slot in range(0, len(full.rows), max(1, len(full.rows) // 5)):
            one = search_module.score_query(snap.index, query, settings,
                                            at_row=int(full.rows[slot]))
            assert list(one.rows) == [full.rows[slot]], q.question
            assert one.scores[0] == full.scores[slot], q.question
            assert one.coverage[0] == full.coverage[slot], q.question
            checked += 1
    assert checked > 200


def test_answers_from_several_threads_at_once_equal_one_at_a_time(tmp_path: Path) -> None:
    """The per-index caches (row factors of each kind of question) fill while threads answer."""
    from concurrent.futures import ThreadPoolExecutor

    questions = load_questions(SHARED / "multi_dev" / "questions.jsonl")
    sources = _multi_sources(tmp_path)
    alone = Engine(sources, tmp_path / "index")
    expected = [answer_shape(alone, q, 1) for q in questions]
    shared = Engine(sources, tmp_path / "index")  # a new process's engine: nothing derived yet
    shared.open()
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda q: answer_shape(shared, q, 1), questions * 3))
    assert got == expected * 3


def test_a_word_only_a_title_holds_counts_in_the_first_stage(tmp_path: Path) -> None:
    """A question word only a title holds (no sentence) lifts that source's sentences into the
    shortlist by coord: 600 short sentences say "harvest"; the longer ones of the report titled
    "Zephyrine" are the answer only because its title names the rest of the question."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for number in range(30):
        sentences = " ".join(f"Harvest {number} began early." for _ in range(20))
        (sources / f"report-{number:02d}.md").write_text(
            f"---\ntitle: Report {number}\n---\n\n{sentences}\n", encoding="utf-8")
    sentences = " ".join(f"The harvest there began late under grey skies {i}." for i in range(20))
    (sources / "zephyrine.md").write_text(f"---\ntitle: Zephyrine\n---\n\n{sentences}\n",
                                          encoding="utf-8")
    engine = Engine(sources, tmp_path / "index")
    question = EvalQuestion(question="How was the harvest at Zephyrine?", expect=[])
    assert answer_shape(engine, question, 1) == exhaustive_shapes(engine, [question], 1)[0]
    assert engine.ask(question.question).passages[0].citation.source_id == "zephyrine"


def test_the_first_stages_look_ups_by_source_ranges_equal_per_row_ones(tmp_path: Path) -> None:
    """The title discount and the candidates of the sources a title names are found from the
    sources' row ranges; they equal a look-up of every row's source, stale scratch marks of
    earlier queries included."""
    import numpy as np

    from index import shortlist
    from index.evidence import title_focus
    from index.scratch import Scratch, distinct

    engine = Engine(_multi_sources(tmp_path), tmp_path / "index")
    index, settings = engine.snapshot.index, engine.settings
    postings, focus = index.postings, title_focus(index, settings)
    discounted = 0
    for term, hits in index.title_terms.items():
        if term not in postings.vocab:
            continue
        rows = postings.ids[postings.span(term)].astype(np.intp)
        share = np.zeros(len(index.sources))
        share[hits] = focus[hits]
        want = 1.0 - settings.title_discount * share[index.sent_source[rows]]
        got = shortlist._title_discounts(index, settings, rows, distinct(hits))
        assert np.array_equal(got, want), term
        discounted += int(np.count_nonzero(want != 1.0))
    assert discounted > 100
    rng, work = np.random.default_rng(7), Scratch().fit(index)
    for _ in range(50):  # one thread's scratch across queries: marks of earlier ones stay
        every = rng.choice(index.size, int(rng.integers(1, index.size)), replace=True)
        shortlist.candidates(every, work)
        sources = distinct(rng.choice(len(index.sources), 5))
        at, source = shortlist._candidates_of(index, sources, every, work)
        wanted = np.isin(index.sent_source, sources) & np.isin(np.arange(index.size), every)
        assert sorted(every[at]) == list(np.flatnonzero(wanted))
        assert np.array_equal(index.sent_source[every[at]], source)
