"""Where the client connects: point discord.py at the fake; refuse non-loopback hosts before DNS."""

from __future__ import annotations

import socket
from collections.abc import Callable
from types import TracebackType
from typing import Any

import aiohttp
import yarl
from aiohttp.abc import AbstractResolver, ResolveResult

LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost", "[::1]"}


class NonLoopbackHostError(RuntimeError):
    """Raised when a test client tries to reach a host other than 127.0.0.1 / ::1 / localhost."""


def _check(host: str | None, what: str) -> None:
    if host not in LOOPBACK_HOSTS:
        raise NonLoopbackHostError(
            f"loopback_connector refused {what} {host!r}: point discord.py at the fake "
            "(FakeDiscord.point_discord_py_here()) before starting the client"
        )


class LoopbackResolver(AbstractResolver):
    """Resolves only localhost names, without touching DNS."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Map localhost to 127.0.0.1 (or ::1); refuse anything else."""
        _check(host, "host")
        address = "::1" if host in ("::1", "[::1]") else "127.0.0.1"
        fam = socket.AF_INET6 if address == "::1" else socket.AF_INET
        return [ResolveResult(hostname=host, host=address, port=port, family=fam, proto=0, flags=0)]

    async def close(self) -> None:
        """Nothing to release."""


class LoopbackConnector(aiohttp.TCPConnector):
    """TCPConnector that checks the target (and any proxy) is loopback before connecting."""

    async def connect(self, req: Any, traces: Any, timeout: Any) -> Any:
        """Refuse non-loopback targets, then connect as usual."""
        _check(req.url.host, "host")
        if req.proxy is not None:
            _check(req.proxy.host, "proxy")
        return await super().connect(req, traces, timeout)


def loopback_connector(**kwargs: Any) -> LoopbackConnector:
    """Return a connector for `discord.Client(connector=...)` that only reaches loopback."""
    kwargs.setdefault("limit", 0)
    return LoopbackConnector(resolver=LoopbackResolver(), **kwargs)


class Restore:
    """Undo for `point_discord_py_here()`: call it, or use it as a context manager."""

    def __init__(self, undo: Callable[[], None]) -> None:
        self._undo = undo

    def __call__(self) -> None:
        """Restore discord.py's previous REST base and gateway URL."""
        self._undo()

    def __enter__(self) -> Restore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._undo()


def point_discord_py(api_base: str, gateway_url: str) -> Restore:
    """Set discord.http.Route.BASE and DiscordWebSocket.DEFAULT_GATEWAY; return the undo."""
    import discord.gateway
    import discord.http

    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)

    def undo() -> None:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    return Restore(undo)
