"""Votes and what answer buttons need, in SQLite; written in the background, never in the way.

Answers never wait for this store. What an answer's buttons need is remembered in memory at once
and written by one background task on one worker thread, with a short busy timeout: while the
file is locked (a backup, the sqlite shell) records wait in memory and are retried; a corrupt file
is moved aside and recreated; questions older than `keep_days` are pruned.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import itertools
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from index.models import PassageKey

from .requests import Request, request_from_json, request_to_json
from .statefiles import LOCKED_ERRORS, move_aside

log = logging.getLogger(__name__)
T = TypeVar("T")

DB_NAME = "feedback.sqlite3"
SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 0.2  # a locked file makes a write wait this long at most, then it is retried
LOOKUP_TIMEOUT_S = 1.0
RETRY_S = 2.0  # after a failed write
FLUSH_S = 0.5  # how often remembered records are written
PRUNE_EVERY_S = 3600.0
PENDING_MAX = 10_000  # records held in memory while the file is unavailable
_SCHEMA = """
CREATE TABLE IF NOT EXISTS asked (
    id INTEGER PRIMARY KEY, request TEXT NOT NULL, shown INTEGER NOT NULL,
    passages TEXT NOT NULL, created_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS asked_created ON asked (created_at);
CREATE TABLE IF NOT EXISTS votes (
    asked_id INTEGER NOT NULL, voter TEXT NOT NULL, request TEXT NOT NULL,
    passages TEXT NOT NULL, vote INTEGER NOT NULL, created_at REAL NOT NULL,
    PRIMARY KEY (asked_id, voter));
"""


class StoreUnavailableError(Exception):
    """The feedback file cannot be read just now (locked, or being repaired)."""


@dataclass(frozen=True, kw_only=True)
class Asked:
    """An answered question, so that its buttons work later (after restarts too): no author."""

    id: int
    request: Request
    shown: int
    passages: tuple[PassageKey, ...]
    created_at: float


@dataclass(frozen=True, kw_only=True)
class Vote:
    """One member's 👍 (+1) or 👎 (-1) on one answer; `voter` is a hash, not the member's id."""

    asked: Asked
    voter: str
    vote: int


def voter_hash(asked_id: int, user_id: int) -> str:
    """A per-answer pseudonym: one vote per member per answer without storing who voted."""
    return hashlib.sha256(f"{asked_id}:{user_id}".encode()).hexdigest()[:16]


def _keys_text(keys: tuple[PassageKey, ...]) -> str:
    return "\n".join(map(str, keys))


def _keys_from(text: str) -> tuple[PassageKey, ...]:
    return tuple(PassageKey.parse(line) for line in text.splitlines() if line)


class FeedbackStore:
    """Remember answers and votes at once; write them to `feedback.sqlite3` in the background."""

    def __init__(self, state_dir: Path, *, keep_days: float = 30.0) -> None:
        self.path = state_dir / DB_NAME
        self.keep_seconds = keep_days * 86400.0
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="citebot-feedback")
        self._checked = False  # whether the file was checked and its tables made (worker thread)
        self._asked: dict[int, Asked] = {}  # remembered, not yet written
        self._votes: dict[tuple[int, str], Vote] = {}
        self._wake = asyncio.Event()
        self._ids = itertools.count()
        self._failing_since: float | None = None
        self._pruned_at = 0.0
        self._closed = False

    # ---- the event loop's side ------------------------------------------------------------------

    def new_id(self) -> int:
        """A fresh answer id (microseconds since the epoch, made unique): no database needed."""
        return time.time_ns() // 1000 * 1000 + next(self._ids) % 1000

    def remember(self, asked: Asked) -> None:
        """Keep an answered question (written soon); dropped with a warning when far behind."""
        if len(self._asked) >= PENDING_MAX:
            log.warning("feedback store far behind; not keeping answer %d for More", asked.id)
            return
        self._asked[asked.id] = asked
        self._wake.set()

    def vote(self, vote: Vote) -> bool:
        """Keep a vote (a member's later vote on the same answer replaces it); False if off."""
        key = (vote.asked.id, vote.voter)
        if len(self._votes) >= PENDING_MAX and key not in self._votes:
            return False
        self._votes[key] = vote
        self._wake.set()
        return True

    async def lookup(self, asked_id: int) -> Asked | None:
        """The answered question with this id; StoreUnavailableError when it cannot be read now."""
        if asked_id in self._asked:
            return self._asked[asked_id]
        try:
            async with asyncio.timeout(LOOKUP_TIMEOUT_S):
                return await self._call(self._select, asked_id)
        except (TimeoutError, sqlite3.Error, OSError, ValueError) as exc:
            raise StoreUnavailableError(str(exc) or type(exc).__name__) from None

    async def run(self) -> None:
        """Write what was remembered, prune old questions, recover from faults; until cancelled."""
        while True:
            # asyncio.timeout, not wait_for: Python 3.11's wait_for swallows a cancel that arrives
            # just after the wake-up, and then this loop (and the bot's close) never ends.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(FLUSH_S):
                    await self._wake.wait()
            self._wake.clear()
            if not await self.flush():
                await asyncio.sleep(RETRY_S)

    async def flush(self) -> bool:
        """Write what is remembered now; whether it worked (a failure is logged, not raised)."""
        asked, votes = list(self._asked.values()), list(self._votes.values())
        try:
            await self._call(self._write, asked, votes, time.time())
        except (sqlite3.Error, OSError) as exc:
            self._failed(exc)
            return False
        for record in asked:
            self._asked.pop(record.id, None)
        for vote in votes:  # keep a vote that was changed while this one was written
            if self._votes.get((vote.asked.id, vote.voter)) is vote:
                del self._votes[(vote.asked.id, vote.voter)]
        if self._failing_since is not None:
            log.warning("feedback store %s is writable again after %.0f s", self.path,
                        time.monotonic() - self._failing_since)
            self._failing_since = None
        return True

    async def close(self) -> None:
        """Write what is left (once, briefly), close the file and stop the worker thread."""
        if self._closed:
            return
        self._closed = True
        try:
            async with asyncio.timeout(2 * LOOKUP_TIMEOUT_S):
                written = await self.flush()
        except TimeoutError:
            written = False
        if not written and (self._asked or self._votes):
            log.warning("feedback store: %d answers and %d votes could not be written at exit",
                        len(self._asked), len(self._votes))
        self._pool.shutdown(wait=False)

    def _failed(self, exc: BaseException) -> None:
        """Log a write failure once per outage."""
        if self._failing_since is None:
            self._failing_since = time.monotonic()
            log.warning("feedback store %s unavailable (%s); answers go on, votes and More are "
                        "kept in memory and written when it is back", self.path, exc)

    async def _call(self, work: Callable[..., T], *args: object) -> T:
        """Run `work` on the store's one worker thread."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, work, *args)

    # ---- the worker thread's side ---------------------------------------------------------------

    @contextlib.contextmanager
    def _session(self) -> Iterator[sqlite3.Connection]:
        """A connection for one piece of work, closed after it.

        A fresh connection each time notices a file replaced or damaged underneath at once,
        where a long-lived one would write over it from a stale cache.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fresh = not self._checked or not self.path.exists()
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            if fresh:
                self._prepare(db)
            yield db
        finally:
            db.close()

    def _prepare(self, db: sqlite3.Connection) -> None:
        """Check the file is sound (once), and create or upgrade the tables."""
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("quick_check failed")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version < SCHEMA_VERSION:
            self._upgrade(db, version)
        db.executescript(_SCHEMA)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._checked = True

    def _repairing(self, work: Callable[[], T]) -> T:
        """Do `work`; if the file turns out corrupt, move it aside and do it again on a new one."""
        try:
            return work()
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorname", "") in LOCKED_ERRORS:
                raise
            self._move_aside(exc)
            return work()

    def _upgrade(self, db: sqlite3.Connection, version: int) -> None:
        """From the first format (row numbers, not passage keys): keep old votes aside."""
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "votes" in tables:
            db.execute("ALTER TABLE votes RENAME TO votes_v1")
            log.warning("feedback store: votes from before version %d (which name sentence row "
                        "numbers) kept in table votes_v1", SCHEMA_VERSION)
        if "asked" in tables:
            db.execute("DROP TABLE asked")

    def _move_aside(self, exc: BaseException) -> None:
        """Rename a corrupt file (and its journal) out of the way, so a fresh one can be made."""
        self._checked = False
        aside = move_aside(self.path)
        log.warning("feedback store %s was corrupt (%s); moved it to %s and started a new one",
                    self.path, exc, aside.name)

    def _write(self, asked: list[Asked], votes: list[Vote], now: float) -> None:
        """Write records in one transaction, and prune old questions now and then."""
        self._repairing(lambda: self._write_once(asked, votes, now))

    def _write_once(self, asked: list[Asked], votes: list[Vote], now: float) -> None:
        prune = now - self._pruned_at > PRUNE_EVERY_S
        if not (asked or votes or prune):
            return
        with self._session() as db, db:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO asked VALUES (?, ?, ?, ?, ?)", [
                (a.id, request_to_json(a.request), a.shown, _keys_text(a.passages), a.created_at)
                for a in asked])
            db.executemany("INSERT OR REPLACE INTO votes VALUES (?, ?, ?, ?, ?, ?)", [
                (v.asked.id, v.voter, request_to_json(v.asked.request),
                 _keys_text(v.asked.passages), v.vote, now) for v in votes])
            if prune:
                gone = db.execute("DELETE FROM asked WHERE created_at < ?",
                                  (now - self.keep_seconds,)).rowcount
                if gone:
                    log.info("feedback store: forgot %d questions older than %.0f days", gone,
                             self.keep_seconds / 86400)
        if prune:
            self._pruned_at = now

    def _select(self, asked_id: int) -> Asked | None:
        return self._repairing(lambda: self._select_once(asked_id))

    def _select_once(self, asked_id: int) -> Asked | None:
        with self._session() as db:
            row = db.execute("SELECT id, request, shown, passages, created_at FROM asked"
                             " WHERE id = ?", (asked_id,)).fetchone()
        if row is None:
            return None
        return Asked(id=row[0], request=request_from_json(row[1]), shown=row[2],
                     passages=_keys_from(row[3]), created_at=row[4])
