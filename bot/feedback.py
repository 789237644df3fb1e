"""Feedback votes and the state answer buttons need, in a SQLite file in the state folder."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "feedback.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS votes (
    question TEXT NOT NULL, passage_ids TEXT NOT NULL, vote INTEGER NOT NULL,
    created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS asked (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, question TEXT NOT NULL, source TEXT,
    shown INTEGER NOT NULL, passage_ids TEXT NOT NULL, created_at REAL NOT NULL);
"""


@dataclass(frozen=True)
class Asked:
    """A question that was answered, so its buttons work after a restart: no other content."""

    id: int
    kind: str  # "ask" or "issue:<key>[:<side>]"
    question: str
    source: str | None
    shown: int
    passage_ids: str


class FeedbackStore:
    """Votes and answered questions in SQLite; use the `a…` methods from the event loop."""

    def __init__(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.path = state_dir / DB_NAME
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def record_asked(self, kind: str, question: str, source: str | None, shown: int,
                     passage_ids: Sequence[int]) -> int:
        """Store an answered question; return its id for button custom ids."""
        ids = ",".join(map(str, passage_ids))
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO asked (kind, question, source, shown, passage_ids, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)", (kind, question, source, shown, ids, time.time()))
            return int(cur.lastrowid or 0)

    def asked(self, asked_id: int) -> Asked | None:
        """Return the stored question with this id, if any."""
        with self._lock:
            row = self._db.execute("SELECT id, kind, question, source, shown, passage_ids"
                                   " FROM asked WHERE id = ?", (asked_id,)).fetchone()
        return Asked(*row) if row else None

    def vote(self, question: str, passage_ids: str, vote: int) -> None:
        """Record a 👍 (+1) or 👎 (-1) for the passages shown for a question."""
        with self._lock:
            self._db.execute("INSERT INTO votes (question, passage_ids, vote, created_at)"
                             " VALUES (?, ?, ?, ?)", (question, passage_ids, vote, time.time()))

    def votes(self) -> list[tuple[str, str, int, float]]:
        """Return every vote, oldest first."""
        with self._lock:
            return list(self._db.execute(
                "SELECT question, passage_ids, vote, created_at FROM votes ORDER BY rowid"))

    async def arecord_asked(self, kind: str, question: str, source: str | None, shown: int,
                            passage_ids: Sequence[int]) -> int:
        """Store an answered question off the event loop."""
        return await asyncio.to_thread(self.record_asked, kind, question, source, shown,
                                       passage_ids)

    async def aasked(self, asked_id: int) -> Asked | None:
        """Look up a stored question off the event loop."""
        return await asyncio.to_thread(self.asked, asked_id)

    async def avote(self, question: str, passage_ids: str, vote: int) -> None:
        """Record a vote off the event loop."""
        await asyncio.to_thread(self.vote, question, passage_ids, vote)
