"""The bot's shutdown ends promptly: background work that is cancelled stops, and close is bounded.

A CI run once hung for minutes in a bot test's teardown: Python 3.11's `asyncio.wait_for` swallowed
the cancel that `CitebotBot.close` sent to the feedback writer when it arrived just after the
writer's wake-up, so the writer looped on and close waited for it forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import pytest

import bot.app
from bot.feedback import FeedbackStore
from tests.bot.conftest import Running


@pytest.mark.parametrize("turns_after_wake", range(6))
async def test_feedback_writer_stops_when_cancelled_just_after_a_wake_up(
        tmp_path: Path, turns_after_wake: int) -> None:
    store = FeedbackStore(tmp_path)
    writer = asyncio.create_task(store.run())
    for _ in range(3):  # let the writer reach its wait
        await asyncio.sleep(0)
    store._wake.set()  # what remember() and vote() do
    for _ in range(turns_after_wake):
        await asyncio.sleep(0)
    writer.cancel()
    done, _ = await asyncio.wait({writer}, timeout=2.0)
    if not done:  # a swallowed cancel: stop the loop before failing
        writer.cancel()
        await asyncio.wait({writer}, timeout=2.0)
    await store.close()
    assert done, "the feedback writer ignored its cancellation"
    assert writer.cancelled()


async def test_close_ends_even_when_background_work_ignores_cancel(
        running: Running, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(bot.app, "CLOSE_TASKS_S", 0.3)
    release = asyncio.Event()

    async def stubborn() -> None:
        while not release.is_set():
            with contextlib.suppress(asyncio.CancelledError):
                await release.wait()

    running.bot._start(stubborn(), "stubborn-work")
    await asyncio.sleep(0)
    with caplog.at_level(logging.ERROR, logger="bot.app"):
        async with asyncio.timeout(10):
            await running.bot.close()
    try:
        assert running.bot.is_closed()
        assert "did not stop within" in caplog.text
        assert "stubborn-work" in caplog.text
    finally:
        release.set()
