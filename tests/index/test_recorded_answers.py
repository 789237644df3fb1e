"""Answers equal those recorded from main before the answer path was sped up (issue 12).

The word engine's answers: the semantic order (index/semantic, tests/index/test_semantic.py)
only permutes the passages shown first, and is off here so that this record stays its own.

On every public question set: answered or not, why not, the unknown words, and each passage's
rows and score. Record again (only for a deliberate change of answers) with
`.venv/bin/python -m tests.index.test_recorded_answers`, from the repository root.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

from index.engine import Engine
from index.settings import SearchSettings

from .test_two_stage import REPO, _sets

RECORDED = REPO / "tests" / "index" / "data" / "recorded_answers.json"
WORD_ORDER = SearchSettings().without("semantic_weight")


def _answers(tmp_path: Path) -> list[dict]:
    """Every public question's answer, in a JSON-able shape."""
    out = []
    for number, (sources, questions) in enumerate(_sets(tmp_path)):
        engine = Engine(sources, tmp_path / f"index-{number}", settings=WORD_ORDER)
        for q in questions:
            a = engine.ask(q.question, source=q.source)
            out.append({"set": number, "question": q.question, "answered": a.answered,
                        "abstention": a.abstention, "unknown": list(a.unknown_terms),
                        "passages": [[list(p.sentence_ids), p.score] for p in a.passages]})
    return out


def test_answers_equal_the_recorded_ones(tmp_path: Path) -> None:
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    now = _answers(tmp_path)
    assert len(now) == len(recorded) > 300
    for was, is_ in zip(recorded, now, strict=True):
        assert {k: v for k, v in is_.items() if k != "passages"} == \
               {k: v for k, v in was.items() if k != "passages"}
        assert [p[0] for p in is_["passages"]] == [p[0] for p in was["passages"]], was["question"]
        for (_, score), (_, old) in zip(is_["passages"], was["passages"], strict=True):
            assert math.isclose(score, old, rel_tol=1e-9), was["question"]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        RECORDED.write_text(json.dumps(_answers(Path(folder)), indent=0), encoding="utf-8")
