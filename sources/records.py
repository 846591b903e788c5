"""The records that cross stages: what a request brought back, and what the parsers made of it.

Plain frozen dataclasses with no third-party imports, so that the stages above (transforms,
expectations, warehouse, the replay workers) can read them without loading the HTTP stack or the
HTML parser.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from sources.errors import FailureKind, failure_name, stored_failure
from sources.headers import checked_etag, checked_last_modified, header, header_problems


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
    """One request (with its retries) and what came back; `error` says why when there is no usable
    body, and `failure` what kind of failure that was (`sources.errors`)."""

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
    failure: FailureKind | None = None

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
        return header(self.headers, name)

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
    """A request, what it was for (`feed`, `rss`, `sitemap`, `article`, `robots`), and any later
    problem with its answer, of kind `problem_kind` (`parse problem` or `capped`).

    `expected_absent` marks a 404 that is normal (past the last feed page, no RSS on the site):
    its status is kept but it is not an error.
    """

    fetched: Fetched
    kind: str
    problem: str | None = None
    expected_absent: bool = False
    warc_file: str | None = None
    warc_offset: int | None = None
    problem_kind: FailureKind = FailureKind.PARSE_PROBLEM

    @property
    def fetch_error(self) -> str | None:
        """The request's own error (None for a normal 404)."""
        return None if self.expected_absent else self.fetched.error

    @property
    def error(self) -> str | None:
        """The request's error, its bad headers and any parse problem, or None."""
        found = (self.fetch_error, *self.fetched.header_problems, self.problem)
        return "; ".join(e for e in found if e) or None

    @property
    def failure(self) -> str | None:
        """The kind of the first of `error`'s parts, named as the run summary counts it
        (`timeout`, `HTTP 503`, `bad header`, `capped`, `parse problem`, ...), or None. A fetch
        error without a kind (a record made by hand) is named from its text."""
        if fetch_error := self.fetch_error:
            status = self.fetched.status
            kind = self.fetched.failure or stored_failure(fetch_error, status)
            return failure_name(kind, status)
        if self.fetched.header_problems:
            return FailureKind.BAD_HEADER.value
        return self.problem_kind.value if self.problem else None


@dataclass(frozen=True, slots=True)
class Tag:
    """One entry of an article's tag cloud."""

    name: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Related:
    """One "Read also" link under an article."""

    url: str
    title: str


@dataclass(frozen=True, slots=True)
class Article:
    """What one article page says about itself."""

    url: str
    slug: str
    section: str | None
    badge: str | None
    title: str
    lead: str | None
    author: str | None
    author_url: str | None
    published_at: datetime | None
    modified_at: datetime | None
    body_text: str
    image_url: str | None
    language: str | None
    tags: tuple[Tag, ...]
    related: tuple[Related, ...]
    # What a generic reader (any outlet) also says; the Espreso reader fills these from the above.
    authors: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    # The wall time the page states when it gives no offset (then `published_at` is None and
    # `zone_stated` False): an instant is never made from a guessed zone.
    published_local: datetime | None = None
    zone_stated: bool = True

    @property
    def word_count(self) -> int:
        """Words in the body, split on whitespace."""
        return len(self.body_text.split())

    @property
    def content_hash(self) -> str:
        """sha256 of title, lead and body: a change means a new revision."""
        joined = "\x1f".join((self.title, self.lead or "", self.body_text))
        return hashlib.sha256(joined.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class FetchedArticle:
    """A parsed article and when its page was fetched."""

    article: Article
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class ArticleParse:
    """An article record (None when the page is unusable), what was wrong with the page, and which
    of the template's key elements (`sources.espreso.site.LAYOUT_PARTS`) were found: a drop across
    many pages at once means the site changed its layout."""

    url: str
    article: Article | None
    problems: tuple[str, ...]
    found: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class FeedRow:
    """One row of the "News" feed, in page order (position 0 = top)."""

    position: int
    url: str
    title: str
    subtitle: str | None
    badge: str | None
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class FeedParse:
    """The rows of a "News" feed list, its "More news" link, and problems found."""

    page_url: str
    rows: tuple[FeedRow, ...]
    next_page_url: str | None
    problems: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """A `<url>` or `<sitemap>` entry; `lastmod` is the date part only."""

    loc: str
    lastmod: date | None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A sitemap index (`is_index`) or urlset."""

    is_index: bool
    entries: tuple[SitemapEntry, ...]
    problems: tuple[str, ...] = field(default=())


@dataclass(slots=True)
class Discovery:
    """What the discovery requests found: feed pages, listed URLs, and every request with its
    problem (filled by `sources.espreso.crawl`)."""

    feeds: list[tuple[FeedParse, Fetched]] = field(default_factory=list)
    listed_urls: list[str] = field(default_factory=list)
    requests: list[LoggedFetch] = field(default_factory=list)
    lastmods: dict[str, date] = field(default_factory=dict)
    left_urls: int = 0

    def log(
        self,
        fetched: Fetched,
        kind: str,
        problem: str | None = None,
        problem_kind: FailureKind = FailureKind.PARSE_PROBLEM,
    ) -> None:
        """Record one request; a 404 for a list page (past the last feed page, a site without
        RSS or sitemap) is normal, not an error."""
        self.requests.append(
            LoggedFetch(
                fetched,
                kind,
                problem,
                expected_absent=fetched.status == 404 and kind != "article",
                problem_kind=problem_kind,
            )
        )


@dataclass(frozen=True, slots=True)
class Parsed:
    """The article pages of a run: what parsed, every page's layout, every request with its problem."""

    items: list[FetchedArticle]
    pages: list[ArticleParse]
    requests: list[LoggedFetch]
