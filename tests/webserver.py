"""A small HTTP server on 127.0.0.1 serving the saved pages in tests/data/web, and misbehaving.

Routes: /pages/NAME (a file from tests/data/web, typed by its suffix), /redirect/N (N redirects,
then the news page), /redirect-to?url=… (one redirect there), /big (more bytes than any test
cap, with no Content-Length), /big-declared (the same, declared), /slow (waits before answering),
/pdf (a non-HTML response), /empty (an HTML page with no article). Every request's headers are
kept in `requests`, so tests can check what a fetch sent.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PAGES = Path(__file__).resolve().parent / "data" / "web"
NEWS = "danube-ferry.html"
BIG_BYTES = 2 * 1024 * 1024
SLOW_SECONDS = 3.0
_TYPES = {".html": "text/html; charset=utf-8", ".md": "text/markdown; charset=utf-8",
          ".txt": "text/plain; charset=utf-8"}


@dataclass
class WebServer:
    """The running server: its base URL and the requests it has seen."""

    base: str
    requests: list[dict[str, str]] = field(default_factory=list)

    def url(self, path: str) -> str:
        """An absolute URL on this server."""
        return self.base + path


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str,
              headers: dict[str, str] | None = None, declare: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Set-Cookie", "session=secret; Path=/")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if declare:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may give up (over the cap, or timed out): that is the point.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.web.requests.append({"path": self.path, **dict(self.headers.items())})
        parts = urlsplit(self.path)
        path = parts.path
        if path.startswith("/pages/"):
            file = PAGES / path.removeprefix("/pages/")
            if not file.is_file():
                self._send(404, b"not found", "text/plain")
                return
            self._send(200, file.read_bytes(), _TYPES.get(file.suffix, "application/octet-stream"))
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            target = f"/redirect/{left - 1}" if left > 1 else f"/pages/{NEWS}"
            self._send(302, b"", "text/plain", {"Location": target})
        elif path == "/redirect-to":
            self._send(302, b"", "text/plain", {"Location": parse_qs(parts.query)["url"][0]})
        elif path in ("/big", "/big-declared"):
            body = b"<html><body>" + b"<p>padding</p>" * (BIG_BYTES // 14) + b"</body></html>"
            self._send(200, body, "text/html", declare=path == "/big-declared")
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200, (PAGES / NEWS).read_bytes(), "text/html")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4 not really", "application/pdf")
        elif path == "/empty":
            self._send(200, (PAGES / "login-wall.html").read_bytes(), "text/html")
        else:
            self._send(404, b"not found", "text/plain")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    web: WebServer


@contextmanager
def serve(host: str = "127.0.0.1") -> Iterator[WebServer]:
    """Run the server on a free port of `host` until the block ends."""
    server = _Server((host, 0), _Handler)
    server.web = WebServer(f"http://{host}:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.web
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
