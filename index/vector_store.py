"""The semantic order's vectors kept on disk: a passage shown before is not embedded again.

Four forward passes are most of what the semantic order costs (~0.1 s an answer), and most of it
is the three passages, which news questions keep landing on. Their vectors are kept in SQLite in
the user cache: the sources' text only, since index/semantic never keeps a question's vector
(which would outlive what the bot promises to keep of what users type). One file per model key:
a hash of the pinned weights and tokenizer, the forward pass's code, numpy's version and the
machine's architecture (all of which could change a vector's last bits), so it is derived, never
bumped by hand, and a vector is only ever read back by the code that would compute the same one.
A text's vector does not depend on what else is embedded with it (index/semantic_model), so an
answer is the same whether its vectors came from here or were computed now.

A cache, never a source of truth: anything wrong with it (a damaged or locked file, a full disk,
a vector of the wrong size or length) costs only the forward passes, and a file that is not a
database is replaced. Vectors are only written after the weights they came from passed their
hash check. At most MAX_VECTORS are kept (~80 MB); the oldest go first.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

MAX_VECTORS = 50_000  # the semantic order's index limit: a passage per sentence at most
_TIMEOUT_S = 0.5  # a store another process holds longer is skipped, not waited for
_SCHEMA = ("CREATE TABLE IF NOT EXISTS vectors "
           "(id INTEGER PRIMARY KEY, key BLOB NOT NULL UNIQUE, vector BLOB NOT NULL)")

Vector = npt.NDArray[np.float32]


def text_key(text: str) -> bytes:
    """The row key of a text: 16 bytes of its SHA-256 (the text itself is not stored)."""
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


class VectorStore:
    """Unit-length float32 vectors by text, in one SQLite file; every failure is a miss."""

    def __init__(self, path: Path, dimensions: int) -> None:
        self.path = path
        self._dimensions = dimensions
        self._lock = threading.Lock()  # one connection, shared by the bot's worker threads
        self._connection: sqlite3.Connection | None = None
        self._broken = False

    def get(self, texts: Sequence[str]) -> dict[str, Vector]:
        """The kept vectors of those texts that have one (a vector that looks wrong is left out)."""
        keys = {text_key(t): t for t in dict.fromkeys(texts)}
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        rows = self._run(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", list(keys))
        found = {}
        for key, blob in rows or ():
            vector = self._vector(blob)
            if vector is not None and key in keys:
                found[keys[key]] = vector
        return found

    def put(self, pairs: Iterable[tuple[str, Vector]]) -> None:
        """Keep these texts' vectors (of checked weights); the oldest beyond the cap go."""
        rows = [(text_key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in pairs]
        if rows:
            self._run("INSERT OR IGNORE INTO vectors (key, vector) VALUES (?, ?)", rows,
                      prune=True)

    @property
    def working(self) -> bool:
        """Whether the store is in use (False once it failed for good: see _failed)."""
        return not self._broken

    def close(self) -> None:
        """Close the connection (a later call opens it again)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _vector(self, blob: object) -> Vector | None:
        """A stored vector, if it is one: the right size, finite, of unit length."""
        if not isinstance(blob, bytes) or len(blob) != 4 * self._dimensions:
            return None
        vector = np.frombuffer(blob, dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        return vector if np.isfinite(norm) and abs(norm - 1.0) < 1e-3 else None

    def _run(self, sql: str, parameters: list, *, prune: bool = False) -> list | None:
        """One statement (many rows for a write), in its own transaction; None if it failed."""
        with self._lock:
            if self._broken:
                return None
            try:
                connection = self._connection or self._open()
                with connection:  # a transaction: committed, or rolled back on an error
                    if prune:
                        connection.executemany(sql, parameters)
                        connection.execute("DELETE FROM vectors WHERE id <= "
                                           "(SELECT MAX(id) FROM vectors) - ?", (MAX_VECTORS,))
                        return []
                    return connection.execute(sql, parameters).fetchall()
            except (sqlite3.DatabaseError, OSError) as exc:
                self._failed(exc)
            return None

    def _open(self) -> sqlite3.Connection:
        """The connection, the file and its table made if need be; a non-database replaced."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = _connect(self.path)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):  # locked or unwritable: not damaged
                raise
            log.info("vector store %s is damaged (%s): starting a new one", self.path, exc)
            self.path.unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            connection = _connect(self.path)
        self._connection = connection
        return connection

    def _failed(self, exc: Exception) -> None:
        """Say once why the store is not used, and answer without it from now on."""
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return  # another process is writing: this call goes without, the next may not
        log.warning("vector store %s not used: %s (passages are embedded each time)",
                    self.path, exc)
        self._broken = True
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _connect(path: Path) -> sqlite3.Connection:
    """A connection to the store's file, its table made (raises DatabaseError on a non-database)."""
    connection = sqlite3.connect(path, timeout=_TIMEOUT_S, check_same_thread=False)
    try:
        # WAL: readers never wait for a writer (the bot and a terminal may share the store).
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")  # a lost last write is only a miss
        connection.execute(_SCHEMA)
    except sqlite3.DatabaseError:
        connection.close()
        raise
    return connection
