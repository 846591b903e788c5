"""Discovery and reading for an outlet of the generic reader: its feeds (RSS/Atom), sitemaps,
Google News sitemaps and robots.txt `Sitemap:` lines, then its article pages.

As in `sources.espreso.crawl`, the `add_*` functions read one answer into a `Discovery` without
I/O; the async functions only sequence the requests through the polite client.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sources.errors import FailureKind
from sources.espreso.crawl import add_rss, read_articles
from sources.espreso.discover import MAX_SITEMAPS, newest, sitemap_urls_between
from sources.generic.read import read_generic
from sources.outlets import Outlet
from sources.records import Discovery, Fetched, LoggedFetch, Parsed, Validators
from sources.robots import sitemap_lines
from sources.sitemaps import parse_sitemap
from sources.urls import MAX_URL_LENGTH, canonical_url, is_on_site

if TYPE_CHECKING:  # the HTTP stack is not loaded to replay archived answers
    from sources.http import SiteClient


def listing_urls(outlet: Outlet, site_url: str, robots_txt: str) -> tuple[list[str], list[str]]:
    """The outlet's feeds, and its sitemaps (its own, its news sitemaps, and with
    `robots_sitemaps` the on-site `Sitemap:` lines of robots.txt), as URLs on `site_url`."""
    feeds = [outlet.at(site_url, a) for a in outlet.feeds]
    named = [*outlet.sitemaps, *outlet.news_sitemaps]
    if outlet.robots_sitemaps:
        named += [a for a in sitemap_lines(robots_txt) if is_on_site(a, site_url)]
    return feeds, list(dict.fromkeys(outlet.at(site_url, a) for a in named))


def add_sitemap(found: Discovery, fetched: Fetched, since: date, until: date) -> list[str]:
    """A sitemap's answer: URLs dated within [since, until] are listed; an index returns its
    on-site sitemaps to read, the newest `MAX_SITEMAPS`."""
    if not fetched.ok:
        found.log(fetched, "sitemap")
        return []
    sitemap = parse_sitemap(fetched.body)
    problems = list(sitemap.problems)
    lastmods = {e.loc: e.lastmod for e in sitemap.entries if e.lastmod is not None}
    if sitemap.is_index:
        children = [e.loc for e in sitemap.entries if is_on_site(e.loc, fetched.url)]
        kept = newest(children, lastmods, MAX_SITEMAPS)
        if len(kept) < len(children):
            problems.append(f"capped: {len(children)} sitemaps named, the newest {len(kept)} read")
        kind = FailureKind.PARSE_PROBLEM if sitemap.problems else FailureKind.CAPPED
        found.log(fetched, "sitemap", "; ".join(problems) or None, kind)
        return kept
    found.log(fetched, "sitemap", "; ".join(problems) or None)
    listed = sitemap_urls_between(sitemap.entries, since, until)
    found.listed_urls.extend(listed)
    found.lastmods.update((url, lastmods[url]) for url in listed)
    return []


async def discover_outlet(
    client: SiteClient,
    outlet: Outlet,
    *,
    today: date,
    lookback_days: int,
    validators: Mapping[str, Validators] | None = None,
) -> Discovery:
    """Read robots.txt, the outlet's feeds and its sitemaps (an index: its newest children);
    lists what they name, sitemap entries only when dated within the look-back."""
    known = validators or {}
    found = Discovery()
    await client.robots()
    if client.robots_fetch is not None:
        found.log(client.robots_fetch, "robots")
    feeds, sitemaps = listing_urls(outlet, client.site_url, client.robots_txt or "")
    for feed in feeds:
        add_rss(found, await client.fetch(feed, known.get(feed)))
    since = today - timedelta(days=lookback_days)
    children: list[str] = []
    for sitemap in sitemaps:
        children += add_sitemap(
            found, await client.fetch(sitemap, known.get(sitemap)), since, today
        )
    for child in await client.fetch_all(list(dict.fromkeys(children))):
        add_sitemap(found, child, since, today)
    return found


def outlet_candidates(
    outlet: Outlet, site_url: str, listed: Sequence[str], known: set[str], limit: int
) -> tuple[list[str], int]:
    """The listed article URLs (canonical, on the site, of the outlet's article form) not in
    `known`, in listing order, at most `limit`; and how many were left to later runs."""
    new: dict[str, None] = {}
    for url in listed:
        clean = canonical_url(url, site_url)
        if (
            len(clean) <= MAX_URL_LENGTH
            and clean not in known
            and outlet.is_article(clean, site_url)
        ):
            new[clean] = None
    kept = list(new)[:limit]
    return kept, len(new) - len(kept)


def read_pages(answers: Sequence[LoggedFetch]) -> Parsed:
    """Read the answers to article requests with the generic reader (no I/O)."""
    return read_articles(answers, read_generic)
