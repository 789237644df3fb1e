"""What tests call to drive the bot: slash commands, autocomplete, buttons, messages, resumes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from . import interactions as ixs
from .interactions import FakeInteraction
from .messages import as_seen_by_bot, user_message
from .signals import Changes
from .state import PostedMessage
from .world import World

BOT_CLOSE_TIMEOUT_S = 30.0  # longer than any bounded step of CitebotBot.close

if TYPE_CHECKING:
    import discord

    from .gateway import Gateway


class Driver:
    """Mixin of FakeDiscord with the event-driving API."""

    world: World
    gateway: Gateway
    changes: Changes
    token: str
    failures: list[str]
    posted_messages: list[PostedMessage]
    interactions: list[FakeInteraction]
    commands: dict[int | None, list[dict[str, Any]]]
    attachment_size_limit: int
    _read_cursor: dict[int, int]

    async def send_interaction(self, payload: dict[str, Any], description: str) -> FakeInteraction:
        """Dispatch INTERACTION_CREATE (implemented by FakeDiscord)."""
        raise NotImplementedError

    def channel_messages(self, channel: str | int) -> list[PostedMessage]:
        """Messages the bot posted to a channel (implemented by FakeDiscord)."""
        raise NotImplementedError

    async def wait_until(
        self, predicate: Callable[[], bool], timeout: float = 5.0, what: str = "it"
    ) -> None:
        """Wait until `predicate()` holds, re-checking whenever the fake records anything."""
        await self.changes.wait_for(predicate, timeout, what)

    async def wait_ready(self, timeout: float = 5.0) -> None:
        """Wait until the client IDENTIFIED and READY + GUILD_CREATE were sent."""
        await self.wait_until(self.gateway.ready.is_set, timeout, "IDENTIFY/READY")

    async def wait_for_failure(self, contains: str = "", timeout: float = 5.0) -> str:
        """Wait for a recorded failure containing `contains`; returns it."""

        def found() -> bool:
            return any(contains in f for f in self.failures)

        await self.wait_until(found, timeout, f"a failure containing {contains!r}")
        return next(f for f in self.failures if contains in f)

    # ---- interactions --------------------------------------------------------------------------

    def find_command(self, name: str) -> dict[str, Any]:
        """The registered /name (guild first, then global); ValueError if it was not synced."""
        for scope in (self.world.guild_id, None):
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == 1:
                    return command
        synced = {scope: [c["name"] for c in cmds] for scope, cmds in self.commands.items()}
        raise ValueError(
            f"/{name} is not registered (did the bot sync its tree?); registered: {synced}"
        )

    def _base(
        self, kind: int, user: str | int, channel: str | int, data: dict[str, Any]
    ) -> dict[str, Any]:
        limit = self.attachment_size_limit
        return ixs.base_payload(
            self.world,
            kind=kind,
            user=user,
            channel=channel,
            data=data,
            attachment_size_limit=limit,
        )

    async def slash_command(
        self,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None = None,
        user: str | int = "member",
        channel: str | int = "general",
        subcommand: str | None = None,
    ) -> FakeInteraction:
        """Send a slash command (type 2); options typed from the synced definition."""
        command = self.find_command(name)
        data = ixs.command_data(self.world, command, options, subcommand=subcommand)
        label = f"/{name}" + (f" {subcommand}" if subcommand else "")
        return await self.send_interaction(
            self._base(ixs.APPLICATION_COMMAND, user, channel, data), label
        )

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        focused: str = "",
        user: str | int = "member",
        channel: str | int = "general",
        subcommand: str | None = None,
        timeout: float = 5.0,
    ) -> list[dict[str, Any]]:
        """Send an autocomplete interaction (type 4) and return the choices the bot answered."""
        command = self.find_command(name)
        data = ixs.command_data(
            self.world, command, options, subcommand=subcommand, focused=focused
        )
        payload = self._base(ixs.AUTOCOMPLETE, user, channel, data)
        ix = await self.send_interaction(payload, f"autocomplete /{name} {focused}")
        await ix.wait_done(timeout=timeout, settle=0)
        return list(ix.choices or [])

    def _message(self, message: dict[str, Any] | PostedMessage | int | str) -> dict[str, Any]:
        if isinstance(message, PostedMessage):
            message = message.id
        mid = int(message["id"]) if isinstance(message, dict) else int(message)
        if mid not in self.world.messages:
            raise KeyError(f"no stored message {mid}")
        return self.world.messages[mid]

    def _component(self, message: dict[str, Any], custom_id: str) -> dict[str, Any]:
        stack = list(message.get("components") or [])
        while stack:
            comp = stack.pop()
            if comp.get("custom_id") == custom_id:
                return comp
            stack += comp.get("components") or []
            stack += [comp[k] for k in ("accessory", "component") if isinstance(comp.get(k), dict)]
        raise ValueError(f"message {message['id']} has no component with custom_id {custom_id!r}")

    async def _component_interaction(
        self, message: Any, custom_id: str, user: str | int, extra: dict[str, Any], label: str
    ) -> FakeInteraction:
        stored = self._message(message)
        comp = self._component(stored, custom_id)
        if comp.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled; a user cannot use it")
        data = {"custom_id": custom_id, "component_type": comp["type"], **extra}
        payload = self._base(ixs.MESSAGE_COMPONENT, user, int(stored["channel_id"]), data)
        payload["message"] = as_seen_by_bot(stored, self.gateway.intents, self.world.bot_user.id)
        return await self.send_interaction(payload, label)

    async def click_button(
        self,
        message: dict[str, Any] | PostedMessage | int | str,
        custom_id: str,
        user: str | int = "member",
    ) -> FakeInteraction:
        """Click a button (type 3) on a message the bot sent (payload, PostedMessage or id)."""
        return await self._component_interaction(
            message, custom_id, user, {}, f"button {custom_id!r}"
        )

    async def select_menu(
        self, message: Any, custom_id: str, values: list[str], user: str | int = "member"
    ) -> FakeInteraction:
        """Choose `values` in a select menu (type 3)."""
        extra = {"values": list(values)}
        return await self._component_interaction(
            message, custom_id, user, extra, f"select {custom_id!r}"
        )

    async def submit_modal(
        self, shown_by: FakeInteraction, values: dict[str, str], user: str | int = "member"
    ) -> FakeInteraction:
        """Submit the modal the bot showed in answer to `shown_by` (type 5)."""
        if shown_by.modal is None:
            raise ValueError(f"{shown_by.description} did not answer with a modal")
        modal = shown_by.modal
        data = {
            "custom_id": modal["custom_id"],
            "components": ixs.modal_submit_components(modal, values),
        }
        payload = self._base(ixs.MODAL_SUBMIT, user, int(shown_by.payload["channel_id"]), data)
        if shown_by.payload.get("message"):
            payload["message"] = shown_by.payload["message"]
        return await self.send_interaction(payload, f"modal {modal['custom_id']!r}")

    # ---- messages ------------------------------------------------------------------------------

    async def send_message(
        self,
        content: str,
        user: str | int = "member",
        channel: str | int = "general",
        mention_bot: bool = False,
        role_mentions: tuple[str, ...] | list[str] = (),
        mention_everyone: bool = False,
        reply_to: dict[str, Any] | PostedMessage | int | None = None,
    ) -> dict[str, Any]:
        """A fake user posts a message (MESSAGE_CREATE); returns the full message object."""
        author, where = self.world.user(user), self.world.channel(channel)
        prefix = [self.world.bot_user.mention] if mention_bot else []
        prefix += [self.world.role(r).mention for r in role_mentions]
        prefix += ["@everyone"] if mention_everyone else []
        text = " ".join([*prefix, content]) if prefix else content
        replied = None if reply_to is None else self._message(reply_to)
        message = user_message(self.world, author, where, text, reply_to=replied)
        self.world.messages[int(message["id"])] = message
        seen = as_seen_by_bot(message, self.gateway.intents, self.world.bot_user.id)
        await self.gateway.dispatch("MESSAGE_CREATE", seen)
        return message

    async def wait_for_messages(
        self, channel: str | int, count: int = 1, timeout: float = 5.0
    ) -> list[PostedMessage]:
        """The next `count` messages the bot POSTed to `channel` not returned by an earlier call."""

        def enough() -> bool:
            try:
                cid = self.world.channel(channel).id  # a thread may not exist yet
            except KeyError:
                return False
            return len(self.channel_messages(cid)) - self._read_cursor.get(cid, 0) >= count

        await self.wait_until(enough, timeout, f"{count} bot message(s) in {channel!r}")
        cid = self.world.channel(channel).id
        start = self._read_cursor.get(cid, 0)
        self._read_cursor[cid] = start + count
        return self.channel_messages(cid)[start : start + count]

    # ---- connection ----------------------------------------------------------------------------

    async def drop_connection(
        self, mode: str = "abrupt", timeout: float = 5.0, wait: bool = True
    ) -> None:
        """Drop the gateway ("abrupt", "reconnect_op7", "close_4000"), then await the RESUME."""
        before = self.gateway.resumes
        await self.gateway.drop(mode)
        if wait:
            await self.wait_for_resume(before + 1, timeout)

    async def wait_for_resume(self, count: int | None = None, timeout: float = 5.0) -> None:
        """Wait until `count` RESUMEs in total succeeded (default: one more than now)."""
        target = self.gateway.resumes + 1 if count is None else count
        await self.wait_until(
            lambda: self.gateway.resumes >= target, timeout, f"{target} RESUME(s)"
        )

    @contextlib.asynccontextmanager
    async def run_bot(
        self, bot: discord.Client, timeout: float = 5.0
    ) -> AsyncIterator[discord.Client]:
        """Start `bot` with the fake's token, wait until it is ready, close it cleanly on exit."""
        task = asyncio.create_task(bot.start(self.token), name="fakediscord-bot")
        try:
            await self._until_bot_ready(bot, task, timeout)
            yield bot
        except BaseException:
            await self._stop_bot(bot, task, timeout, check=False)
            raise
        await self._stop_bot(bot, task, timeout, check=True)

    async def _until_bot_ready(
        self, bot: discord.Client, task: asyncio.Task[None], timeout: float
    ) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not bot.is_ready():
            if task.done():
                task.result()
                raise RuntimeError("bot.start() returned before the bot was ready")
            if loop.time() > deadline:
                raise TimeoutError(f"bot not ready within {timeout}s; failures={self.failures}")
            await asyncio.sleep(0.005)
        await self.wait_ready(timeout)

    async def _stop_bot(
        self, bot: discord.Client, task: asyncio.Task[None], timeout: float, check: bool
    ) -> None:
        try:  # a close that never ends fails the test loudly instead of eating the CI budget
            async with asyncio.timeout(BOT_CLOSE_TIMEOUT_S):
                await bot.close()
        except TimeoutError:
            task.cancel()
            raise TimeoutError(f"bot.close() did not end within {BOT_CLOSE_TIMEOUT_S} s") from None
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            if check:
                raise TimeoutError("bot.start() did not return after bot.close()")
        elif check and not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
        elif not task.cancelled():
            task.exception()  # mark retrieved
