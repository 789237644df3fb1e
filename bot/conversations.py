"""Conversation state for follow-ups, in SQLite in the state folder: per thread or reply chain.

Stores nothing but the question text, the issue/party a command set, the channel and thread ids,
the ids of the bot's answer messages (so a reply to one continues it) and the passage keys shown.
A conversation idle longer than `follow_up_minutes` is over; only the last few turns are kept.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from index.conversation import MAX_TURNS, Turn
from index.errors import ConfigError
from index.models import PassageKey

from .statefiles import LOCKED_ERRORS, move_aside

log = logging.getLogger(__name__)
DB_NAME = "conversations.sqlite3"
CLOSE_WRITES_S = 5.0  # at shutdown, turns being written get this long before the store closes
_FAILURES = (sqlite3.Error, OSError, ValueError)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    conversation TEXT NOT NULL, channel_id INTEGER NOT NULL, thread_id INTEGER,
    question TEXT NOT NULL, issue TEXT, side TEXT, shown TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS turns_by_conversation ON turns (conversation, at);
CREATE TABLE IF NOT EXISTS answers (
    message_id INTEGER PRIMARY KEY, conversation TEXT NOT NULL, at REAL NOT NULL);
"""


def _open(path: Path) -> sqlite3.Connection:
    """The store's database, checked sound and with its tables; DatabaseError when damaged."""
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    try:
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("quick_check failed")
        db.executescript(_SCHEMA)
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def thread_conversation(thread_id: int) -> str:
    """The conversation key of a thread: every message in it is a turn."""
    return f"thread:{thread_id}"


def chain_conversation(first_message_id: int) -> str:
    """The conversation key of a reply chain, named by the message that started it."""
    return f"chain:{first_message_id}"


class ConversationStore:
    """Turns of conversations in SQLite; use the `a…` methods from the event loop."""

    def __init__(self, state_dir: Path, follow_up_minutes: float = 60.0,
                 clock: Callable[[], float] = time.time) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.path = state_dir / DB_NAME
        self.idle_seconds = follow_up_minutes * 60.0
        self._clock = clock
        self._lock = threading.Lock()
        self._closed = self._closing = False
        self._writes: set[asyncio.Future[None]] = set()  # turns being written, for aclose
        try:
            self._db = _open(self.path)
        except sqlite3.DatabaseError as exc:  # damaged: the turns are only context; start anew
            if getattr(exc, "sqlite_errorname", "") in LOCKED_ERRORS:  # held, not damaged: keep it
                raise ConfigError(f"the conversation store {self.path} is locked by another "
                                  f"process ({exc}); close it and start again") from None
            aside = move_aside(self.path)
            log.warning("conversation store %s was corrupt (%s); moved it to %s and started a "
                        "new one", self.path, exc, aside.name)
            self._db = _open(self.path)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._closed = self._closing = True
            self._db.close()

    async def aclose(self, timeout: float = CLOSE_WRITES_S) -> None:
        """Let the turns being written finish (bounded), then close: their answers were sent."""
        writes, self._closing = set(self._writes), True
        if writes:
            await asyncio.wait(writes, timeout=timeout)
        await asyncio.to_thread(self.close)

    def history(self, conversation: str) -> list[Turn]:
        """The conversation's last turns, oldest first; none when it has been idle too long."""
        with self._lock:
            rows = self._db.execute(
                "SELECT question, issue, side, shown, at FROM turns WHERE conversation = ?"
                " ORDER BY at DESC, rowid DESC LIMIT ?", (conversation, MAX_TURNS)).fetchall()
        if not rows or self._clock() - rows[0][4] > self.idle_seconds:
            return []
        return [Turn(question=q, issue=issue, side=side,
                     shown=tuple(PassageKey.parse(k) for k in shown.split("\n") if k))
                for q, issue, side, shown, _ in reversed(rows)]

    def add_turn(self, conversation: str, turn: Turn, *, channel_id: int,
                 thread_id: int | None = None, answer_message_id: int | None = None) -> None:
        """Remember a turn (dropping turns beyond the last few) and the answer message's id."""
        now = self._clock()
        shown = "\n".join(str(k) for k in turn.shown)
        with self._lock:
            if self._closed:  # the bot shut down while this answer was on its way
                log.debug("store closed; turn of %s not kept", conversation)
                return
            self._db.execute(
                "INSERT INTO turns (conversation, channel_id, thread_id, question, issue, side,"
                " shown, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (conversation, channel_id, thread_id, turn.question, turn.issue, turn.side,
                 shown, now))
            self._db.execute(
                "DELETE FROM turns WHERE conversation = ? AND rowid NOT IN (SELECT rowid FROM"
                " turns WHERE conversation = ? ORDER BY at DESC, rowid DESC LIMIT ?)",
                (conversation, conversation, MAX_TURNS))
            if answer_message_id is not None:
                self._db.execute("INSERT OR REPLACE INTO answers (message_id, conversation, at)"
                                 " VALUES (?, ?, ?)", (answer_message_id, conversation, now))
            self._db.execute("DELETE FROM turns WHERE at < ?", (now - self.idle_seconds,))
            self._db.execute("DELETE FROM answers WHERE at < ?", (now - self.idle_seconds,))

    def conversation_of_answer(self, message_id: int) -> str | None:
        """The conversation a bot answer message belongs to (a reply to it continues it)."""
        with self._lock:
            row = self._db.execute("SELECT conversation FROM answers WHERE message_id = ?",
                                   (message_id,)).fetchone()
        return str(row[0]) if row else None

    # The bot's side: off the event loop, and best effort. A store that cannot be read or written
    # (disk full, file damaged) turns follow-ups into ordinary questions; it never stops an answer.

    async def ahistory(self, conversation: str) -> list[Turn]:
        """`history` off the event loop; none when the store fails."""
        try:
            return await asyncio.to_thread(self.history, conversation)
        except _FAILURES as exc:
            log.warning("conversation store unreadable (%s); answering without context", exc)
            return []

    async def aadd_turn(self, conversation: str, turn: Turn, *, channel_id: int,
                        thread_id: int | None = None,
                        answer_message_id: int | None = None) -> None:
        """`add_turn` off the event loop; a failure is logged and the turn forgotten."""
        if self._closing:  # an answer finishing while the bot shuts down: nothing is wrong
            log.debug("bot closing; turn of %s not kept", conversation)
            return
        write = asyncio.ensure_future(asyncio.to_thread(
            self.add_turn, conversation, turn, channel_id=channel_id, thread_id=thread_id,
            answer_message_id=answer_message_id))
        self._writes.add(write)
        write.add_done_callback(self._writes.discard)
        try:
            await asyncio.shield(write)  # a cancelled answer still lets its turn be written
        except _FAILURES as exc:
            log.warning("conversation store unwritable (%s); turn not kept", exc)

    async def aconversation_of_answer(self, message_id: int) -> str | None:
        """`conversation_of_answer` off the event loop; None when the store fails."""
        try:
            return await asyncio.to_thread(self.conversation_of_answer, message_id)
        except _FAILURES as exc:
            log.warning("conversation store unreadable (%s); answering without context", exc)
            return None
