"""One polite HTTP client for one site: timeouts, a clear User-Agent, bounded concurrency,
a minimum interval between requests, a size cap, and nothing fetched outside the site's origin."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

MAX_REDIRECTS = 5


@dataclass(frozen=True, slots=True)
class Fetched:
    """One request and what came back; `error` says why when there is no usable body."""

    url: str
    requested_at: datetime
    status: int | None
    body: bytes
    encoding: str | None
    elapsed_ms: int
    error: str | None
    final_url: str

    @property
    def ok(self) -> bool:
        """A complete 200 answer."""
        return self.status == 200 and self.error is None


@dataclass(frozen=True, slots=True)
class LoggedFetch:
    """A request, what it was for (`feed`, `rss`, `sitemap`, `article`), and any later problem.

    `expected_absent` marks a 404 that is normal (past the last feed page, no RSS on the site):
    its status is kept but it is not an error.
    """

    fetched: Fetched
    kind: str
    problem: str | None = None
    expected_absent: bool = False

    @property
    def error(self) -> str | None:
        """The request's error and any parse problem, or None."""
        fetch_error = None if self.expected_absent else self.fetched.error
        return "; ".join(e for e in (fetch_error, self.problem) if e) or None


def origin(url: str) -> tuple[str, str]:
    """(scheme, host[:port]) of a URL, lower-cased."""
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def is_on_site(url: str, site_url: str) -> bool:
    """True when `url` has the same scheme and host (and port) as the site."""
    return origin(url) == origin(site_url)


class SiteClient:
    """Fetches pages of one site, politely. Use as an async context manager."""

    def __init__(
        self,
        site_url: str,
        *,
        user_agent: str,
        timeout_s: float = 20.0,
        max_concurrency: int = 2,
        min_interval_s: float = 0.0,
        max_bytes: int = 5_000_000,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.site_url = site_url
        self.max_bytes = max_bytes
        self._client = httpx.AsyncClient(
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)),
            follow_redirects=False,
            transport=transport,
        )
        self._slots = asyncio.Semaphore(max_concurrency)
        self._min_interval = min_interval_s
        self._next_start = 0.0
        self._pace = asyncio.Lock()

    async def __aenter__(self) -> SiteClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def _wait_turn(self) -> None:
        async with self._pace:
            delay = self._next_start - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next_start = time.monotonic() + self._min_interval

    async def fetch(self, url: str) -> Fetched:
        """GET one URL of the site; never raises for network or HTTP trouble."""
        requested_at = datetime.now(UTC)
        started = time.perf_counter()

        def result(
            status: int | None, body: bytes, error: str | None, final: str, enc: str | None = None
        ) -> Fetched:
            elapsed = round((time.perf_counter() - started) * 1000)
            return Fetched(url, requested_at, status, body, enc, elapsed, error, final)

        if not is_on_site(url, self.site_url):
            return result(None, b"", f"refused: {url} is outside {self.site_url}", url)
        current = url
        async with self._slots:
            for _ in range(MAX_REDIRECTS + 1):
                await self._wait_turn()
                try:
                    async with self._client.stream("GET", current) as response:
                        if response.is_redirect:
                            target = urljoin(current, response.headers.get("location", ""))
                            if not is_on_site(target, self.site_url):
                                return result(
                                    response.status_code,
                                    b"",
                                    f"redirect off site to {target} not followed",
                                    current,
                                )
                            current = target
                            continue
                        body = bytearray()
                        async for chunk in response.aiter_bytes():
                            body.extend(chunk)
                            if len(body) > self.max_bytes:
                                return result(
                                    response.status_code,
                                    bytes(body[: self.max_bytes]),
                                    f"body larger than {self.max_bytes} bytes: cut off",
                                    current,
                                )
                        error = (
                            None if response.status_code == 200 else f"HTTP {response.status_code}"
                        )
                        if response.status_code == 200 and not body:
                            error = "empty body"
                        return result(
                            response.status_code,
                            bytes(body),
                            error,
                            current,
                            response.charset_encoding,
                        )
                except httpx.TimeoutException as exc:
                    return result(None, b"", f"timeout: {type(exc).__name__}", current)
                except httpx.HTTPError as exc:
                    return result(None, b"", f"{type(exc).__name__}: {exc}", current)
        return result(None, b"", f"more than {MAX_REDIRECTS} redirects", current)

    async def fetch_all(self, urls: Iterable[str]) -> list[Fetched]:
        """Fetch several URLs concurrently (within the client's limits), in the given order."""
        return list(await asyncio.gather(*(self.fetch(url) for url in urls)))
