"""Re-index when the sources folder changes: debounced, in a worker thread, old index serving."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from watchfiles import Change, DefaultFilter, awatch

from index.errors import CitebotError

if TYPE_CHECKING:
    from .app import CitebotBot

log = logging.getLogger(__name__)
DEBOUNCE_MS = 800


class SourcesFilter(DefaultFilter):
    """Watchfiles' default filter (editor swap files, .git …), minus the index and state folders."""

    def __init__(self, ignore: tuple[Path, ...]) -> None:
        super().__init__()
        self.ignore = tuple(str(p.resolve()) for p in ignore)

    def __call__(self, change: Change, path: str) -> bool:
        """Whether a change should trigger a rebuild."""
        return super().__call__(change, path) and not path.startswith(self.ignore)


async def watch_sources(bot: CitebotBot, *, debounce_ms: int = DEBOUNCE_MS) -> None:
    """Rebuild after each burst of changes in the sources folder until cancelled."""
    folder = bot.config.sources
    if not folder.is_dir():
        log.warning("not watching %s: no such folder", folder)
        return
    log.info("watching %s for changes", folder)
    ignore = (bot.engine.index_dir, bot.config.state_dir)
    watcher = awatch(folder, watch_filter=SourcesFilter(ignore), debounce=debounce_ms, step=50)
    bot.watch_ready.set()
    async for changes in watcher:
        names = sorted({Path(p).name for _, p in changes})
        log.info("sources changed (%s); re-indexing", ", ".join(names))
        await rebuild_once(bot)


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
