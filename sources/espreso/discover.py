"""Which URLs a run should fetch: pure decisions over what the feed, RSS and sitemaps listed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from urllib.parse import urlsplit

from sources.espreso.dates import KYIV
from sources.limits import MAX_NEW_URLS
from sources.records import FeedRow, SitemapEntry
from sources.urls import MAX_URL_LENGTH, canonical_url, is_on_site

FEED_PATH = "/news"

RSS_PATH = "/rss"
SITEMAP_PATH = "/sitemap.xml"
# News sitemaps of an index read per run (the newest): more is not the site's normal shape.
MAX_SITEMAPS = 20
NOT_ARTICLES = frozenset({"/", "/news", "/rss", "/sitemap.xml", "/search-results"})


def site_page(site_url: str, path: str) -> str:
    """An absolute URL of a page of the site."""
    return site_url.rstrip("/") + path


def is_article_url(url: str, site_url: str) -> bool:
    """An on-site URL of the flat `/<slug>` form that is not a known list page."""
    if len(url) > MAX_URL_LENGTH or not is_on_site(url, site_url):
        return False
    path = urlsplit(url).path.rstrip("/")
    return path.count("/") == 1 and path not in NOT_ARTICLES and not path.endswith(".xml")


def has_new_rows(rows: Iterable[FeedRow], known_feed_urls: set[str]) -> bool:
    """True when a feed page lists at least one URL not seen before."""
    return any(row.url not in known_feed_urls for row in rows)


def news_sitemaps(index: Iterable[SitemapEntry], site_url: str) -> list[str]:
    """The article sitemaps of a sitemap index (tags and categories list no articles)."""
    return [
        entry.loc
        for entry in index
        if is_on_site(entry.loc, site_url) and "news" in urlsplit(entry.loc).path
    ]


def newest(urls: Sequence[str], lastmods: Mapping[str, date | None], limit: int) -> list[str]:
    """At most `limit` of the URLs, the newest by `lastmod` (those without one count as newest:
    RSS lists only the latest), in their own order."""
    if len(urls) <= limit:
        return list(urls)
    by_age = sorted(range(len(urls)), key=lambda i: _age(lastmods.get(urls[i])))
    return [urls[i] for i in sorted(by_age[:limit])]


def _age(lastmod: date | None) -> int:
    return -date.max.toordinal() - 1 if lastmod is None else -lastmod.toordinal()


def newest_new_urls(
    site_url: str,
    listed_urls: Iterable[str],
    lastmods: Mapping[str, date],
    known: set[str],
    limit: int = MAX_NEW_URLS,
) -> tuple[list[str], int]:
    """The listed article URLs not in `known`, at most `limit` of them (the newest by sitemap
    `lastmod`), in listing order; and how many were left for later runs."""
    new: dict[str, date | None] = {}
    for url in listed_urls:
        clean = canonical_url(url, site_url)
        if clean not in known and clean not in new and is_article_url(clean, site_url):
            new[clean] = lastmods.get(url)
    kept = newest(list(new), new, limit)
    return kept, len(new) - len(kept)


def row_state(row: FeedRow) -> tuple[str, str | None, datetime | None]:
    """What the feed shows of a story: headline, badge, time. A change means it moved or was updated."""
    return row.title, row.badge, row.published_at


def article_candidates(
    site_url: str,
    feed_rows: Iterable[FeedRow],
    listed_urls: Iterable[str],
    known_article_urls: set[str],
    stored_rows: Mapping[str, tuple[str, str | None, datetime | None]] | None = None,
) -> list[str]:
    """Article URLs to fetch this run, each once, in discovery order.

    New URLs (never loaded) are fetched; a known one only when its feed row changed since it was
    last recorded (a new `Updated` mark, time or headline).
    """
    stored = stored_rows or {}
    wanted: dict[str, None] = {}
    for row in feed_rows:
        if row.url not in known_article_urls or stored.get(row.url) != row_state(row):
            wanted[row.url] = None
    for url in listed_urls:
        clean = canonical_url(url, site_url)
        if clean not in known_article_urls:
            wanted[clean] = None
    return [url for url in wanted if is_article_url(url, site_url)]


def feed_page_url(site_url: str, page: int) -> str:
    """The feed's page N: `/news`, then `/news?page=N`."""
    return site_page(site_url, FEED_PATH if page == 1 else f"{FEED_PATH}?page={page}")


def in_window(instant: datetime | None, since: date, until: date) -> bool:
    """True when an instant's Kyiv date is within [since, until]."""
    return instant is not None and since <= instant.astimezone(KYIV).date() <= until


def rows_in_window(rows: Iterable[FeedRow], since: date, until: date) -> list[str]:
    """URLs of the feed rows published within the window."""
    return [row.url for row in rows if in_window(row.published_at, since, until)]


def walked_past(rows: Sequence[FeedRow], since: date) -> bool:
    """True when a feed page ends before the window: older pages hold nothing for it."""
    dated = [row.published_at for row in rows if row.published_at is not None]
    return not dated or min(dated).astimezone(KYIV).date() < since


def sitemap_urls_between(entries: Iterable[SitemapEntry], since: date, until: date) -> list[str]:
    """Sitemap URLs whose `lastmod` falls within [since, until]."""
    return [e.loc for e in entries if e.lastmod is not None and since <= e.lastmod <= until]
