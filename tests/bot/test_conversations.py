"""Follow-up state in SQLite: per conversation, last few turns, idle expiry, survives reopening."""

import asyncio
import logging
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from bot.conversations import (
    DB_NAME,
    ConversationStore,
    chain_conversation,
    thread_conversation,
)
from index.conversation import MAX_TURNS, Turn
from index.errors import ConfigError
from index.models import PassageKey

KEY = PassageKey.of("peace-talks-sticking-points", "A sentence.")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_turns_survive_reopening_and_conversations_stay_apart(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    store.add_turn(thread_conversation(1), Turn(question="first", shown=(KEY,)), channel_id=10,
                   thread_id=1, answer_message_id=500)
    store.add_turn(thread_conversation(2), Turn(question="other"), channel_id=10, thread_id=2)
    store.close()
    reopened = ConversationStore(tmp_path)
    assert reopened.history(thread_conversation(1)) == [Turn(question="first", shown=(KEY,))]
    assert reopened.history(thread_conversation(2)) == [Turn(question="other")]
    assert reopened.conversation_of_answer(500) == thread_conversation(1)
    assert reopened.conversation_of_answer(501) is None


def test_only_the_last_few_turns_are_kept(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    for i in range(MAX_TURNS + 3):
        store.add_turn(chain_conversation(7), Turn(question=f"q{i}", issue="nato", side="russia"),
                       channel_id=10)
    history = store.history(chain_conversation(7))
    assert [t.question for t in history] == [f"q{i}" for i in range(3, MAX_TURNS + 3)]
    assert history[-1].issue == "nato" and history[-1].side == "russia"
    rows = store._db.execute("SELECT COUNT(*) FROM turns").fetchone()[0]
    assert rows == MAX_TURNS


def test_an_idle_conversation_expires(tmp_path: Path) -> None:
    clock = Clock()
    store = ConversationStore(tmp_path, follow_up_minutes=60, clock=clock)
    store.add_turn(thread_conversation(1), Turn(question="first"), channel_id=10,
                   answer_message_id=9)
    clock.now += 59 * 60
    assert store.history(thread_conversation(1)) == [Turn(question="first")]
    clock.now += 2 * 60
    assert store.history(thread_conversation(1)) == []
    store.add_turn(thread_conversation(3), Turn(question="new"), channel_id=10)  # prunes old rows
    assert store.conversation_of_answer(9) is None
    assert store._db.execute("SELECT COUNT(*) FROM turns").fetchone()[0] == 1


def test_only_questions_ids_and_passage_keys_are_stored(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    store.add_turn(thread_conversation(1), Turn(question="q", understood_as="q — x", shown=(KEY,)),
                   channel_id=10, thread_id=1)
    columns = [r[1] for r in store._db.execute("PRAGMA table_info(turns)")]
    assert columns == ["conversation", "channel_id", "thread_id", "question", "issue", "side",
                       "shown", "at"]
    assert store._db.execute("SELECT shown FROM turns").fetchone()[0] == str(KEY)


async def test_a_broken_store_means_no_context_never_a_failure(tmp_path: Path, caplog) -> None:
    store = ConversationStore(tmp_path)
    store.add_turn(thread_conversation(1), Turn(question="first"), channel_id=10,
                   answer_message_id=5)
    store._db.close()  # the database fails under the open store: every call fails in sqlite
    assert await store.ahistory(thread_conversation(1)) == []
    assert await store.aconversation_of_answer(5) is None
    await store.aadd_turn(thread_conversation(1), Turn(question="second"), channel_id=10)
    assert [r.levelname for r in caplog.records].count("WARNING") == 3


def test_a_turn_finishing_after_close_is_dropped_quietly(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # An answer still in flight when the bot shuts down must not log a store failure.
    store = ConversationStore(tmp_path)
    store.close()
    with caplog.at_level(logging.WARNING, logger="bot.conversations"):
        asyncio.run(store.aadd_turn(thread_conversation(1), Turn(question="late"), channel_id=10))
    assert not caplog.records
    assert ConversationStore(tmp_path).history(thread_conversation(1)) == []


def test_a_turn_being_written_when_the_bot_closes_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    # The answer was sent; its turn was on its way to the disk when shutdown began.
    store = ConversationStore(tmp_path)
    started = threading.Event()
    real = store.add_turn

    def slow_add(*args: object, **kwargs: object) -> None:
        started.set()
        time.sleep(0.2)
        real(*args, **kwargs)

    monkeypatch.setattr(store, "add_turn", slow_add)

    async def answer_then_close() -> None:
        write = asyncio.create_task(
            store.aadd_turn(thread_conversation(1), Turn(question="in flight"), channel_id=10))
        await asyncio.to_thread(started.wait, 5)
        await store.aclose()
        await write
        # One arriving after close began is dropped quietly.
        await store.aadd_turn(thread_conversation(1), Turn(question="too late"), channel_id=10)

    with caplog.at_level(logging.WARNING, logger="bot.conversations"):
        asyncio.run(answer_then_close())
    assert not caplog.records
    kept = ConversationStore(tmp_path).history(thread_conversation(1))
    assert [t.question for t in kept] == ["in flight"]


def test_a_locked_database_at_start_is_not_taken_for_a_damaged_one(tmp_path: Path) -> None:
    # Held by another process (the sqlite3 shell, a backup): waiting, then one clear error; the
    # turns are kept, never moved aside as if the file were corrupt.
    store = ConversationStore(tmp_path)
    store.add_turn(thread_conversation(1), Turn(question="first"), channel_id=10)
    store.close()
    holder = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(ConfigError, match="is locked by another process"):
            ConversationStore(tmp_path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not list(tmp_path.glob(f"{DB_NAME}.corrupt-*"))
    assert ConversationStore(tmp_path).history(thread_conversation(1)) == [Turn(question="first")]
