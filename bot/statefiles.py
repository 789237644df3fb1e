"""The bot's SQLite state files: moving a damaged one aside so that a fresh one can be started."""

from __future__ import annotations

import time
from pathlib import Path

# sqlite3 error names that mean another connection holds the file: wait, never move it aside.
LOCKED_ERRORS = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its journals) to `<name>.corrupt-<time>`; the new path."""
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-journal", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            part.replace(aside.with_name(aside.name + suffix))
    return aside
