"""The word lists shipped in index/data, and tables derived from them kept in the user cache."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

import platformdirs

log = logging.getLogger(__name__)

T = TypeVar("T")
_KEPT = 4  # derived files kept per name (other checkouts' keys, say), the newest first


@cache
def data_lines(name: str) -> tuple[str, ...]:
    """The stripped entries of data/<name> (its comment and blank lines left out)."""
    text = resources.files("index").joinpath("data", name).read_text(encoding="utf-8")
    stripped = (line.strip() for line in text.splitlines())
    return tuple(line for line in stripped if line and not line.startswith("#"))


def derived_dir() -> Path:
    """Where derived tables are kept: the user cache."""
    return platformdirs.user_cache_path("citebot") / "derived"


def derived_key(*parts: str | Path) -> str:
    """A short hash of what a derived table depends on: texts, files' bytes, and this module's code.

    The table's own module is one of the files, so a change to how it is made is a new key.
    """
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for part in parts:
        digest.update(part.read_bytes() if isinstance(part, Path) else part.encode())
    return digest.hexdigest()[:16]


def derived(name: str, key: str, make: Callable[[], T], read: Callable[[object], T]) -> T:
    """make()'s value, kept as JSON under `name` and `key`, a hash of everything it depends on.

    Derived, never hand-bumped: another key is another file. `read` turns the JSON back into
    the value and raises ValueError or TypeError on anything else, so a damaged or unreadable
    file only costs the time of make(), as does a cache that cannot be written.
    """
    folder = derived_dir()
    path = folder / f"{name}-{key}.json"
    try:
        return read(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        log.debug("derived table %s not usable (%s): made again", path, exc)
    value = make()
    try:  # written whole then renamed: a reader never sees half a file
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp",
                                         delete=False) as out:
            json.dump(value, out, separators=(",", ":"))
        os.replace(out.name, path)
        keep_newest(folder, f"{name}-*.json", _KEPT)
    except OSError as exc:
        log.debug("cannot keep derived table %s: %s", path, exc)
    return value


def keep_newest(folder: Path, pattern: str, count: int, *, suffixes: tuple[str, ...] = ()) -> None:
    """Delete all but the `count` newest files matching `pattern` (and their `suffixes` files).

    A cache keyed by a hash gets a new file whenever what it depends on changes; the old ones
    (another checkout's code, an upgraded library) are dropped here rather than piling up.
    """
    older = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)[count:]
    for stale in older:
        for file in (stale, *(stale.with_name(stale.name + x) for x in suffixes)):
            file.unlink(missing_ok=True)
