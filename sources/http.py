"""One polite HTTP client for one site.

Politeness: robots.txt fetched once per client and obeyed (Disallow, Crawl-delay), a rate limit per
host, bounded concurrency, a User-Agent with a contact URL. Resilience: connect and read timeouts,
retries with exponential backoff and jitter on timeouts, connection errors, 429 and 5xx (honouring
`Retry-After`), none on other 4xx; bodies past a size cap are cut off; redirects are followed within the
site only; Cloudflare challenge pages are recorded as blocked. Conditional requests (ETag /
Last-Modified) make unchanged pages cheap. Nothing outside the site's origin is ever requested.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx
from aiolimiter import AsyncLimiter
from protego import Protego
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_PATH = "/robots.txt"
# Retrying these can succeed; other 4xx cannot.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
CHALLENGE_MARKERS = (
    b"cf-chl",
    b"cf_chl_opt",
    b"Just a moment...",
    b"Attention Required! | Cloudflare",
    b"challenge-platform/h/",
)


@dataclass(frozen=True, slots=True)
class Validators:
    """What a conditional request sends back: the last ETag and Last-Modified seen for a URL."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """`If-None-Match` / `If-Modified-Since` headers."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class Fetched:
    """One request (with its retries) and what came back; `error` says why when there is no usable body."""

    url: str
    requested_at: datetime
    status: int | None
    body: bytes
    encoding: str | None
    elapsed_ms: int
    error: str | None
    final_url: str
    attempts: int = 1
    headers: tuple[tuple[str, str], ...] = ()
    request_headers: tuple[tuple[str, str], ...] = ()
    redirects: tuple[str, ...] = ()
    blocked: bool = False

    @property
    def ok(self) -> bool:
        """A complete 200 answer."""
        return self.status == 200 and self.error is None

    @property
    def not_modified(self) -> bool:
        """A 304 to a conditional request: the page did not change."""
        return self.status == 304

    def header(self, name: str) -> str | None:
        """A response header, case-insensitively."""
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)

    @property
    def validators(self) -> Validators:
        """The ETag and Last-Modified to send next time."""
        return Validators(self.header("etag"), self.header("last-modified"))


@dataclass(frozen=True, slots=True)
class LoggedFetch:
    """A request, what it was for (`feed`, `rss`, `sitemap`, `article`, `robots`), and any later problem.

    `expected_absent` marks a 404 that is normal (past the last feed page, no RSS on the site):
    its status is kept but it is not an error.
    """

    fetched: Fetched
    kind: str
    problem: str | None = None
    expected_absent: bool = False
    warc_file: str | None = None
    warc_offset: int | None = None

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


def robots_unreachable(fetched: Fetched) -> bool:
    """robots.txt could not be read (network trouble, 5xx): RFC 9309 says nothing may be fetched."""
    return fetched.status is None or fetched.status >= 500


def robots_text(fetched: Fetched) -> str:
    """The robots.txt rules to obey given how its request went (RFC 9309): the file when there is one,
    nothing disallowed when it is missing (4xx), everything disallowed when unreachable (5xx, network)."""
    if fetched.status == 200:
        return fetched.body.decode("utf-8", "replace")
    if robots_unreachable(fetched):
        return "User-agent: *\nDisallow: /\n"
    return ""


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - now).total_seconds()) if when.tzinfo else None


def is_challenge(status: int | None, body: bytes) -> bool:
    """A Cloudflare challenge page (403/429/503 with the challenge's markers), not content."""
    return status in (403, 429, 503) and any(
        marker in body[:20_000] for marker in CHALLENGE_MARKERS
    )


@dataclass(slots=True)
class _Attempt:
    """The outcome of one HTTP exchange, before retries are decided."""

    status: int | None = None
    body: bytes = b""
    encoding: str | None = None
    error: str | None = None
    final_url: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    redirects: list[str] = field(default_factory=list)
    retry_after: float | None = None
    blocked: bool = False


class _Retry(Exception):
    def __init__(self, attempt: _Attempt) -> None:
        super().__init__(attempt.error)
        self.attempt = attempt


class SiteClient:
    """Fetches pages of one site, politely. Use as an async context manager."""

    def __init__(
        self,
        site_url: str,
        *,
        user_agent: str,
        timeout_s: float = 20.0,
        max_concurrency: int = 2,
        min_interval_s: float = 1.0,
        max_bytes: int = 5_000_000,
        attempts: int = 4,
        backoff_s: float = 1.0,
        max_backoff_s: float = 60.0,
        obey_robots: bool = True,
        robots_txt: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.site_url = site_url.rstrip("/")
        self.user_agent = user_agent
        self.max_bytes = max_bytes
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.obey_robots = obey_robots
        self.robots_fetch: Fetched | None = None
        self._backoff = wait_exponential_jitter(
            multiplier=backoff_s, max=max_backoff_s, jitter=backoff_s
        )
        self._client = httpx.AsyncClient(
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)),
            follow_redirects=False,
            transport=transport,
        )
        self._slots = asyncio.Semaphore(max_concurrency)
        self._limiter: AsyncLimiter | None = None
        self._robots: Protego | None = None
        self._robots_lock = asyncio.Lock()
        self._set_interval(min_interval_s)
        # Another client of the same run may have read robots.txt already: reuse its text.
        self.robots_txt = robots_txt
        if robots_txt is not None:
            self._use_robots(robots_txt)

    def _set_interval(self, seconds: float) -> None:
        # A bucket of one: request starts are at least `seconds` apart, never in bursts.
        self.min_interval_s = seconds
        self._limiter = AsyncLimiter(1, seconds) if seconds > 0 else None

    async def __aenter__(self) -> SiteClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def robots(self) -> Protego:
        """The site's robots.txt, fetched once; a missing file allows all, an unreachable one allows none."""
        async with self._robots_lock:
            if self._robots is None:
                fetched = await self._fetch(self.site_url + ROBOTS_PATH, {})
                self.robots_fetch = fetched
                self.robots_txt = robots_text(fetched)
                self._use_robots(self.robots_txt)
            assert self._robots is not None
            return self._robots

    def _use_robots(self, text: str) -> None:
        self._robots = Protego.parse(text)
        delay = self._robots.crawl_delay(self.user_agent)
        if delay is not None and float(delay) > self.min_interval_s:
            self._set_interval(float(delay))

    async def fetch(self, url: str, validators: Validators | None = None) -> Fetched:
        """GET one URL of the site, obeying robots.txt; never raises for network or HTTP trouble."""
        if not is_on_site(url, self.site_url):
            return _refused(url, f"refused: {url} is outside {self.site_url}")
        if self.obey_robots and not (await self.robots()).can_fetch(url, self.user_agent):
            return _refused(url, "disallowed by robots.txt")
        return await self._fetch(url, validators.headers() if validators else {})

    async def fetch_all(
        self, urls: Iterable[str], validators: Mapping[str, Validators] | None = None
    ) -> list[Fetched]:
        """Fetch several URLs concurrently (within the client's limits), in the given order."""
        known = validators or {}
        return list(await asyncio.gather(*(self.fetch(url, known.get(url)) for url in urls)))

    async def _fetch(self, url: str, extra_headers: dict[str, str]) -> Fetched:
        requested_at = datetime.now(UTC)
        started = time.perf_counter()
        attempts = 0
        last = _Attempt(final_url=url)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Retry),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    last = await self._exchange(url, extra_headers)
                    if _retryable(last) and not (
                        last.retry_after and last.retry_after > self.max_backoff_s
                    ):
                        raise _Retry(last)
        except _Retry as exhausted:
            last = exhausted.attempt
        if attempts > 1 and last.error:
            last.error = f"{last.error} (after {attempts} attempts)"
        return Fetched(
            url=url,
            requested_at=requested_at,
            status=last.status,
            body=last.body,
            encoding=last.encoding,
            elapsed_ms=round((time.perf_counter() - started) * 1000),
            error=last.error,
            final_url=last.final_url,
            attempts=attempts,
            headers=last.headers,
            request_headers=(("User-Agent", self.user_agent), *extra_headers.items()),
            redirects=tuple(last.redirects),
            blocked=last.blocked,
        )

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _Retry) and error.attempt.retry_after is not None:
            return error.attempt.retry_after
        return float(self._backoff(state))

    async def _exchange(self, url: str, extra_headers: dict[str, str]) -> _Attempt:
        """One GET, following redirects within the site."""
        result = _Attempt(final_url=url)
        current = url
        async with self._slots:
            for _ in range(MAX_REDIRECTS + 1):
                if self._limiter is not None:
                    await self._limiter.acquire()
                try:
                    async with self._client.stream(
                        "GET", current, headers=extra_headers
                    ) as response:
                        result.status = response.status_code
                        result.headers = tuple(response.headers.multi_items())
                        result.final_url = current
                        if response.status_code in REDIRECTS and "location" in response.headers:
                            target = urljoin(current, response.headers.get("location", ""))
                            result.redirects.append(target)
                            if not is_on_site(target, self.site_url):
                                result.error = f"redirect off site to {target} not followed"
                                return result
                            current = target
                            continue
                        body = bytearray()
                        async for chunk in response.aiter_bytes():
                            body.extend(chunk)
                            if len(body) > self.max_bytes:
                                result.body = bytes(body[: self.max_bytes])
                                result.error = f"body larger than {self.max_bytes} bytes: cut off"
                                return result
                        result.body = bytes(body)
                        result.encoding = response.charset_encoding
                        result.retry_after = retry_after_seconds(
                            response.headers.get("retry-after"), datetime.now(UTC)
                        )
                        result.error = _status_error(response.status_code, result.body)
                        result.blocked = is_challenge(response.status_code, result.body)
                        return result
                except httpx.TimeoutException as exc:
                    result.status, result.error = None, f"timeout: {type(exc).__name__}"
                    return result
                except httpx.HTTPError as exc:
                    # No complete answer (reset, truncated body): worth another try.
                    result.status, result.error = None, f"{type(exc).__name__}: {exc}"
                    return result
        result.error = f"more than {MAX_REDIRECTS} redirects"
        return result


def _status_error(status: int, body: bytes) -> str | None:
    if is_challenge(status, body):
        return f"blocked: Cloudflare challenge (HTTP {status})"
    if status in (200, 304):
        return "empty body" if status == 200 and not body else None
    return f"HTTP {status}"


def _retryable(attempt: _Attempt) -> bool:
    if attempt.blocked or attempt.error is None:
        return False
    if attempt.status is None:
        # Timeouts and broken connections; a redirect loop or an off-site hop will not mend itself.
        return not attempt.error.startswith(("more than", "redirect off site"))
    return attempt.status in RETRY_STATUSES


def _refused(url: str, reason: str) -> Fetched:
    return Fetched(url, datetime.now(UTC), None, b"", None, 0, reason, url)
