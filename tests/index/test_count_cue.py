""""how many" asks for a count: a sentence whose only number is a day or a year holds none."""

from __future__ import annotations

from dataclasses import replace

from index.engine import Engine


def test_a_count_leads_a_date_for_how_many(news_engine: Engine) -> None:
    # The cue orders the words' ranking (the semantic order, which may reorder it, off here).
    news_engine.settings = replace(news_engine.settings, semantic_weight=0.0)
    answer = news_engine.ask("how many russian troops are piled up around pokrovsk")
    texts = [p.text for p in answer.passages]
    assert answer.answered
    assert "155,000 troops" in texts[0]  # the count
    # The sentence whose number is a date ("on 30 November") is still shown, below it.
    assert any("on 30 November that Pokrovsk had fallen" in t for t in texts[1:])
