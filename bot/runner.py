"""What `citebot run` and `citebot sync` do: load the config, open the engine, start the bot."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import Any

import discord

from index.engine import Engine, default_index_dir
from index.errors import ConfigError

from .app import CitebotBot, ShardedCitebotBot
from .config import BotConfig, load_config
from .logs import configure_logging

log = logging.getLogger(__name__)
NO_TOKEN = "no Discord token: set DISCORD_TOKEN or token in the config"


def prepare(config_path: Path) -> tuple[BotConfig, str, Engine]:
    """Load the config, check the token, and open the engine (building the index if stale)."""
    config = load_config(config_path)
    configure_logging(config.log_level, timestamps=True)
    token = config.secret_token()
    if not token:
        raise ConfigError(NO_TOKEN)
    engine = Engine(config.sources, config.index or default_index_dir(config.sources))
    report = engine.open()
    log.info("index %s: %s", "rebuilt" if report.rebuilt else "loaded", report.summary)
    return config, token, engine


def make_bot(config: BotConfig, engine: Engine, **options: Any) -> CitebotBot:
    """Build the bot, sharded when `shard_count` is configured."""
    if config.shard_count:
        return ShardedCitebotBot(config, engine, shard_count=config.shard_count, **options)
    return CitebotBot(config, engine, **options)


async def _serve(bot: CitebotBot, token: str, *, sync_only: bool) -> None:
    """Log in and run until closed (or, for sync, until the commands are synced)."""
    async with bot:
        if sync_only:
            await bot.login(token)  # login runs setup_hook, which syncs (forced)
            return
        await bot.start(token)


def _launch(config_path: Path, *, sync_only: bool) -> int:
    """Run the bot (or a forced sync); turn expected failures into one clear line."""
    config, token, engine = prepare(config_path)
    bot = make_bot(config, engine, watch=not sync_only, force_sync=sync_only)
    try:
        asyncio.run(_serve(bot, token, sync_only=sync_only))
    except discord.LoginFailure:
        _fail("Discord rejected the token (check DISCORD_TOKEN or token in the config)")
        return 1
    except discord.PrivilegedIntentsRequired:
        _fail("the Message Content intent is not enabled for this bot: enable it in the "
              "Developer Portal (Bot › Privileged Gateway Intents) or remove answer_channels")
        return 1
    except KeyboardInterrupt:
        return 0
    return 0


def _fail(message: str) -> None:
    """Print one line to stderr."""
    print(f"citebot: {message}", file=sys.stderr)


def run(config_path: Path) -> int:
    """Start the bot and serve until stopped; the exit code."""
    return _launch(config_path, sync_only=False)


def sync(config_path: Path) -> int:
    """Sync the slash commands to Discord now, whatever the stored hash says; the exit code."""
    code = _launch(config_path, sync_only=True)
    if code == 0:
        print("slash commands synced")
    return code
