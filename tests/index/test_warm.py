"""Engine.warm (index/warm.py) makes a serving process's one-off tables before its first question,
and no answer changes for it."""

from __future__ import annotations

import json
import shutil
import threading
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
    assert len(kinds) >= 3  # a statement's (and who/where's), a time's, a count's, a reason's
    spellings = names._spellings(index.postings.vocab)
    assert set(spellings.folded) == set(spellings.shapes)
    assert "para_first" in vars(index) and "title_term_counts" in vars(index)
    for question in _questions():
        assert repr(warmed.ask(question)) == repr(cold.ask(question)), question


def _warm_threads_done(timeout: float = 60.0) -> None:
    """Wait for the warm-up threads keep_warm started."""
    for thread in threading.enumerate():
        if thread.name == "citebot-warm":
            thread.join(timeout)


def test_keep_warm_warms_every_index_it_publishes(sources_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "served"
    shutil.copytree(sources_dir, folder)
    engine = Engine(folder, tmp_path / "index")
    engine.open()
    engine.keep_warm()
    _warm_threads_done()
    first = engine.snapshot.index
    assert any(isinstance(k, tuple) and k[0] == "factors" for k in first._derived)
    (folder / "note.md").write_text("# Note\n\nThe talks resume in Geneva next week.\n",
                                    encoding="utf-8")
    engine.rebuild()
    _warm_threads_done()
    rebuilt = engine.snapshot.index
    assert rebuilt is not first
    assert any(isinstance(k, tuple) and k[0] == "factors" for k in rebuilt._derived)
