"""A follow-up goes through the shortlist too (its lead's source scored in full), and answers
exactly as scoring every candidate: on the public conversations, and on a synthetic corpus large
enough that the shortlist leaves most candidates out."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

import index.search as search_module
from index.conversation import Turn, next_turn
from index.engine import Engine
from index.evaluate_conversations import load_conversations
from index.settings import SearchSettings

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

from shortlist_size import exhaustive_mode  # noqa: E402
from synthetic import Corpus  # noqa: E402

SHARED = REPO.parent / "shared" / "eval"
# The word engine's turns: the semantic order permutes the first three after either stage.
WORD_ORDER = SearchSettings().without("semantic_weight")
FOLLOW_UPS = ("and why?", "who said that?", "how many?", "and the other side?", "when?")


def _shape(engine: Engine, question: str, history: Sequence[Turn]) -> tuple:
    """Everything of a turn's answer the shortlist must not change, and the turn to remember."""
    result = engine.ask_turn(question, history)
    return (result.answered, result.abstention, result.unknown_terms, result.understood_as,
            [(p.rank, p.score, p.sentence_ids, p.also_reported_by) for p in result.passages],
            ), next_turn(history, question, result)


def _conversation(engine: Engine, turns: Sequence[str]) -> list[tuple]:
    """Each turn's answer shape, asked in order with the turns before it."""
    history: list[Turn] = []
    shapes = []
    for question in turns:
        shape, turn = _shape(engine, question, history)
        shapes.append(shape)
        history.append(turn)
    return shapes


def _same_both_ways(engine: Engine, conversations: list[list[str]]) -> int:
    """Ask every conversation through the shortlist and with every candidate; count turns."""
    with exhaustive_mode():
        full = [_conversation(engine, turns) for turns in conversations]
    for turns, want in zip(conversations, full, strict=True):
        assert _conversation(engine, turns) == want, turns
    return sum(len(turns) for turns in conversations)


def _kept_counts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """For every follow-up shortlisted, how many candidates it kept beyond the shortlist size."""
    kept: list[int] = []
    real = search_module.shortlisted

    def counted(*args, **kwargs):
        picked = real(*args, **kwargs)
        if len(args) > 7 and args[7] is not None:
            kept.append(len(picked))
        return picked

    monkeypatch.setattr(search_module, "shortlisted", counted)
    return kept


def test_follow_ups_on_a_large_corpus_answer_as_scoring_every_candidate(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = Corpus(4000)
    corpus.write(tmp_path / "src")
    engine = Engine(tmp_path / "src", tmp_path / "index")
    questions = corpus.questions(120)
    # A question, two elliptical follow-ups, and a full question mid-conversation.
    conversations = [[q, FOLLOW_UPS[i % 5], FOLLOW_UPS[(i + 2) % 5], questions[-1 - i]]
                     for i, q in enumerate(questions[:60])]
    kept = _kept_counts(monkeypatch)
    assert _same_both_ways(engine, conversations) == 240
    # The shortlist path really ran for follow-ups, and cut hard (4,000 sentences).
    assert len(kept) > 100
    assert sum(1 for k in kept if k < 1000) > 100


def test_public_conversations_answer_as_scoring_every_candidate(tmp_path: Path) -> None:
    if not SHARED.is_dir():
        pytest.fail("the shared eval folder (../shared/eval) is missing")
    folder = tmp_path / "multi"
    shutil.copytree(REPO / "sources", folder)
    for md in (SHARED / "multi_dev" / "sources").glob("*.md"):
        shutil.copy(md, folder / md.name)
    files = [(REPO / "sources", SHARED / "conversations_dev.jsonl"),
             *((folder, path) for path in sorted((REPO / "benchmarks" / "data").glob(
                 "conversations_multi_*.jsonl")))]
    turns = 0
    for number, (sources, path) in enumerate(files):
        engine = Engine(sources, tmp_path / f"index-{number}", settings=WORD_ORDER)
        conversations = [[t.say for t in c.turns] for c in load_conversations(path)]
        turns += _same_both_ways(engine, conversations)
    assert turns > 100


def test_the_lead_lifts_a_sentence_of_the_shown_source_that_the_shortlist_left_out(
        tmp_path: Path) -> None:
    """2,000 short sentences say "harvest festival" better than the one long sentence of the
    report just shown; the follow-up's lead for that report still puts it first among them, as
    scoring every candidate does, though the first stage ranks it below the shortlist's 384 and
    it is too far from the shown passage to be scored as its neighbour."""
    folder = tmp_path / "src"
    folder.mkdir()
    filler = ("the committee met again on tuesday and discussed several other matters at some "
              "length before adjourning")
    report = ["# Regional report", "The zephyrine valley held its vote.",
              *(f"Item {i}: {filler}." for i in range(30)),
              f"Officials said the harvest festival would go ahead despite everything that "
              f"{filler} and the rain."]
    (folder / "a.md").write_text("\n\n".join(report) + "\n", encoding="utf-8")
    for f in range(40):
        notes = [f"# Report {f}", *(f"Note {f}-{i}: harvest festival fine." for i in range(50))]
        (folder / f"b{f}.md").write_text("\n\n".join(notes) + "\n", encoding="utf-8")
    engine = Engine(folder, tmp_path / "index")
    turns = [["what happened in the zephyrine valley", "and the harvest festival?"]]
    assert _same_both_ways(engine, turns) == 2
    history = [next_turn([], turns[0][0], engine.ask_turn(turns[0][0], []))]
    lifted = engine.ask_turn(turns[0][1], history).passages
    assert [p.citation.source_id for p in lifted[:2]] == ["a", "a"]
    assert "Officials said the harvest festival" in lifted[1].text
