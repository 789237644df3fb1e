"""FakeDiscord: the aiohttp app (REST under /api/v10 and the gateway at /), plus recorded state."""

from __future__ import annotations

import asyncio
import copy
import re
import time
from typing import Any

from aiohttp import web

from .attachments import CDN_PREFIX
from .connector import Restore, point_discord_py
from .driver import Driver
from .gateway import Gateway
from .httputil import Call, Router, error_reply, read_body
from .interactions import FakeInteraction
from .limits import FLAG_EPHEMERAL
from .ratelimit import RateLimitRule, RateLimits
from .rest import RestApi
from .signals import Changes
from .state import FakeUser, PostedMessage, RecordedRequest, Snowflakes
from .webhooks import InteractionApi
from .world import World

API_PREFIX = "/api/v10"


class FakeDiscord(Driver):
    """A strict fake Discord on 127.0.0.1 that the real discord.py client logs into."""

    def __init__(
        self,
        *,
        token: str = "fake.bot.token",
        guild_ready_timeout_hint: float = 0.05,
        allow_message_content: bool = True,
        allow_members: bool = True,
        allow_presences: bool = True,
        heartbeat_interval_ms: int = 1000,
        ack_timeout: float = 3.0,
        attachment_size_limit: int = 10 * 1024 * 1024,
        echo_bot_messages: bool = True,
    ) -> None:
        self.token = token
        self.guild_ready_timeout_hint = guild_ready_timeout_hint
        self.allow_message_content = allow_message_content
        self.allow_members = allow_members
        self.allow_presences = allow_presences
        self.ack_timeout = ack_timeout
        self.attachment_size_limit = attachment_size_limit
        self.echo_bot_messages = echo_bot_messages
        self.changes = Changes()
        self.world = World(Snowflakes())
        self.gateway = Gateway(self, heartbeat_interval_ms=heartbeat_interval_ms)
        self.router = Router()
        RestApi(self).register(self.router)
        InteractionApi(self).register(self.router)
        self.requests: list[RecordedRequest] = []
        self.failures: list[str] = []
        self.posted_messages: list[PostedMessage] = []
        self.synced_commands: list[dict[str, Any]] | None = None
        self.synced_scope: int | None = None
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.interactions: list[FakeInteraction] = []
        self.interactions_by_id: dict[int, FakeInteraction] = {}
        self.interactions_by_token: dict[str, FakeInteraction] = {}
        self._ack_timers: dict[int, asyncio.TimerHandle] = {}
        self._read_cursor: dict[int, int] = {}
        self.rate_limits = RateLimits()
        self.injected_errors: list[tuple[str, re.Pattern[str], int, list[int]]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        """Bind to 127.0.0.1 on a free port and start serving."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("GET", "/", self.gateway.handle)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._handle_rest)
        app.router.add_route("GET", CDN_PREFIX + "/{channel}/{id}/{filename}",
                             self.world.attachments.handle)
        app.router.add_route("*", "/{tail:.*}", self._handle_stray)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self.world.attachments.base = f"http://127.0.0.1:{self.port}"
        return self

    async def stop(self) -> None:
        """Close gateway connections, cancel timers and shut the server down."""
        for handle in self._ack_timers.values():
            handle.cancel()
        self._ack_timers.clear()
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        """REST base, e.g. http://127.0.0.1:PORT/api/v10 (for discord.http.Route.BASE)."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """Gateway URL ws://127.0.0.1:PORT/ (discord.py appends ?v=10&encoding=json&compress=)."""
        return f"ws://127.0.0.1:{self.port}/"

    def point_discord_py_here(self) -> Restore:
        """Point discord.py's Route.BASE and DEFAULT_GATEWAY at this fake; returns the undo."""
        return point_discord_py(self.api_base, self.gateway_url)

    # ---- world shortcuts -----------------------------------------------------------------------

    @property
    def guild_id(self) -> int:
        """The guild's id."""
        return self.world.guild_id

    @property
    def app_id(self) -> int:
        """The application id."""
        return self.world.app_id

    @property
    def channel_ids(self) -> dict[str, int]:
        """Channel and thread names to ids."""
        return self.world.channel_ids

    @property
    def users(self) -> dict[str, FakeUser]:
        """Fake users: "owner", "admin", "member", "otherbot"."""
        return self.world.users

    @property
    def bot_user(self) -> FakeUser:
        """The bot's own user."""
        return self.world.bot_user

    @property
    def resumes(self) -> int:
        """Number of successful RESUMEs."""
        return self.gateway.resumes

    # ---- REST dispatch -------------------------------------------------------------------------

    async def _handle_rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await read_body(request)
        record = RecordedRequest(
            request.method, path, dict(request.query), body, dict(request.headers), files=files
        )
        self.requests.append(record)
        call = Call(request, {}, body, files, record)
        response = await self._route(call)
        record.status = response.status
        for line in call.failures:
            self.fail(line)
        self.changes.pulse()
        return response

    async def _route(self, call: Call) -> web.StreamResponse:
        record = call.record
        limited = self.rate_limits.take(record.method, record.path)
        if limited is not None:
            return limited
        for method, pattern, status, left in self.injected_errors:
            if left[0] and method == record.method and pattern.search(record.path):
                left[0] -= 1
                return error_reply(status, 0, f"{status}: injected by the test")
        route, params, exists = self.router.match(record.method, record.path)
        if route is None:
            if exists:
                return call.fail(405, 0, "405: Method Not Allowed")
            return call.fail(404, 0, "404: Not Found (route not served by the fake)")
        if route.auth and record.headers.get("Authorization") != f"Bot {self.token}":
            return call.fail(401, 0, "401: Unauthorized")
        if isinstance(call.json, dict) and "__invalid_json__" in call.json:
            return call.fail(400, 50109, "The request body contains invalid JSON.")
        call.params = params
        return await route.handler(call)

    async def _handle_stray(self, request: web.Request) -> web.StreamResponse:
        self.fail(f"{request.method} {request.path}: 404 request outside {API_PREFIX}")
        return error_reply(404, 0, "404: Not Found")

    def inject_429(
        self,
        method: str,
        path_pattern: str,
        *,
        retry_after: float = 0.05,
        count: int = 1,
        is_global: bool = False,
        via: bool = True,
    ) -> None:
        """Answer the next `count` matching requests with 429 (with `Via` so discord.py retries)."""
        rule = RateLimitRule(
            method.upper(), re.compile(path_pattern), count, retry_after, is_global, via
        )
        self.rate_limits.add(rule)

    def inject_error(self, method: str, path_pattern: str, status: int, count: int = 1) -> None:
        """Answer the next `count` matching requests with `status` (a Discord outage)."""
        self.injected_errors.append((method.upper(), re.compile(path_pattern), status, [count]))

    # ---- recording -----------------------------------------------------------------------------

    def fail(self, line: str) -> None:
        """Record a strictness violation."""
        self.failures.append(line)
        self.changes.pulse()

    def take_failures(self) -> list[str]:
        """Return and clear the recorded failures (for tests that provoke them on purpose)."""
        taken, self.failures[:] = list(self.failures), []
        return taken

    def registered_commands(self, guild_id: int | None = None) -> list[dict[str, Any]]:
        """The commands registered globally (None) or for a guild, as echoed."""
        return self.commands.get(guild_id, [])

    def set_commands(
        self, guild_id: int | None, sent: list[dict[str, Any]], echoed: list[dict[str, Any]]
    ) -> None:
        """Store a bulk overwrite."""
        self.commands[guild_id] = echoed
        self.synced_commands = copy.deepcopy(sent)
        self.synced_scope = guild_id

    async def store_bot_message(
        self,
        kind: str,
        channel_id: int,
        message: dict[str, Any],
        payload: dict[str, Any],
        *,
        interaction: FakeInteraction | None = None,
        update: bool = False,
        posted: bool = True,
    ) -> None:
        """Store a bot-created/edited message, record it and echo it on the gateway."""
        self.world.messages[int(message["id"])] = message
        if posted:
            entry = PostedMessage(
                kind,
                channel_id,
                copy.deepcopy(message),
                copy.deepcopy(payload),
                copy.deepcopy(payload.get("allowed_mentions")),
                interaction.id if interaction else None,
            )
            self.posted_messages.append(entry)
        ephemeral = int(message.get("flags") or 0) & FLAG_EPHEMERAL
        if self.echo_bot_messages and posted and not ephemeral:
            data = copy.deepcopy(message)
            if not update:
                data["member"] = self.world.member_payload(self.world.bot_user, with_user=False)
            await self.gateway.dispatch("MESSAGE_UPDATE" if update else "MESSAGE_CREATE", data)
        self.changes.pulse()

    async def delete_message(self, message: dict[str, Any]) -> None:
        """Delete a stored message and dispatch MESSAGE_DELETE."""
        self.world.messages.pop(int(message["id"]), None)
        if not int(message.get("flags") or 0) & FLAG_EPHEMERAL:
            data = {
                "id": message["id"],
                "channel_id": message["channel_id"],
                "guild_id": str(self.guild_id),
            }
            await self.gateway.dispatch("MESSAGE_DELETE", data)

    def cancel_ack_timer(self, ix: FakeInteraction) -> None:
        """Stop the 3-second acknowledgement deadline of an interaction."""
        handle = self._ack_timers.pop(ix.id, None)
        if handle is not None:
            handle.cancel()

    def _expire(self, ix: FakeInteraction) -> None:
        self._ack_timers.pop(ix.id, None)
        if ix.callback_type is None:
            ix.expired = True
            self.fail(f"{ix.description}: interaction not acknowledged within {self.ack_timeout} s")

    async def send_interaction(self, payload: dict[str, Any], description: str) -> FakeInteraction:
        """Dispatch INTERACTION_CREATE and start its acknowledgement deadline."""
        ix = FakeInteraction(payload, description, self.changes)
        self.interactions.append(ix)
        self.interactions_by_id[ix.id] = ix
        self.interactions_by_token[ix.token] = ix
        loop = asyncio.get_running_loop()
        self._ack_timers[ix.id] = loop.call_later(self.ack_timeout, self._expire, ix)
        ix.sent_at = time.monotonic()
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return ix

    def channel_messages(self, channel: str | int) -> list[PostedMessage]:
        """Every message the bot POSTed to a channel or thread (name or id)."""
        cid = self.world.channel(channel).id
        return [m for m in self.posted_messages if m.kind == "channel" and m.channel_id == cid]
