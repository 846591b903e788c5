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
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import quote_from_bytes, urljoin, urlsplit

import httpx
from aiolimiter import AsyncLimiter
from protego import Protego
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    wait_exponential_jitter,
)

from sources.limits import MAX_CRAWL_DELAY_S, REQUEST_DEADLINE_S

MAX_REDIRECTS = 5
MAX_URL_LENGTH = 2000  # longer is not a page of a site
# ETag, Last-Modified and Content-Type values longer than this are not real ones.
MAX_HEADER_CHARS = 256
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


# A header value that is not all ASCII keeps visible ASCII as it is and escapes every other byte
# (and `%`) as %XX: the text says exactly which bytes came, and the WARC archive stores it unchanged.
_KEPT = bytes(b for b in range(0x20, 0x7F) if b != ord("%"))
_ESCAPED_NOT_ASCII = re.compile(r"%[89a-fA-F][0-9a-fA-F]")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_ENTITY_TAG = re.compile(r'(W/)?"[\x21\x23-\x7e]*"')
_MEDIA_TYPE = re.compile(
    r"[A-Za-z0-9][\w!#$&^.+-]*/[A-Za-z0-9][\w!#$&^.+-]*[ \t]*(;.*)?", re.ASCII | re.DOTALL
)
_CHARSET = re.compile(r';[ \t]*charset[ \t]*=[ \t]*"?([^";]*)"?', re.IGNORECASE)


def header_text(raw: bytes) -> str:
    """A header value as text, whatever its bytes: ASCII as it is, any other byte as a %XX escape."""
    return raw.decode("ascii") if raw.isascii() else quote_from_bytes(raw, safe=_KEPT)


def _fault(text: str, limit: int) -> str | None:
    if not text.isascii():
        return "non-ASCII bytes"
    if _CONTROL.search(text):
        return "a control character"
    if len(text) > limit:
        return f"longer than {limit} characters"
    return None


def value_fault(value: str, limit: int = MAX_HEADER_CHARS) -> str | None:
    """Why a header value as `header_text` gives it cannot be used as it is (None when it can):
    bytes that were not ASCII (escaped or not), a control character, or more than `limit` characters."""
    return "non-ASCII bytes" if _ESCAPED_NOT_ASCII.search(value) else _fault(value, limit)


def checked_etag(value: str | None) -> tuple[str | None, str | None]:
    """An ETag fit to send back in `If-None-Match` (None when absent or unfit), and why it was dropped."""
    if value is None:
        return None, None
    fault = value_fault(value) or (
        None if _ENTITY_TAG.fullmatch(value) else "not a quoted entity tag"
    )
    return (None, f"bad header: ETag dropped ({fault})") if fault else (value, None)


def checked_last_modified(value: str | None) -> tuple[str | None, str | None]:
    """A Last-Modified date in the HTTP form (`Mon, 27 Oct 2025 10:00:00 GMT`), fit to send back in
    `If-Modified-Since` (None when absent or unfit), and why it was dropped."""
    if value is None:
        return None, None
    fault = value_fault(value)
    when = None if fault else _http_date(value)
    if when is None:
        return None, f"bad header: Last-Modified dropped ({fault or 'not an HTTP date'})"
    return format_datetime(when.astimezone(UTC), usegmt=True), None


def _http_date(value: str) -> datetime | None:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when.tzinfo else None


def checked_charset(content_type: str | None) -> tuple[str | None, str | None]:
    """The character set a Content-Type declares when Python can decode with it (else None), and
    why the header was ignored."""
    if content_type is None:
        return None, None
    fault = value_fault(content_type) or (
        None if _MEDIA_TYPE.fullmatch(content_type.strip()) else "not a media type"
    )
    declared = _CHARSET.search(content_type) if fault is None else None
    name = declared.group(1).strip() if declared else None
    if fault is None and name is not None and not _text_codec(name):
        fault = f"unknown charset {name[:40]}"
    if fault:
        return None, f"bad header: Content-Type ignored ({fault})"
    return name or None, None


def _text_codec(name: str) -> bool:
    # A codec that decodes bytes to text: not rot13 or base64, nor one that always raises.
    try:
        b"\\x\xe9".decode(name)
    except UnicodeDecodeError:
        return True
    except (LookupError, ValueError):
        return False
    return True


def location_fault(raw: bytes) -> str | None:
    """Why a redirect's Location (its bytes as sent) cannot be followed, or None."""
    return _fault(raw.decode("latin-1"), MAX_URL_LENGTH)


def header_problems(headers: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """What was wrong with an answer's ETag, Last-Modified and Content-Type (each then unused)."""
    found = dict((k.lower(), v) for k, v in headers)
    return tuple(
        problem
        for check, name in (
            (checked_etag, "etag"),
            (checked_last_modified, "last-modified"),
            (checked_charset, "content-type"),
        )
        if (problem := check(found.get(name))[1])
    )


@dataclass(frozen=True, slots=True)
class Validators:
    """What a conditional request sends back: the last ETag and Last-Modified seen for a URL."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def checked(
        cls, etag: str | None, last_modified: str | None
    ) -> tuple[Validators, tuple[str, ...]]:
        """Validators with any value that is not a valid header dropped, and why each was."""
        (tag, tag_problem), (modified, modified_problem) = (
            checked_etag(etag),
            checked_last_modified(last_modified),
        )
        return cls(tag, modified), tuple(p for p in (tag_problem, modified_problem) if p)

    def headers(self) -> dict[str, str]:
        """`If-None-Match` / `If-Modified-Since` headers, of valid values only."""
        sendable, _ = Validators.checked(self.etag, self.last_modified)
        headers = {}
        if sendable.etag:
            headers["If-None-Match"] = sendable.etag
        if sendable.last_modified:
            headers["If-Modified-Since"] = sendable.last_modified
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
        """The ETag and Last-Modified to send next time (only valid ones)."""
        return Validators.checked(self.header("etag"), self.header("last-modified"))[0]

    @property
    def header_problems(self) -> tuple[str, ...]:
        """What was wrong with the answer's ETag, Last-Modified and Content-Type."""
        return header_problems(self.headers)


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
        """The request's error, its bad headers and any parse problem, or None."""
        fetch_error = None if self.expected_absent else self.fetched.error
        found = (fetch_error, *self.fetched.header_problems, self.problem)
        return "; ".join(e for e in found if e) or None


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
    sent: bool = False  # False: cut by the budget before it went out


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
            return _refused(url, f"refused: not a URL that can be requested ({exc})")
        if not is_on_site(url, self.site_url):
            return _refused(url, f"refused: {url} is outside {self.site_url}")
        if self.budget is not None and self._budget_spent():
            return _refused(url, self.budget.reason, attempts=0)
        if self.obey_robots and not (await self.robots()).can_fetch(url, self.user_agent):
            return _refused(url, "disallowed by robots.txt")
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
            result.status, result.body, result.error = None, b"", self.budget.reason
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
                    result.error = f"timeout: no complete answer within {self.deadline_s:g} s"
                    return
                if target is None:
                    return
                current = target
        result.error = f"more than {MAX_REDIRECTS} redirects"

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
                        result.error = f"body larger than {self.max_bytes} bytes: cut off"
                        return None
                result.body = bytes(body)
                result.encoding = checked_charset(_header(result.headers, "content-type"))[0]
                result.retry_after = retry_after_seconds(
                    _header(result.headers, "retry-after"), datetime.now(UTC)
                )
                result.error = _status_error(response.status_code, result.body)
                result.blocked = is_challenge(response.status_code, result.body)
                return None
        except httpx.TimeoutException as exc:
            result.status, result.error = None, f"timeout: {type(exc).__name__}"
        except httpx.HTTPError as exc:
            # No complete answer (reset, truncated body): worth another try.
            result.status, result.error = None, f"{type(exc).__name__}: {exc}"
        return None

    def _redirect(self, url: str, location: bytes, result: _Attempt) -> str | None:
        fault = location_fault(location)
        target = None if fault else _joined(url, location.decode("ascii"))
        if target is None:
            result.error = f"bad header: Location not followed ({fault or 'not a URL'})"
            return None
        result.redirects.append(target)
        if not is_on_site(target, self.site_url):
            result.error = f"redirect off site to {target} not followed"
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


def _header(headers: Iterable[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name), None)


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
        # Timeouts and broken connections; a redirect loop, an off-site hop, a bad Location or a
        # spent budget will not mend itself.
        return not attempt.error.startswith(
            ("more than", "redirect off site", "bad header", "timeout: run fetch budget")
        )
    return attempt.status in RETRY_STATUSES


def _refused(url: str, reason: str, attempts: int = 1) -> Fetched:
    return Fetched(url, datetime.now(UTC), None, b"", None, 0, reason, url, attempts)
