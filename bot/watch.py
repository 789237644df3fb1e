"""Re-index when the sources folder changes: debounced, in a worker thread, old index serving.

The folder may be replaced while watched (`rm -rf` + `mv`, or a symlink flipped to a new release
with `ln -sfn`): a watch on the old folder would hear nothing more. So the folder's identity (the
real path it resolves to, and its inode) is checked every second; when it changes, or the folder
disappears and comes back, the watch is re-armed on the new folder and the sources re-indexed.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from watchfiles import Change, DefaultFilter, awatch

from index.errors import CitebotError

if TYPE_CHECKING:
    from .app import CitebotBot

log = logging.getLogger(__name__)
DEBOUNCE_MS = 800
IDENTITY_CHECK_S = 1.0
ARMED_TICK_MS = 200  # the watch wakes this often when idle; its first wake says it is in place
Identity = tuple[str, int, int]  # the folder's real path, device and inode


class SourcesFilter(DefaultFilter):
    """Watchfiles' default filter (editor swap files, .git …), minus the index and state folders."""

    def __init__(self, ignore: tuple[Path, ...]) -> None:
        super().__init__()
        self.ignore = tuple(str(p.resolve()) for p in ignore)

    def __call__(self, change: Change, path: str) -> bool:
        """Whether a change should trigger a rebuild."""
        # Hidden and `_` files are never sources (and /add stages its file as one).
        hidden = Path(path).name.startswith((".", "_"))
        return super().__call__(change, path) and not hidden and not path.startswith(self.ignore)


def folder_identity(folder: Path) -> Identity | None:
    """What the folder is now (its real path and inode), or None when it is not a folder."""
    try:
        real = folder.resolve(strict=True)
        stat = real.stat()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return None
    return (str(real), stat.st_dev, stat.st_ino) if real.is_dir() else None


async def _until_changed(folder: Path, identity: Identity | None) -> Identity | None:
    """Return the folder's new identity once it differs from `identity`."""
    while True:
        await asyncio.sleep(IDENTITY_CHECK_S)
        now = folder_identity(folder)
        if now != identity:
            return now


async def watch_sources(bot: CitebotBot, *, debounce_ms: int = DEBOUNCE_MS) -> None:
    """Rebuild after each burst of changes in the sources folder until cancelled."""
    folder = bot.config.sources
    identity = folder_identity(folder)
    catch_up = False  # the first watch starts on the index the bot just opened
    while True:
        if identity is None:
            log.warning("not watching %s: no such folder (checking again every %.0f s)", folder,
                        IDENTITY_CHECK_S)
            bot.watch_ready.set()
            identity = await _until_changed(folder, None)
        else:
            log.info("watching %s for changes", identity[0])
            identity = await _watch_until_replaced(bot, folder, identity, debounce_ms,
                                                   catch_up=catch_up)
        log.warning("sources folder %s was replaced (now %s); watching it again and re-indexing",
                    folder, identity[0] if identity else "missing")
        catch_up = True


async def _watch_until_replaced(bot: CitebotBot, folder: Path, identity: Identity,
                                debounce_ms: int, *, catch_up: bool) -> Identity | None:
    """Rebuild on each burst of changes in the folder until it is replaced; its new identity.

    With `catch_up`, re-index once the watch is in place: whatever changed before that (a new
    release's files, an edit made while the watch was re-armed) is read then, and nothing after
    it can be missed.
    """
    try:  # held open while watched, so that a new folder cannot reuse the old one's inode
        pin = os.open(identity[0], os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return folder_identity(folder)
    stop = asyncio.Event()
    replaced = asyncio.create_task(_until_changed(folder, identity), name="citebot-watch-folder")
    replaced.add_done_callback(lambda _: stop.set())
    ignore = (bot.engine.index_dir, bot.config.state_dir)
    try:
        watcher = awatch(identity[0], watch_filter=SourcesFilter(ignore), debounce=debounce_ms,
                         step=50, stop_event=stop, rust_timeout=ARMED_TICK_MS,
                         yield_on_timeout=True)
        armed = False
        async for changes in watcher:
            if not armed:  # the first wake: the watch is in place
                armed = True
                bot.watch_ready.set()
                if catch_up:
                    await rebuild_once(bot)
            if not changes:
                continue
            names = sorted({Path(p).name for _, p in changes})
            log.info("sources changed (%s); re-indexing", ", ".join(names))
            await rebuild_once(bot)
    except (OSError, RuntimeError) as exc:  # the watched folder vanished under the watcher
        log.info("watch on %s ended: %s", identity[0], exc)
    try:
        return await replaced
    finally:
        replaced.cancel()
        os.close(pin)


async def rebuild_once(bot: CitebotBot) -> None:
    """Rebuild once; on failure keep serving the old index and log why."""
    try:
        report = await bot.rebuild()
    except (CitebotError, OSError) as exc:
        log.warning("re-index failed, still serving the previous index: %s", exc)
        return
    except Exception:
        log.exception("re-index failed unexpectedly, still serving the previous index")
        return
    log.info("re-indexed: %s", report.summary)
