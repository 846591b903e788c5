"""Serve the bundled offline snapshot of the site on 127.0.0.1, as the live site would.

The snapshot pages keep the live site's absolute links (`https://global.espreso.tv/...`); the
server rewrites that origin to its own, so a crawl of the snapshot stays on the snapshot.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

SNAPSHOT_DIR = Path(__file__).parent / "espreso" / "snapshot"
LIVE_ORIGIN = b"https://global.espreso.tv"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class Response:
    """A canned answer for one path (used by tests to serve broken pages)."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


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
        self, root: Path = SNAPSHOT_DIR, port: int = 0, overrides: dict[str, Response] | None = None
    ) -> None:
        self.root = root
        self.overrides = dict(overrides or {})
        self.requests: list[str] = []
        self.user_agents: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                server.user_agents.append(self.headers.get("User-Agent", ""))
                answer = server.answer(self.path)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                for name, value in answer.headers:
                    self.send_header(name, value)
                body = answer.body
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>` of the running server."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(self, raw_path: str) -> Response:
        """The answer to one request path: an override, a snapshot file, or a 404."""
        parts = urlsplit(raw_path)
        override = self.overrides.get(raw_path) or self.overrides.get(parts.path)
        if override is not None:
            return replace(override, body=self._local(override.body))
        found = snapshot_file(self.root, parts.path, parts.query)
        if found is None:
            return Response(404, b"<html><body><h1>404 Not Found</h1></body></html>")
        content_type = CONTENT_TYPES.get(found.suffix, "application/octet-stream")
        return Response(200, self._local(found.read_bytes()), content_type)

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
