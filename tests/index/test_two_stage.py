"""The two-stage answer path gives the same answers as scoring every candidate, on every public
question set (and on a synthetic corpus large enough to prune hard)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

import index.answer as answer_module
import index.search as search_module
from index.engine import Engine
from index.evaluate import EvalQuestion, load_questions

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

from quality import conversation_questions  # noqa: E402
from synthetic import Corpus  # noqa: E402

SHARED = REPO.parent / "shared" / "eval"
DATA = REPO / "tests" / "index" / "data"


def _shape(engine: Engine, q: EvalQuestion) -> tuple:
    result = engine.ask(q.question, source=q.source)
    return (result.answered, result.abstention, result.unknown_terms,
            [(p.rank, p.score, p.sentence_ids, p.also_reported_by) for p in result.passages])


def _compare(engine: Engine, questions: list[EvalQuestion],
             monkeypatch: pytest.MonkeyPatch) -> int:
    """Ask each question two-stage (pruning on every question) and scoring all; count them."""
    monkeypatch.setattr(search_module, "_FULL_BELOW", 0)  # prune even small candidate sets
    monkeypatch.setattr(search_module, "_PRUNE_SHARE", 1.0)  # whatever the bound leaves
    pruned = [_shape(engine, q) for q in questions]
    full_score = search_module.score_query

    def score_all(*args, limit=None, **kwargs):
        return full_score(*args, **kwargs)

    monkeypatch.setattr(answer_module, "score_query", score_all)
    full = [_shape(engine, q) for q in questions]
    for q, a, b in zip(questions, pruned, full, strict=True):
        assert a == b, q.question
    return len(questions)


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
             [EvalQuestion(q.question, q.expect) for q in
              load_questions(DATA / "encyclopedia_blind.jsonl")])]


def test_same_answers_on_every_public_set(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    asked = 0
    for number, (sources, questions) in enumerate(_sets(tmp_path)):
        engine = Engine(sources, tmp_path / f"index-{number}")
        asked += _compare(engine, questions, monkeypatch)
        monkeypatch.undo()
    assert asked > 300


def test_same_answers_on_a_large_synthetic_corpus(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = Corpus(4000)
    corpus.write(tmp_path / "src")
    engine = Engine(tmp_path / "src", tmp_path / "index")
    questions = [EvalQuestion(q, None) for q in corpus.questions(150)]
    assert _compare(engine, questions, monkeypatch) == 150


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
