"""Serve the bundled offline snapshot of the site on 127.0.0.1, as the live site would, with faults
on demand.

The snapshot pages keep the live site's absolute links (`https://global.espreso.tv/...`); the
server rewrites that origin to its own, so a crawl of the snapshot stays on the snapshot. Snapshot
files carry an ETag and Last-Modified and answer conditional requests with 304. Tests swap any path
for canned `Response`s (or a sequence of them, served in turn, the last one repeating) that can be
slow, drip their body a byte at a time, reset the connection, promise more bytes than they send, or
carry header bytes no well-behaved server sends (non-ASCII, control characters, huge values).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

SNAPSHOT_DIR = Path(__file__).parent / "espreso" / "snapshot"
LIVE_ORIGIN = b"https://global.espreso.tv"
# When the bundled pages were captured: 12:00 in Kyiv on Monday 27 October 2025.
SNAPSHOT_CAPTURED_AT = datetime(2025, 10, 27, 10, 0, tzinfo=UTC)
SNAPSHOT_LAST_MODIFIED = format_datetime(SNAPSHOT_CAPTURED_AT, usegmt=True)
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class Response:
    """A canned answer for one path.

    `delay_s` waits before answering; `reset` closes the connection without an answer;
    `declared_length` sends a Content-Length larger than the body, then closes (a truncated body);
    `drip_s` sends the body one byte every `drip_s` seconds; `raw_headers` are written as the bytes
    they are (`http.server` would encode a text header as Latin-1, or refuse it); an empty
    `content_type` sends none (to send one in `raw_headers`).
    """

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    delay_s: float = 0.0
    reset: bool = False
    declared_length: int | None = None
    drip_s: float = 0.0
    raw_headers: tuple[tuple[bytes, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    at: float


def snapshot_file(root: Path, path: str, query: str) -> Path | None:
    """The snapshot file that answers a request path, or None (a 404)."""
    page = parse_qs(query).get("page", ["1"])[0]
    fixed = {
        "/": "index.html",
        "/news": "news.html" if page == "1" else f"news-page-{page}.html",
        "/rss": "rss.xml",
        "/robots.txt": "robots.txt",
    }
    name = fixed.get(path.rstrip("/") or "/")
    if name is None and path.endswith(".xml") and path.count("/") == 1:
        name = path.lstrip("/")
    if name is None and path.count("/") == 1:
        name = f"articles/{path.lstrip('/')}.html"
    if name is None or ".." in name:
        return None
    candidate = root / name
    return candidate if candidate.is_file() else None


class SnapshotServer:
    """A threaded HTTP server over a snapshot folder; use as a context manager."""

    def __init__(
        self,
        root: Path = SNAPSHOT_DIR,
        port: int = 0,
        overrides: Mapping[str, Response | Sequence[Response]] | None = None,
    ) -> None:
        self.root = root
        self.overrides: dict[str, Response | Sequence[Response]] = dict(overrides or {})
        self.seen: list[Seen] = []
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without this, Nagle and delayed ACKs add 40 ms.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                with server._lock:
                    server.seen.append(
                        Seen(self.path, dict(self.headers.items()), time.monotonic())
                    )
                answer = server.answer(self.path, self.headers.get("If-None-Match"))
                if answer.delay_s:
                    time.sleep(answer.delay_s)
                if answer.reset:
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(answer.status)
                if answer.content_type:
                    self.send_header("Content-Type", answer.content_type)
                for name, value in answer.headers:
                    self.send_header(name, value)
                body = answer.body
                self.send_header("Content-Length", str(answer.declared_length or len(body)))
                if answer.declared_length:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                if answer.raw_headers:
                    self.flush_headers()
                    self.wfile.write(
                        b"".join(k + b": " + v + b"\r\n" for k, v in answer.raw_headers)
                    )
                self.end_headers()
                if answer.drip_s:
                    self._drip(body, answer.drip_s)
                else:
                    self.wfile.write(body)

            def _drip(self, body: bytes, every_s: float) -> None:
                try:
                    for i in range(len(body)):
                        self.wfile.write(body[i : i + 1])
                        self.wfile.flush()
                        time.sleep(every_s)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up waiting: as it should

            def log_message(self, format: str, *args: object) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>` of the running server."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[str]:
        """Paths requested so far, in order."""
        return [s.path for s in self.seen]

    @property
    def user_agents(self) -> list[str]:
        """User-Agent of each request so far."""
        return [s.headers.get("User-Agent", "") for s in self.seen]

    def answer(self, raw_path: str, if_none_match: str | None = None) -> Response:
        """The answer to one request path: an override, a snapshot file (or 304), or a 404."""
        parts = urlsplit(raw_path)
        key = raw_path if raw_path in self.overrides else parts.path
        override = self.overrides.get(key)
        if override is not None:
            if isinstance(override, Response):
                return replace(override, body=self._local(override.body))
            with self._lock:
                n = self._served.get(key, 0)
                self._served[key] = n + 1
            chosen = override[min(n, len(override) - 1)]
            return replace(chosen, body=self._local(chosen.body))
        found = snapshot_file(self.root, parts.path, parts.query)
        if found is None:
            return Response(404, b"<html><body><h1>404 Not Found</h1></body></html>")
        body = self._local(found.read_bytes())
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
        validators = (("ETag", etag), ("Last-Modified", SNAPSHOT_LAST_MODIFIED))
        if if_none_match == etag:
            return Response(304, b"", headers=validators)
        return Response(
            200, body, CONTENT_TYPES.get(found.suffix, "application/octet-stream"), validators
        )

    def _local(self, body: bytes) -> bytes:
        return body.replace(LIVE_ORIGIN, self.base_url.encode())

    def __enter__(self) -> SnapshotServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
