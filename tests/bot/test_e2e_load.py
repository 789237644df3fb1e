"""Issue 5: 200 /ask at once, during a background rebuild, are all acknowledged within 3 s."""

from __future__ import annotations

from .conftest import ROSATOM, Starter, plain
from .loadkit import ask_many_during, write_corpus

SENTENCES = 10_000  # the 100k-sentence figures come from benchmarks/bot_load.py (a rebuild ≈ 25 s)


async def test_200_simultaneous_questions_during_a_rebuild(start_bot: Starter) -> None:
    running = await start_bot()
    write_corpus(running.sources / "synthetic", SENTENCES)
    result = await ask_many_during(running.fake, running.bot.rebuild, count=200)
    print("\n" + "\n".join(result.lines()))
    assert len(result.interactions) == 200
    for ix in result.interactions:
        assert ix.acknowledged_in is not None and ix.acknowledged_in < 3, ix
        assert not ix.expired and not ix.rejected
        assert ix.responses[0] == ("callback", {"type": 5})
        assert ix.messages and ix.messages[-1].get("embeds"), ix.responses
    assert running.bot.engine.snapshot.index.size > SENTENCES  # the rebuild was swapped in
    first = result.interactions[0].messages[-1]
    text = plain(" ".join(f["value"] for f in first["embeds"][0].get("fields", [])))
    assert ROSATOM in text
