""""how many" asks for a count: a sentence whose only number is a day or a year holds none."""

from __future__ import annotations

import shutil
from pathlib import Path

from index.engine import Engine

REPO = Path(__file__).resolve().parents[2]
REPORTS = REPO.parent / "shared" / "eval" / "multi_dev" / "sources"


def test_a_count_leads_a_date_for_how_many(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(REPO / "sources", sources)
    for report in REPORTS.glob("*.md"):  # the article and the ten public reports
        shutil.copy(report, sources / report.name)
    engine = Engine(sources, tmp_path / "index")
    answer = engine.ask("how many russian troops are piled up around pokrovsk")
    texts = [p.text for p in answer.passages]
    assert answer.answered
    assert "155,000 troops" in texts[0]  # the count
    # The sentence whose number is a date ("on 30 November") is still shown, below it.
    assert any("on 30 November that Pokrovsk had fallen" in t for t in texts[1:])
