"""Engine.warm (index/warm.py) makes a serving process's one-off tables before its first question,
and no answer changes for it."""

from __future__ import annotations

import json
from pathlib import Path

from index import names
from index.engine import Engine

RECORDED = Path(__file__).parent / "data" / "recorded_answers.json"
# Misspelt names too: they read the misspelling table warm() makes.
TYPED = ["What does Zelenksy want?", "what did kharkov say", "Is zelenskyy ready to talk?"]


def _questions() -> list[str]:
    """The recorded questions about the bundled article (set 0), and a few misspelt ones."""
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    article = [r["question"] for r in recorded if r["set"] == 0]
    assert len(article) > 50
    return [*article, *TYPED]


def test_warm_makes_the_one_off_tables_and_changes_no_answer(sources_dir: Path,
                                                             tmp_path: Path) -> None:
    cold = Engine(sources_dir, tmp_path / "cold")
    cold.open()
    warmed = Engine(sources_dir, tmp_path / "warmed")
    warmed.open()
    index = warmed.snapshot.index
    assert not any(isinstance(k, tuple) and k[0] == "factors" for k in index._derived)
    warmed.warm()
    # Made before any question: every kind of question's row factors warm() knows, every
    # shape of the misspelling table, the index's derived arrays.
    kinds = [k for k in index._derived if isinstance(k, tuple) and k[0] == "factors"]
    assert len(kinds) >= 4
    spellings = names._spellings(index.postings.vocab)
    assert set(spellings.folded) == set(spellings.shapes)
    assert "para_first" in vars(index) and "title_term_counts" in vars(index)
    for question in _questions():
        assert repr(warmed.ask(question)) == repr(cold.ask(question)), question
