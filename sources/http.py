"""One polite HTTP client for one site.

Politeness: robots.txt fetched once per client and obeyed (Disallow, Crawl-delay), a rate limit per
host, bounded concurrency, a User-Agent with a contact URL. Resilience: connect and read timeouts,
retries with exponential backoff and jitter on timeouts, connection errors, 429 and 5xx (honouring
`Retry-After`), none on other 4xx; bodies past a size cap are cut off; redirects are followed within the
site only; Cloudflare challenge pages are recorded as blocked. Conditional requests (ETag /
Last-Modified) make unchanged pages cheap. Nothing outside the site's origin is ever requested.

Every header a site sends is untrusted bytes: decoded without failing (non-ASCII bytes kept as
percent-escapes, so the archive keeps them as they were), and ETag, Last-Modified, Location and
Content-Type are checked before they are used, stored or sent back. Every request has a deadline for
headers and body together, and a client may be given the run's fetch budget: requests not done when
it is spent are cut or never made, with that reason.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import urljoin

import httpx
from aiolimiter import AsyncLimiter
from protego import Protego
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    wait_exponential_jitter,
)

from sources.errors import (
    BadLocation,
    Blocked,
    BudgetSpent,
    Disallowed,
    EmptyBody,
    FetchError,
    HTTPStatusError,
    RedirectOffSite,
    Refused,
    Timeout,
    TooLarge,
    TooManyRedirects,
    TransportError,
)
from sources.headers import checked_charset, header, header_text, location_fault
from sources.limits import MAX_CRAWL_DELAY_S, REQUEST_DEADLINE_S
from sources.records import Fetched, Validators
from sources.robots import ROBOTS_PATH, robots_text
from sources.urls import is_on_site

MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHALLENGE_MARKERS = (
    b"cf-chl",
    b"cf_chl_opt",
    b"Just a moment...",
    b"Attention Required! | Cloudflare",
    b"challenge-platform/h/",
)


@dataclass(frozen=True, slots=True)
class FetchBudget:
    """The wall time the fetch stage of a run may take: past `ends_at`, requests are cut or never
    made, and recorded with `reason`."""

    seconds: float
    ends_at: datetime

    @classmethod
    def starting(cls, at: datetime, seconds: float) -> FetchBudget:
        """A budget of `seconds` from `at`."""
        return cls(seconds, at + timedelta(seconds=seconds))

    def left_s(self) -> float:
        """Seconds left now (0 when spent)."""
        return max(0.0, (self.ends_at - datetime.now(UTC)).total_seconds())

    @property
    def reason(self) -> str:
        """`timeout: run fetch budget of 600 s spent`."""
        return f"timeout: run fetch budget of {self.seconds:g} s spent"


def polite_interval(
    min_interval_s: float, crawl_delay: float | None, max_crawl_delay_s: float
) -> float:
    """Seconds between request starts: ours, or robots.txt's Crawl-delay when longer, up to
    `max_crawl_delay_s`."""
    if crawl_delay is None:
        return min_interval_s
    return max(min_interval_s, min(crawl_delay, max_crawl_delay_s))


def crawl_delay(robots_txt: str, user_agent: str) -> float | None:
    """The Crawl-delay robots.txt asks of a User-Agent, in seconds, or None."""
    delay = Protego.parse(robots_txt).crawl_delay(user_agent)
    return None if delay is None else float(delay)


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
    error: FetchError | None = None
    final_url: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    redirects: list[str] = field(default_factory=list)
    retry_after: float | None = None
    blocked: bool = False
    sent: bool = False  # False: cut by the budget before it went out


class _Retry(Exception):
    def __init__(self, attempt: _Attempt) -> None:
        super().__init__(str(attempt.error))
        self.attempt = attempt


class SiteClient:
    """Fetches pages of one site, politely. Use as an async context manager."""

    def __init__(
        self,
        site_url: str,
        *,
        user_agent: str,
        timeout_s: float = 20.0,
        deadline_s: float = REQUEST_DEADLINE_S,
        budget: FetchBudget | None = None,
        max_concurrency: int = 2,
        min_interval_s: float = 1.0,
        max_crawl_delay_s: float = MAX_CRAWL_DELAY_S,
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
        self.deadline_s = deadline_s
        self.budget = budget
        self.max_bytes = max_bytes
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.max_crawl_delay_s = max_crawl_delay_s
        self.obey_robots = obey_robots
        self.robots_fetch: Fetched | None = None
        self._backoff = wait_exponential_jitter(
            multiplier=backoff_s, max=max_backoff_s, jitter=backoff_s
        )
        self._client = httpx.AsyncClient(
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)),
            follow_redirects=False,
            # Cookies the site sets are never sent back (nor kept): they are its bytes too.
            cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),
            event_hooks={"response": [_take_location_aside]},
            transport=transport,
        )
        self._slots = asyncio.Semaphore(max_concurrency)
        self._limiter: AsyncLimiter | None = None
        self._robots: Protego | None = None
        self._robots_lock = asyncio.Lock()
        self._base_interval_s = min_interval_s
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
        interval = polite_interval(
            self._base_interval_s, crawl_delay(text, self.user_agent), self.max_crawl_delay_s
        )
        if interval != self.min_interval_s:
            self._set_interval(interval)

    async def fetch(self, url: str, validators: Validators | None = None) -> Fetched:
        """GET one URL of the site, obeying robots.txt; never raises for network or HTTP trouble."""
        try:
            httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as exc:
            return _refused(url, Refused(f"refused: not a URL that can be requested ({exc})"))
        if not is_on_site(url, self.site_url):
            return _refused(url, Refused(f"refused: {url} is outside {self.site_url}"))
        if self.budget is not None and self._budget_spent():
            return _refused(url, BudgetSpent(self.budget.reason), attempts=0)
        if self.obey_robots and not (await self.robots()).can_fetch(url, self.user_agent):
            return _refused(url, Disallowed())
        return await self._fetch(url, validators.headers() if validators else {})

    async def fetch_all(
        self, urls: Iterable[str], validators: Mapping[str, Validators] | None = None
    ) -> list[Fetched]:
        """Fetch several URLs concurrently (within the client's limits), in the given order."""
        known = validators or {}
        return list(await asyncio.gather(*(self.fetch(url, known.get(url)) for url in urls)))

    def _budget_left_s(self) -> float | None:
        return None if self.budget is None else self.budget.left_s()

    def _budget_spent(self) -> bool:
        return self.budget is not None and self.budget.left_s() <= 0

    async def _fetch(self, url: str, extra_headers: dict[str, str]) -> Fetched:
        requested_at = datetime.now(UTC)
        started = time.perf_counter()
        attempts = 0
        last = _Attempt(final_url=url)
        retrying = AsyncRetrying(
            stop=self._stop,
            wait=self._wait,
            retry=retry_if_exception_type(_Retry),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    last = await self._exchange(url, extra_headers)
                    attempts += last.sent
                    if (
                        last.error is not None
                        and last.error.retryable
                        and not (last.retry_after and last.retry_after > self.max_backoff_s)
                    ):
                        raise _Retry(last)
        except _Retry as exhausted:
            last = exhausted.attempt
        error = None if last.error is None else str(last.error)
        if attempts > 1 and error:
            error = f"{error} (after {attempts} attempts)"
        return Fetched(
            url=url,
            requested_at=requested_at,
            status=last.status,
            body=last.body,
            encoding=last.encoding,
            elapsed_ms=round((time.perf_counter() - started) * 1000),
            error=error,
            final_url=last.final_url,
            attempts=attempts,
            headers=last.headers,
            request_headers=(("User-Agent", self.user_agent), *extra_headers.items()),
            redirects=tuple(last.redirects),
            blocked=last.blocked,
            failure=None if last.error is None else last.error.kind,
        )

    def _stop(self, state: RetryCallState) -> bool:
        # No try past the client's attempts, nor once the run's fetch budget is spent.
        return state.attempt_number >= self.attempts or self._budget_spent()

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _Retry) and error.attempt.retry_after is not None:
            wait = error.attempt.retry_after
        else:
            wait = float(self._backoff(state))
        left = self._budget_left_s()
        return wait if left is None else min(wait, left)

    async def _exchange(self, url: str, extra_headers: dict[str, str]) -> _Attempt:
        """One GET, following redirects within the site; cut when the run's fetch budget is spent
        (waiting for a slot and for the rate limit included)."""
        result = _Attempt(final_url=url)
        try:
            async with asyncio.timeout(self._budget_left_s()):
                await self._hops(url, extra_headers, result)
        except TimeoutError:
            assert self.budget is not None
            result.status, result.body = None, b""
            result.error = BudgetSpent(self.budget.reason)
        return result

    async def _hops(self, url: str, extra_headers: dict[str, str], result: _Attempt) -> None:
        current = url
        async with self._slots:
            for _ in range(MAX_REDIRECTS + 1):
                if self._limiter is not None:
                    await self._limiter.acquire()
                result.sent = True
                try:
                    async with asyncio.timeout(self.deadline_s):
                        target = await self._hop(current, extra_headers, result)
                except TimeoutError:
                    result.status = None
                    result.error = Timeout(
                        f"timeout: no complete answer within {self.deadline_s:g} s"
                    )
                    return
                if target is None:
                    return
                current = target
        result.error = TooManyRedirects(MAX_REDIRECTS)

    async def _hop(self, url: str, extra_headers: dict[str, str], result: _Attempt) -> str | None:
        """One request of a GET: fills `result`; returns the on-site URL a redirect points to."""
        try:
            async with self._client.stream("GET", url, headers=extra_headers) as response:
                raw = response.extensions[_RAW_HEADERS]
                result.status = response.status_code
                result.headers = tuple((k.decode("latin-1"), header_text(v)) for k, v in raw)
                result.final_url = url
                location = next((v for k, v in raw if k.lower() == b"location"), None)
                if response.status_code in REDIRECTS and location is not None:
                    return self._redirect(url, location, result)
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body.extend(chunk)
                    if len(body) > self.max_bytes:
                        result.body = bytes(body[: self.max_bytes])
                        result.error = TooLarge(self.max_bytes)
                        return None
                result.body = bytes(body)
                result.encoding = checked_charset(header(result.headers, "content-type"))[0]
                result.retry_after = retry_after_seconds(
                    header(result.headers, "retry-after"), datetime.now(UTC)
                )
                result.error = _status_error(response.status_code, result.body)
                result.blocked = is_challenge(response.status_code, result.body)
                return None
        except httpx.TimeoutException as exc:
            result.status, result.error = None, Timeout(f"timeout: {type(exc).__name__}")
        except httpx.HTTPError as exc:
            # No complete answer (reset, truncated body): worth another try.
            result.status = None
            result.error = TransportError(f"{type(exc).__name__}: {exc}")
        return None

    def _redirect(self, url: str, location: bytes, result: _Attempt) -> str | None:
        fault = location_fault(location)
        target = None if fault else _joined(url, location.decode("ascii"))
        if target is None:
            result.error = BadLocation(fault or "not a URL")
            return None
        result.redirects.append(target)
        if not is_on_site(target, self.site_url):
            result.error = RedirectOffSite(target)
            return None
        return target


_RAW_HEADERS = "newsflow.raw_headers"


async def _take_location_aside(response: httpx.Response) -> None:
    # httpx reads a redirect's Location before it hands the answer over, and raises on one it
    # cannot parse. newsflow follows redirects itself: the header goes out of httpx's way, and the
    # headers as they came are kept beside the response.
    response.extensions[_RAW_HEADERS] = list(response.headers.raw)
    response.headers.pop("location", None)


def _joined(base: str, location: str) -> str | None:
    # A Location that does not make a URL httpx can request (a broken IPv6 host, say) is refused.
    try:
        target = urljoin(base, location)
        httpx.URL(target)
    except (ValueError, httpx.InvalidURL):
        return None
    return target


def _status_error(status: int, body: bytes) -> FetchError | None:
    if is_challenge(status, body):
        return Blocked(status)
    if status in (200, 304):
        return EmptyBody() if status == 200 and not body else None
    return HTTPStatusError(status)


def _refused(url: str, error: FetchError, attempts: int = 1) -> Fetched:
    return Fetched(
        url, datetime.now(UTC), None, b"", None, 0, str(error), url, attempts, failure=error.kind
    )
