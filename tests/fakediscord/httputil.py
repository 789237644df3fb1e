"""HTTP helpers: exact `application/json` replies, Discord errors, body parsing, a tiny router."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .state import RecordedRequest


def json_reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """Reply with `Content-Type: application/json` exactly (json_response would add a charset)."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def no_content() -> web.Response:
    """Reply 204 No Content."""
    return web.Response(status=204)


def error_reply(
    status: int, code: int, message: str, errors: dict[str, Any] | None = None
) -> web.Response:
    """Reply with Discord's error JSON `{code, message[, errors]}`."""
    body: dict[str, Any] = {"code": code, "message": message}
    if errors is not None:
        body["errors"] = errors
    return json_reply(body, status=status)


@dataclass
class Call:
    """One parsed REST request handed to a route handler."""

    request: web.Request
    params: dict[str, str]
    json: Any
    files: list[dict[str, Any]]
    record: RecordedRequest
    failures: list[str] = field(default_factory=list)

    @property
    def query(self) -> dict[str, str]:
        """The query string as a dict."""
        return self.record.query

    def fail(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> web.Response:
        """Answer an error and note it as a strictness failure."""
        self.failures.append(f"{self.record.method} {self.record.path}: {status} {code} {message}")
        return error_reply(status, code, message, errors)


async def read_body(request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
    """Parse a JSON body or a multipart body (payload_json + files[n])."""
    if not request.can_read_body:
        return None, []
    ctype = request.headers.get("Content-Type", "")
    if ctype.startswith("multipart/"):
        payload: Any = None
        files: list[dict[str, Any]] = []
        reader = await request.multipart()
        async for part in reader:
            name = getattr(part, "name", None)
            data = await part.read()  # type: ignore[union-attr]
            if name == "payload_json":
                payload = json.loads(data.decode())
            else:
                files.append(
                    {
                        "field": name,
                        "filename": getattr(part, "filename", None) or name,
                        "content_type": part.headers.get("Content-Type"),
                        "size": len(data),
                        "data": bytes(data),
                    }
                )
        return payload, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return {"__invalid_json__": raw.decode(errors="replace")}, []


Handler = Callable[[Call], Awaitable[web.StreamResponse]]


@dataclass
class Route:
    """A REST route: method, path pattern with {params}, handler, whether bot auth is needed."""

    method: str
    regex: re.Pattern[str]
    handler: Handler
    auth: bool


class Router:
    """Matches `/api/v10/...` paths against registered patterns."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: Handler, *, auth: bool = True) -> None:
        """Register `pattern` like `/channels/{channel_id}/messages`."""
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self.routes.append(Route(method, re.compile(f"^{regex}$"), handler, auth))

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """Return (route, params, path_exists_for_another_method)."""
        other = False
        for route in self.routes:
            m = route.regex.match(path)
            if m is None:
                continue
            if route.method == method:
                return route, m.groupdict(), True
            other = True
        return None, {}, other
