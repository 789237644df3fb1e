"""Attachments for ATTACHMENT options (type 11): their objects, and their bytes served as a CDN."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

ATTACHMENT = 11
CDN_PREFIX = "/attachments"


@dataclass(frozen=True)
class AttachmentFile:
    """A file a user attaches to a slash command."""

    filename: str
    data: bytes
    content_type: str = "text/html; charset=utf-8"


@dataclass
class Attachments:
    """Uploaded files by id; `base` is the fake's http://127.0.0.1:PORT (set when it starts)."""

    base: str = ""
    files: dict[int, AttachmentFile] = field(default_factory=dict)
    downloads: list[dict[str, str]] = field(default_factory=list)  # headers of each download

    def add(self, attachment_id: int, channel_id: int, file: AttachmentFile) -> dict[str, Any]:
        """Keep a file; its attachment object as Discord sends it in `resolved.attachments`."""
        self.files[attachment_id] = file
        url = f"{self.base}{CDN_PREFIX}/{channel_id}/{attachment_id}/{file.filename}?ex=1&is=1&hm=0"
        return {"id": str(attachment_id), "filename": file.filename, "size": len(file.data),
                "url": url, "proxy_url": url, "content_type": file.content_type}

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Serve an attachment's bytes (as Discord's CDN: no authorization needed or expected)."""
        self.downloads.append(dict(request.headers.items()))
        file = self.files.get(int(request.match_info["id"]))
        if file is None or file.filename != request.match_info["filename"]:
            return web.Response(status=404, text="404: Not Found")
        return web.Response(body=file.data, content_type=file.content_type.split(";")[0])
