"""What `citebot run` and `citebot sync` do: load the config, open the engine, start the bot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from pathlib import Path
from typing import Any

import discord

from index.engine import Engine, default_index_dir
from index.errors import CitebotError, ConfigError
from index.settings import SearchSettings

from .app import CitebotBot, ShardedCitebotBot
from .config import BotConfig, load_config
from .logs import configure_logging

log = logging.getLogger(__name__)
NO_TOKEN = "no Discord token: set DISCORD_TOKEN or token in the config"
LOGIN_RETRY_S = (2.0, 4.0, 8.0, 16.0, 30.0)  # waits while Discord is unreachable, then give up


class StartupError(CitebotError):
    """The bot could not start, for a reason outside the code (Discord, the environment)."""


def check_state_dir(path: Path) -> None:
    """Make sure the state folder is a writable folder, or say what is wrong in one line."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ConfigError(f"state_dir {path} is a file, not a folder") from None
    except OSError as exc:
        raise ConfigError(f"state_dir {path} cannot be created: {exc.strerror or exc}") from None
    if not path.is_dir():
        raise ConfigError(f"state_dir {path} is not a folder")
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"state_dir {path} is not writable")


def prepare(config_path: Path) -> tuple[BotConfig, str, Engine]:
    """Load the config, check the token, and open the engine (building the index if stale)."""
    config = load_config(config_path)
    configure_logging(config.log_level, timestamps=True)
    token = config.secret_token()
    if not token:
        raise ConfigError(NO_TOKEN)
    check_state_dir(config.state_dir)
    engine = Engine(config.sources, config.index or default_index_dir(config.sources),
                    settings=SearchSettings.from_environment(os.environ))
    report = engine.open()
    if not report.rebuilt:  # a rebuild is logged by the engine itself
        log.info("index loaded: %s", report.summary)
    engine.keep_warm()  # on threads of its own: now, and after every rebuild
    return config, token, engine


def make_bot(config: BotConfig, engine: Engine, **options: Any) -> CitebotBot:
    """Build the bot, sharded when `shard_count` is configured."""
    if config.shard_count:
        return ShardedCitebotBot(config, engine, shard_count=config.shard_count, **options)
    return CitebotBot(config, engine, **options)


async def _serve(bot: CitebotBot, token: str, *, sync_only: bool) -> None:
    """Log in (retrying while Discord is unreachable) and run until closed, or until synced."""
    _stop_on_sigterm()
    async with bot:
        await _login(bot, token)  # login runs setup_hook, which syncs (forced for `sync`)
        if not sync_only:
            await bot.connect()


def _stop_on_sigterm() -> None:
    """Make SIGTERM (`systemctl stop`, `docker stop`) close the bot as Ctrl-C does.

    Python's default for SIGTERM ends the process at once: the gateway is never closed and the
    answers, votes and turns still being written are lost. Cancelling the main task instead runs
    `CitebotBot.close()` on the way out.
    """
    main_task = asyncio.current_task()
    if main_task is None:
        return

    def stop() -> None:
        log.info("SIGTERM received; closing")
        main_task.cancel()

    with contextlib.suppress(NotImplementedError, RuntimeError):  # no such handlers on Windows
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop)


async def _login(bot: CitebotBot, token: str) -> None:
    """Log in; while Discord cannot be reached, wait and try again (a few times, then give up)."""
    for wait in (*LOGIN_RETRY_S, None):
        try:
            await bot.login(token)
            return
        except (OSError, discord.DiscordServerError) as exc:  # aiohttp's connection errors too
            reason = _reason(exc)
            if wait is None:
                raise StartupError(f"cannot reach Discord at {bot.config.api_base}: {reason}"
                                   ) from None
            log.warning("cannot reach Discord (%s); trying again in %.0f s", reason, wait)
            await asyncio.sleep(wait)


def _reason(exc: BaseException) -> str:
    """A short reason for a connection failure."""
    if isinstance(exc, discord.HTTPException):
        return f"{exc.status} {exc.text or ''}".strip()
    return str(exc) or type(exc).__name__


def _launch(config_path: Path, *, sync_only: bool) -> int:
    """Run the bot (or a forced sync); expected failures raise a CitebotError (one line)."""
    config, token, engine = prepare(config_path)
    bot = make_bot(config, engine, watch=not sync_only, force_sync=sync_only)
    try:
        asyncio.run(_serve(bot, token, sync_only=sync_only))
    except discord.LoginFailure:
        raise StartupError("Discord rejected the token (check DISCORD_TOKEN or token in the "
                           "config)") from None
    except discord.PrivilegedIntentsRequired:
        raise StartupError("the Message Content intent is not enabled for this bot: enable it "
                           "in the Developer Portal (Bot › Privileged Gateway Intents), or remove "
                           "answer_channels and set follow_up_minutes = 0 (no follow-up "
                           "questions)") from None
    except discord.HTTPException as exc:
        raise StartupError(f"Discord refused a request at start-up: {_reason(exc)}") from None
    except (KeyboardInterrupt, asyncio.CancelledError):  # Ctrl-C, or SIGTERM (see above)
        return 0
    return 0


def run(config_path: Path) -> int:
    """Start the bot and serve until stopped; the exit code."""
    return _launch(config_path, sync_only=False)


def sync(config_path: Path) -> int:
    """Sync the slash commands to Discord now, whatever the stored hash says; the exit code."""
    code = _launch(config_path, sync_only=True)
    if code == 0:
        print("slash commands synced")
    return code
