"""Fault injection: the feedback database locked or corrupt while questions arrive.

Every question is still answered (acknowledged within Discord's 3 s, which the fake enforces);
More and votes keep working from memory while the file is locked, and a corrupt file is moved
aside and replaced by a new one.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.conversations import DB_NAME as CONVERSATIONS_DB
from bot.feedback import DB_NAME
from tests.fakediscord import FakeInteraction

from .conftest import ROSATOM, ZAPORIZHZHIA_Q, Running, Starter, custom_ids, fields_text, plain
from .loadkit import QUESTIONS

GARBAGE = b"this is not a database, it is a shopping list: eggs, flour, milk\n" * 64


async def questions_arrive(running: Running, count: int = 20) -> list[FakeInteraction]:
    """`count` /ask and `count // 2` answer-channel messages at once; all must be answered."""
    fake = running.fake
    interactions = await asyncio.gather(*(
        fake.slash_command("ask", {"question": QUESTIONS[i % len(QUESTIONS)]},
                           user=("member", "admin", "owner")[i % 3]) for i in range(count)))
    for i in range(count // 2):
        await fake.send_message(QUESTIONS[i % len(QUESTIONS)], channel="answers")
    await asyncio.gather(*(ix.wait_done(timeout=10, settle=0) for ix in interactions))
    replies = await fake.wait_for_messages("answers", count // 2, timeout=10)
    for ix in interactions:
        assert ix.acknowledged_in is not None and ix.acknowledged_in < 3, ix
        assert ix.messages[-1].get("embeds"), ix.responses
    assert all(r.embeds for r in replies)
    return list(interactions)


def answer_of(running: Running, ix: FakeInteraction):
    """The posted answer message of an interaction (the one with buttons)."""
    return next(m for m in running.fake.posted_messages if m.interaction_id == ix.id)


async def click(running: Running, message, prefix: str, user: str = "member") -> FakeInteraction:
    custom_id = next(c for c in custom_ids(message) if c.startswith(prefix))
    ix = await running.fake.click_button(message, custom_id, user=user)
    return await ix.wait_done(timeout=10)


def count_rows(path: Path, table: str) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        db.close()


async def test_a_locked_database_delays_nothing_and_loses_nothing(
        running: Running, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="bot.feedback")
    bot = running.bot
    assert await bot.feedback.flush()
    path = running.config.state_dir / DB_NAME
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # as a backup or the sqlite shell would
    try:
        interactions = await questions_arrive(running)
        assert not await bot.feedback.flush(), "the file is locked"
        message = answer_of(running, interactions[0])
        more = await click(running, message, "citebot:more:")
        assert more.messages[-1]["embeds"][0]["footer"]["text"].startswith("Passages 4–6")
        vote = await click(running, message, "citebot:vote:up:")
        assert vote.content.startswith("Thanks for the feedback")
    finally:
        holder.rollback()
        holder.close()
    assert any("unavailable" in r.getMessage() for r in caplog.records)
    assert await bot.feedback.flush()
    assert count_rows(path, "votes") == 1
    assert count_rows(path, "asked") >= 20 + 10 + 1  # every answer, the More page too


async def test_a_database_corrupted_while_running_is_moved_aside_and_replaced(
        running: Running, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="bot.feedback")
    bot = running.bot
    before = await questions_arrive(running, count=4)
    assert await bot.feedback.flush()
    path = running.config.state_dir / DB_NAME
    path.write_bytes(GARBAGE)
    after = await questions_arrive(running)
    assert await bot.feedback.flush()
    assert list(path.parent.glob(f"{DB_NAME}.corrupt-*"))
    assert count_rows(path, "asked") >= 20 + 10
    assert any("was corrupt" in r.getMessage() for r in caplog.records)
    vote = await click(running, answer_of(running, after[0]), "citebot:vote:down:")
    assert vote.content.startswith("Thanks")
    # an answer from before: More still ends in a message (its record may be lost with the file)
    more = await click(running, answer_of(running, before[0]), "citebot:more:")
    assert more.messages and (more.messages[-1].get("embeds") or
                              "no longer have that question" in more.content)


async def test_a_corrupt_database_at_start_does_not_stop_the_bot(
        start_bot: Starter, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / DB_NAME).write_bytes(GARBAGE)
    running = await start_bot()
    ix = await running.ask("ask", {"question": ZAPORIZHZHIA_Q})
    assert ROSATOM in plain(fields_text(ix.messages[-1]))
    assert await running.bot.feedback.flush()
    assert list(state.glob(f"{DB_NAME}.corrupt-*"))
    assert count_rows(state / DB_NAME, "asked") == 1



async def test_a_corrupt_conversation_database_at_start_does_not_stop_the_bot(
        start_bot: Starter, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / CONVERSATIONS_DB).write_bytes(GARBAGE)  # a disk error, a bad restore from backup
    running = await start_bot()
    fake = running.fake
    await fake.send_message("what state are the zaporizhzhia reactors in", mention_bot=True)
    [answer] = await fake.wait_for_messages("general")
    assert "cold shutdown" in plain(fields_text(answer))
    assert [p.read_bytes() for p in state.glob(f"{CONVERSATIONS_DB}.corrupt-*")] == [GARBAGE]
    # The new store works: a reply to the answer is a follow-up, read with the first turn.
    async def remembered() -> bool:
        return await running.bot.conversations.aconversation_of_answer(answer.id) is not None
    await running.eventually(remembered, timeout=5.0, every=0.02)
    await fake.send_message("for how long now?", reply_to=answer)
    [follow_up] = await fake.wait_for_messages("general")
    assert follow_up.content.startswith("Reading this as: for how long now — state zaporizhzhia")
