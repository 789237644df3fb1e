"""The Discord bot: a `commands.Bot` given its config and engine; one app-command error handler."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import logging
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from index.engine import Engine
from index.errors import CitebotError
from index.models import BuildReport

from .answering import SORRY, send_private
from .config import BotConfig
from .conversations import ConversationStore
from .cooldowns import Cooldowns
from .feedback import FeedbackStore

log = logging.getLogger(__name__)
SYNC_HASH_FILE = "commands.sha256"
SYNC_RETRY_S = (5.0, 30.0, 120.0, 600.0)  # waits between start-up sync attempts, then the last
CLOSE_TASKS_S = 5.0  # background work gets this long to stop at close; the bot then closes anyway


def point_at(config: BotConfig) -> None:
    """Point discord.py's REST and gateway at the configured endpoints (process-wide)."""
    discord.http.Route.BASE = config.api_base.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.gateway_url)


def make_intents(config: BotConfig) -> discord.Intents:
    """The default intents, plus message content for answer channels or follow-ups."""
    intents = discord.Intents.default()
    intents.message_content = bool(config.answer_channels) or config.follow_up_minutes > 0
    return intents


class CitebotTree(app_commands.CommandTree):
    """A command tree whose errors become a short ephemeral message and a logged trace."""

    async def on_error(self, interaction: discord.Interaction,
                       error: app_commands.AppCommandError) -> None:
        """Tell the user briefly what went wrong; log the trace when it is a bug."""
        message = user_message(error)
        if message is None:
            name = interaction.command.name if interaction.command else "?"
            log.error("app command /%s failed", name, exc_info=error)
            message = SORRY
        await send_private(interaction, message)


def user_message(error: Exception) -> str | None:
    """Return the message for an expected error, or None for a bug."""
    original = getattr(error, "original", error)
    if isinstance(original, CitebotError):
        return str(original)[:1900]
    if isinstance(error, app_commands.CheckFailure):
        return "Only server administrators (or the bot's admin roles) may do that."
    return None


class CitebotBot(commands.Bot):
    """Citebot on Discord: answers from `engine`, configured by `config`."""

    def __init__(self, config: BotConfig, engine: Engine, *, feedback: FeedbackStore | None = None,
                 watch: bool = True, force_sync: bool = False, **options: Any) -> None:
        options.setdefault("intents", make_intents(config))
        options.setdefault("allowed_mentions", discord.AllowedMentions.none())
        options.setdefault("tree_cls", CitebotTree)
        # citebot has no voice: discord.py's start-up warnings about voice libraries are noise.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(command_prefix=commands.when_mentioned, help_command=None, **options)
        self.config = config
        self.engine = engine
        self.feedback = feedback or FeedbackStore(config.state_dir,
                                                  keep_days=config.keep_questions_days)
        self.cooldowns = Cooldowns(config.cooldown_seconds)
        self.conversations = ConversationStore(config.state_dir, config.follow_up_minutes)
        self.watch_enabled = watch
        self.force_sync = force_sync
        self.sync_lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []
        self._sync_retry: asyncio.Task[None] | None = None
        self.watch_ready = asyncio.Event()

    async def login(self, token: str) -> None:
        """Point at the configured endpoints, then log in."""
        point_at(self.config)
        await super().login(token)

    async def on_message(self, message: discord.Message, /) -> None:
        """Do nothing here: citebot has no prefix commands (the Ask cog listens to messages)."""

    async def setup_hook(self) -> None:
        """Load the cogs and button handlers, sync commands if needed, start background work."""
        from .buttons import FeedbackButton, MoreButton
        from .cogs import EXTENSIONS
        from .cogs.conversation import FollowUpButton

        for extension in EXTENSIONS:
            await self.load_extension(extension)
        topics = self.get_cog("Topics")
        if topics is not None:  # after every cog: the command limit counts theirs too
            topics.refresh()  # type: ignore[attr-defined]
        self.add_dynamic_items(MoreButton, FeedbackButton, FollowUpButton)
        self._start(self.feedback.run(), "citebot-feedback")
        if self.force_sync:
            await self.sync_commands(force=True)  # `citebot sync`: a failure is its answer
        elif not await self._try_sync():
            self._sync_later()
        if self.watch_enabled:
            from .watch import watch_sources
            self._start(watch_sources(self), "citebot-watch")

    def _start(self, work: Coroutine[Any, Any, None], name: str) -> None:
        """Run `work` in the background until the bot closes."""
        self._tasks.append(asyncio.create_task(work, name=name))

    async def _try_sync(self) -> bool:
        """Sync if needed; on a Discord outage log it and return False (old commands stay)."""
        try:
            await self.sync_commands()
        except (discord.HTTPException, OSError) as exc:
            log.warning("could not sync the slash commands (%s); the ones registered before "
                        "keep working, and the sync is retried", exc)
            return False
        return True

    def _sync_later(self) -> None:
        """Retry the sync in the background (once at a time)."""
        if self._sync_retry is None or self._sync_retry.done():
            self._sync_retry = asyncio.create_task(self._sync_until_done(), name="citebot-sync")
            self._tasks.append(self._sync_retry)

    async def _sync_until_done(self) -> None:
        """Retry the start-up sync with growing waits until it succeeds."""
        for wait in itertools.chain(SYNC_RETRY_S, itertools.repeat(SYNC_RETRY_S[-1])):
            await asyncio.sleep(wait)
            if await self._try_sync():
                log.info("slash commands synced after an earlier failure")
                return

    async def close(self) -> None:
        """Stop background work (bounded), close the connection, write what feedback holds."""
        await self._stop_tasks()
        await super().close()
        await self.feedback.close()
        await self.conversations.aclose()

    async def _stop_tasks(self) -> None:
        """Cancel the background tasks; wait a bounded time, naming any that will not stop."""
        for task in self._tasks:
            task.cancel()
        if not self._tasks:
            return
        done, stuck = await asyncio.wait(self._tasks, timeout=CLOSE_TASKS_S)
        for task in done:  # read each outcome, so asyncio does not warn it was never retrieved
            if not task.cancelled():
                task.exception()
        if stuck:  # a shutdown must end: close the connection anyway
            log.error("background work did not stop within %.0f s of close: %s", CLOSE_TASKS_S,
                      ", ".join(sorted(task.get_name() for task in stuck)))

    def command_hash(self) -> str:
        """Hash the command set (and where it goes) as Discord would receive it."""
        payload = sorted((c.to_dict(self.tree) for c in self.tree.get_commands()),
                         key=lambda c: c["name"])
        blob = json.dumps({"guilds": list(self.config.guild_ids), "commands": payload},
                          sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    async def sync_commands(self, *, force: bool = False) -> bool:
        """Sync commands to Discord when they changed since the last sync (or when forced)."""
        async with self.sync_lock:
            digest = self.command_hash()
            path = self.config.state_dir / SYNC_HASH_FILE
            last = await asyncio.to_thread(_read_text, path)
            if not force and last == digest:
                log.info("commands unchanged since the last sync; not syncing")
                return False
            await self._sync_tree()
            await asyncio.to_thread(_write_text, path, digest)
            return True

    async def _sync_tree(self) -> None:
        """Sync to each configured guild (a copy of the global set), or globally."""
        if not self.config.guild_ids:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))
            return
        refused: discord.HTTPException | None = None
        for guild_id in self.config.guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.clear_commands(guild=guild)
            self.tree.copy_global_to(guild=guild)
            try:
                synced = await self.tree.sync(guild=guild)
            except discord.HTTPException as exc:  # e.g. the bot was removed from that server
                log.warning("could not sync the commands to guild %d: %s", guild_id, exc)
                refused = refused or exc
                continue  # the other servers still get theirs
            log.info("synced %d commands to guild %d", len(synced), guild_id)
        if refused is not None:  # not recorded as synced: tried again later
            raise refused

    async def rebuild(self) -> BuildReport:
        """Rebuild the index in a worker thread; re-sync commands if the topics changed."""
        before = self.engine.snapshot.topics
        report = await asyncio.to_thread(self.engine.rebuild)
        if self.engine.snapshot.topics != before:
            topics = self.get_cog("Topics")
            if topics is not None:
                topics.refresh()  # type: ignore[attr-defined]
                if not await self._try_sync():
                    self._sync_later()
        return report


def _read_text(path: Path) -> str | None:
    """Return a small text file's stripped contents, or None if it does not exist."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


def _write_text(path: Path, text: str) -> None:
    """Write a small text file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")


class ShardedCitebotBot(CitebotBot, commands.AutoShardedBot):
    """Citebot over several gateway shards (when `shard_count` is configured)."""
