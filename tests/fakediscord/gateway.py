"""The websocket gateway: HELLO, heartbeats, IDENTIFY/READY, RESUME with replay, intents."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .server import FakeDiscord

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE, RESUME, RECONNECT, REQUEST_MEMBERS = (
    0,
    1,
    2,
    3,
    4,
    6,
    7,
    8,
)
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11
GUILDS, GUILD_MEMBERS, GUILD_PRESENCES, GUILD_MESSAGES = 1 << 0, 1 << 1, 1 << 8, 1 << 9
MESSAGE_CONTENT = 1 << 15
EVENT_INTENTS = {
    "GUILD_CREATE": GUILDS,
    "THREAD_CREATE": GUILDS,
    "CHANNEL_CREATE": GUILDS,
    "MESSAGE_CREATE": GUILD_MESSAGES,
    "MESSAGE_UPDATE": GUILD_MESSAGES,
    "MESSAGE_DELETE": GUILD_MESSAGES,
}


def _dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"))


class Gateway:
    """One gateway session at a time, with a replay buffer for RESUME."""

    def __init__(self, fake: FakeDiscord, *, heartbeat_interval_ms: int = 1000) -> None:
        self.fake = fake
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.session_id: str | None = None
        self.seq = 0
        self.buffer: list[dict[str, Any]] = []
        self.intents: int | None = None
        self.live: web.WebSocketResponse | None = None
        self.sockets: dict[web.WebSocketResponse, web.Request] = {}
        self.received: list[dict[str, Any]] = []
        self.close_codes: list[int] = []
        self.client_close_codes: list[int | None] = []  # how each client ended its connection
        self.identifies = 0
        self.resumes = 0
        self.heartbeats = 0
        self.ready = asyncio.Event()
        self._lock = asyncio.Lock()

    # ---- connection -------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Serve one websocket connection (`GET /?v=10&encoding=json`)."""
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        self.sockets[ws] = request
        if request.query.get("encoding", "json") != "json" or request.query.get("v") != "10":
            self.fake.fail(f"gateway connect with unsupported query {dict(request.query)}")
        try:
            await self._send(
                ws, {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}
            )
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    await self._close(ws, 4002, "Decode error")
                    break
                await self._on_message(ws, msg.data)
        finally:
            self.client_close_codes.append(ws.close_code)
            self.sockets.pop(ws, None)
            if self.live is ws:
                self.live = None
        return ws

    async def _on_message(self, ws: web.WebSocketResponse, raw: str) -> None:
        try:
            payload = json.loads(raw)
            op, data = payload["op"], payload.get("d")
        except (ValueError, KeyError, TypeError):
            await self._close(ws, 4002, "Decode error")
            return
        self.received.append(payload)
        if op == HEARTBEAT:
            self.heartbeats += 1
            await self._send(ws, {"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            await self._identify(ws, data or {})
        elif op == RESUME:
            await self._resume(ws, data or {})
        elif self.live is not ws:
            await self._close(ws, 4003, "Not authenticated")
        elif op == REQUEST_MEMBERS:
            await self._chunk(data or {})
        elif op not in (PRESENCE, VOICE):
            await self._close(ws, 4001, "Unknown opcode")
        self.fake.changes.pulse()

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if self.live is ws:
            await self._close(ws, 4005, "Already authenticated")
            return
        if data.get("token") not in (self.fake.token, f"Bot {self.fake.token}"):
            await self._close(ws, 4004, "Authentication failed")
            return
        intents = data.get("intents")
        if not isinstance(intents, int):
            await self._close(ws, 4013, "Invalid intent(s)")
            return
        if self._disallowed(intents):
            await self._close(ws, 4014, "Disallowed intent(s)")
            return
        async with self._lock:
            self.session_id = secrets.token_hex(16)
            self.seq = 0
            self.buffer = []
            self.intents = intents
            self.identifies += 1
            self.live = ws
        await self.dispatch("READY", self._ready_payload())
        guild = self.fake.world.guild_create_payload(all_members=bool(intents & GUILD_MEMBERS))
        await self.dispatch("GUILD_CREATE", guild)
        self.ready.set()

    def _disallowed(self, intents: int) -> bool:
        wanted = {
            MESSAGE_CONTENT: self.fake.allow_message_content,
            GUILD_MEMBERS: self.fake.allow_members,
            GUILD_PRESENCES: self.fake.allow_presences,
        }
        return any(intents & bit and not allowed for bit, allowed in wanted.items())

    def _ready_payload(self) -> dict[str, Any]:
        world = self.fake.world
        user = world.bot_user.payload()
        user.update(verified=True, mfa_enabled=False, flags=0, email=None)
        return {
            "v": 10,
            "user": user,
            "guilds": [{"id": str(world.guild_id), "unavailable": True}],
            "session_id": self.session_id,
            "resume_gateway_url": self.fake.gateway_url,
            "session_type": "normal",
            "application": {"id": str(world.app_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "_trace": ["fakediscord"],
        }

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("token") not in (self.fake.token, f"Bot {self.fake.token}"):
            await self._close(ws, 4004, "Authentication failed")
            return
        if data.get("session_id") != self.session_id or self.session_id is None:
            self.fake.fail(f"RESUME with unknown session {data.get('session_id')!r}")
            await self._send(ws, {"op": INVALID_SESSION, "d": False})
            return
        seq = int(data.get("seq") or 0)
        async with self._lock:
            for payload in self.buffer:
                if payload["s"] > seq:
                    await self._send(ws, payload)
            self.live = ws
        await self.dispatch("RESUMED", {"_trace": ["fakediscord"]})
        self.resumes += 1

    async def _chunk(self, data: dict[str, Any]) -> None:
        world = self.fake.world
        query = str(data.get("query") or "")
        wanted = {str(u) for u in data.get("user_ids") or []}
        members = []
        for user in [*world.users.values(), world.bot_user]:
            if not world.is_member(user.id) or (wanted and str(user.id) not in wanted):
                continue
            if user.username.startswith(query):
                members.append(world.member_payload(user))
        limit = int(data.get("limit") or 0)
        chunk: dict[str, Any] = {
            "guild_id": str(world.guild_id),
            "members": members[:limit] if limit else members,
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    # ---- sending ----------------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any]) -> int | None:
        """Send (or buffer while disconnected) a dispatch; returns its sequence number."""
        needed = EVENT_INTENTS.get(event, 0)
        if needed and self.intents is not None and not self.intents & needed:
            return None
        async with self._lock:
            self.seq += 1
            payload = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
            self.buffer.append(payload)
            if self.live is not None and not self.live.closed:
                await self._send(self.live, payload)
        self.fake.changes.pulse()
        return payload["s"]

    async def _send(self, ws: web.WebSocketResponse, payload: dict[str, Any]) -> None:
        if ws.closed:
            return
        with contextlib.suppress(ConnectionError):
            await ws.send_str(_dumps(payload))

    async def _close(self, ws: web.WebSocketResponse, code: int, reason: str) -> None:
        self.close_codes.append(code)
        self.fake.changes.pulse()
        await ws.close(code=code, message=reason.encode())

    async def drop(self, mode: str) -> None:
        """Drop the live connection: "abrupt" (TCP abort), "reconnect_op7" or "close_4000"."""
        ws = self.live
        if ws is None:
            raise RuntimeError("no live gateway connection to drop")
        async with self._lock:
            self.live = None
        actions: dict[str, Callable[[], Any]] = {
            "abrupt": lambda: self._abort(ws),
            "reconnect_op7": lambda: self._send(ws, {"op": RECONNECT, "d": None}),
            "close_4000": lambda: self._close(ws, 4000, "Unknown error"),
        }
        if mode not in actions:
            raise ValueError(f"unknown drop mode {mode!r}; use one of {sorted(actions)}")
        result = actions[mode]()
        if asyncio.iscoroutine(result):
            await result

    def _abort(self, ws: web.WebSocketResponse) -> None:
        request = self.sockets.get(ws)
        transport = request.transport if request is not None else None
        if transport is not None:
            transport.abort()

    async def close_all(self) -> None:
        """Close every open websocket (server shutdown)."""
        self.live = None
        for ws in list(self.sockets):
            await ws.close(code=1001, message=b"fake shutting down")
