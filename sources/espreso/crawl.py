"""Discovery over the network: read the feed pages, RSS and sitemaps of one run.

The decisions are the pure functions of `discover`; this module only sequences the requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sources.espreso.discover import (
    FEED_PATH,
    RSS_PATH,
    SITEMAP_PATH,
    has_new_rows,
    news_sitemaps,
    recent_sitemap_urls,
    site_page,
)
from sources.espreso.parse import TapeParse, parse_rss, parse_sitemap, parse_tape
from sources.http import Fetched, LoggedFetch, SiteClient


@dataclass(slots=True)
class Discovery:
    """Everything the discovery requests found: feed pages, listed URLs, and each request."""

    tapes: list[tuple[TapeParse, Fetched]] = field(default_factory=list)
    listed_urls: list[str] = field(default_factory=list)
    requests: list[LoggedFetch] = field(default_factory=list)

    def log(self, fetched: Fetched, kind: str, problem: str | None = None) -> None:
        """Record one request; a 404 for a list page (past the last feed page, a site without
        RSS or sitemap) is normal, not an error."""
        self.requests.append(
            LoggedFetch(fetched, kind, problem, expected_absent=fetched.status == 404)
        )


async def read_feed(
    client: SiteClient, found: Discovery, pages: int, known_feed_urls: set[str]
) -> None:
    """Feed page 1 (`/news`), then "More news" pages up to `pages`, stopping at one with nothing new."""
    url: str | None = site_page(client.site_url, FEED_PATH)
    seen = set(known_feed_urls)
    for _ in range(pages):
        if url is None:
            break
        fetched = await client.fetch(url)
        if not fetched.ok:
            # Past the last page the site answers 404: the end of the feed, logged but no error.
            found.log(fetched, "feed")
            break
        tape = parse_tape(fetched.body, url, fetched.encoding)
        found.log(fetched, "feed", "; ".join(tape.problems) or None)
        found.tapes.append((tape, fetched))
        if not has_new_rows(tape.rows, seen):
            break
        seen.update(row.url for row in tape.rows)
        url = tape.next_page_url


async def read_rss(client: SiteClient, found: Discovery) -> None:
    """Item links of `/rss`; a 404 means the site has none."""
    fetched = await client.fetch(site_page(client.site_url, RSS_PATH))
    links, problems = parse_rss(fetched.body) if fetched.ok else ([], [])
    found.log(fetched, "rss", "; ".join(problems) or None)
    found.listed_urls.extend(links)


async def read_sitemaps(
    client: SiteClient, found: Discovery, today: date, lookback_days: int
) -> None:
    """URLs of the news sitemaps with `lastmod` within the lookback window."""
    fetched = await client.fetch(site_page(client.site_url, SITEMAP_PATH))
    if not fetched.ok:
        found.log(fetched, "sitemap")
        return
    index = parse_sitemap(fetched.body)
    found.log(fetched, "sitemap", "; ".join(index.problems) or None)
    children = news_sitemaps(index.entries, client.site_url) if index.is_index else []
    if not index.is_index:
        found.listed_urls.extend(recent_sitemap_urls(index.entries, today, lookback_days))
    for child in await client.fetch_all(children):
        urlset = parse_sitemap(child.body) if child.ok else None
        found.log(
            child, "sitemap", "; ".join(urlset.problems) if urlset and urlset.problems else None
        )
        if urlset is not None:
            found.listed_urls.extend(recent_sitemap_urls(urlset.entries, today, lookback_days))


async def discover(
    client: SiteClient, *, pages: int, known_feed_urls: set[str], today: date, lookback_days: int
) -> Discovery:
    """Read the feed, RSS and recent sitemap entries of the client's site."""
    found = Discovery()
    await read_feed(client, found, pages, known_feed_urls)
    await read_rss(client, found)
    await read_sitemaps(client, found, today, lookback_days)
    return found
