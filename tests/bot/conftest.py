"""End-to-end bot fixtures: the real discord.py client, logged into the fake Discord on 127.0.0.1.

`start_bot(**config)` builds a `CitebotBot` from a real config (the fake's `api_base` and
`gateway_url`, the state folder in tmp_path, the fake's "answers" channel and guild) over a private
copy of the bundled sources, runs it with `fake.run_bot`, and returns a `Running` with the fake,
the bot and helpers. Everything is closed at teardown; the fake fails the test if it recorded any
violation of Discord's rules.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest_asyncio

from bot.app import CitebotBot
from bot.config import BotConfig, parse_config
from index.engine import Engine
from tests.fakediscord import FakeDiscord, FakeInteraction, PostedMessage, loopback_connector
from tests.fakediscord.fixtures import discord_errors, fake_discord, make_fake_discord

__all__ = ["discord_errors", "fake_discord", "make_fake_discord"]

ZAPORIZHZHIA_Q = "what does Russia want on Zaporizhzhia"
ROSATOM = "only one entity - Russia - can run it"
UNCOVERED_Q = "How tall is the Eiffel Tower?"


def bot_config(fake: FakeDiscord, tmp_path: Path, sources: Path, **overrides: Any) -> BotConfig:
    """A real config pointing the bot at the fake, state in tmp_path."""
    data: dict[str, Any] = {
        "sources": str(sources),
        "index": str(tmp_path / "index"),
        "state_dir": str(tmp_path / "state"),
        "guild_ids": [fake.guild_id],
        "answer_channels": [fake.channel_ids["answers"]],
        "api_base": fake.api_base,
        "gateway_url": fake.gateway_url,
        "cooldown_seconds": 0,
        "log_level": "DEBUG",
    }
    data.update(overrides)
    return parse_config(data, tmp_path)


def make_bot(fake: FakeDiscord, config: BotConfig, engine: Engine | None = None,
             **options: Any) -> CitebotBot:
    """A CitebotBot over `config`, its connector limited to loopback."""
    if engine is None:
        assert config.index is not None
        engine = Engine(config.sources, config.index)
        engine.open()
    options.setdefault("watch", False)
    return CitebotBot(config, engine, connector=loopback_connector(),
                      guild_ready_timeout=fake.guild_ready_timeout_hint, **options)


@dataclass
class Running:
    """A bot running against the fake, with helpers for the tests."""

    fake: FakeDiscord
    bot: CitebotBot
    config: BotConfig

    @property
    def sources(self) -> Path:
        """The bot's (private) sources folder."""
        return self.config.sources

    async def ask(self, command: str = "ask", options: dict[str, Any] | None = None,
                  user: str = "member", channel: str = "general",
                  timeout: float = 5.0) -> FakeInteraction:
        """Send a slash command and wait until it is fully answered."""
        ix = await self.fake.slash_command(command, options, user=user, channel=channel)
        await ix.wait_done(timeout=timeout)
        return ix

    async def wait_watching(self) -> None:
        """Wait until the sources watcher is ready (its first filesystem poll has begun)."""
        await asyncio.wait_for(self.bot.watch_ready.wait(), 5)
        await asyncio.sleep(0.1)  # let the watcher thread take its first snapshot

    async def eventually(self, check: Callable[[], Awaitable[bool]], timeout: float = 10.0,
                         every: float = 0.2) -> None:
        """Re-run an async check until it holds (bounded)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not await check():
            if loop.time() > deadline:
                raise AssertionError(f"condition not met within {timeout} s")
            await asyncio.sleep(every)


Starter = Callable[..., Awaitable[Running]]


@pytest_asyncio.fixture
async def start_bot(make_fake_discord: Any, sources_dir: Path,
                    tmp_path: Path) -> AsyncIterator[Starter]:
    """`await start_bot(fake_options={}, watch=False, with_fake=None, **config)`: a running bot."""
    stack = contextlib.AsyncExitStack()
    fakes: list[FakeDiscord] = []

    async def start(*, fake_options: dict[str, Any] | None = None, watch: bool = False,
                    with_fake: Callable[[FakeDiscord], dict[str, Any]] | None = None,
                    **overrides: Any) -> Running:
        if not fakes:
            fakes.append(await make_fake_discord(**(fake_options or {})))
        fake = fakes[0]
        if with_fake is not None:  # config values that depend on the fake's ids
            overrides.update(with_fake(fake))
        sources = Path(overrides.pop("sources", sources_dir))
        config = bot_config(fake, tmp_path, sources, **overrides)
        bot = make_bot(fake, config, watch=watch)
        await stack.enter_async_context(fake.run_bot(bot))
        return Running(fake, bot, config)

    async with stack:
        yield start


@pytest_asyncio.fixture
async def running(start_bot: Starter) -> Running:
    """A bot with the default test config (no cooldown, no watcher), ready."""
    return await start_bot()


def fields_text(message: PostedMessage | dict[str, Any]) -> str:
    """All the text of a message's embeds (title, description, fields, footer) and content."""
    parts = [str(message.get("content") or "")]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
        for field in embed.get("fields", []):
            parts += [field["name"], field["value"]]
        parts.append((embed.get("footer") or {}).get("text", ""))
    return "\n".join(parts)


def answer_message(ix: FakeInteraction) -> dict[str, Any]:
    """The last message the user sees for an interaction."""
    assert ix.messages, f"{ix.description}: no message; responses={ix.responses}"
    return ix.messages[-1]


def passages(message: PostedMessage | dict[str, Any]) -> list[str]:
    """The passage field values of an answer embed."""
    embeds = message.get("embeds") or []
    return [f["value"] for e in embeds for f in e.get("fields", [])]


def custom_ids(message: PostedMessage | dict[str, Any]) -> list[str]:
    """Every component custom id on a message."""
    out = []
    for row in message.get("components") or []:
        out += [c["custom_id"] for c in row.get("components", []) if "custom_id" in c]
    return out


def plain(text: str) -> str:
    """Text with markdown escapes, bold markers and zero-width spaces removed, whitespace joined."""
    text = text.replace("\u200b", "").replace("**", "").replace("\\", "")
    return " ".join(text.split())
