"""Discovery over the network: robots.txt, the feed pages, RSS and sitemaps of one run.

The `add_*` functions read each answer into a `Discovery` without I/O (so `reparse` can replay
archived answers through them); the async functions only sequence the requests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sources.errors import FailureKind
from sources.espreso.article import parse_article
from sources.espreso.discover import (
    FEED_PATH,
    MAX_SITEMAPS,
    RSS_PATH,
    SITEMAP_PATH,
    feed_page_url,
    has_new_rows,
    newest,
    newest_new_urls,
    news_sitemaps,
    site_page,
    sitemap_urls_between,
    walked_past,
)
from sources.espreso.feed import parse_feed
from sources.feeds import parse_rss
from sources.records import (
    ArticleParse,
    Discovery,
    FeedParse,
    Fetched,
    FetchedArticle,
    LoggedFetch,
    Parsed,
    Validators,
)
from sources.sitemaps import parse_sitemap

if TYPE_CHECKING:  # the HTTP stack is not loaded to replay archived answers
    from sources.http import SiteClient


def _problems(items: tuple[str, ...] | list[str]) -> str | None:
    return "; ".join(items) or None


# What RSS and sitemaps are: their answers are the lists the cap of new URLs cuts.
LISTING_KINDS = ("rss", "sitemap")


def add_feed(found: Discovery, fetched: Fetched) -> FeedParse | None:
    """A feed page's answer: its rows, or None when the page is not there."""
    if not fetched.ok:
        found.log(fetched, "feed")
        return None
    feed = parse_feed(fetched.body, fetched.url, fetched.encoding)
    found.log(fetched, "feed", _problems(feed.problems))
    found.feeds.append((feed, fetched))
    return feed


def add_rss(found: Discovery, fetched: Fetched) -> None:
    """The RSS feed's answer: its item links."""
    links, problems = parse_rss(fetched.body) if fetched.ok else ([], [])
    found.log(fetched, "rss", _problems(problems))
    found.listed_urls.extend(links)


def add_sitemap(
    found: Discovery, fetched: Fetched, site_url: str, since: date, until: date
) -> list[str]:
    """A sitemap's answer: URLs modified within [since, until] are listed; an index returns
    its news sitemaps to read."""
    if not fetched.ok:
        found.log(fetched, "sitemap")
        return []
    sitemap = parse_sitemap(fetched.body)
    lastmods = {e.loc: e.lastmod for e in sitemap.entries if e.lastmod is not None}
    if sitemap.is_index:
        children = news_sitemaps(sitemap.entries, site_url)
        kept = newest(children, lastmods, MAX_SITEMAPS)
        capped = (
            [f"capped: {len(children)} news sitemaps named, the newest {len(kept)} read"]
            if len(kept) < len(children)
            else []
        )
        kind = FailureKind.PARSE_PROBLEM if sitemap.problems else FailureKind.CAPPED
        found.log(fetched, "sitemap", _problems([*sitemap.problems, *capped]), kind)
        return kept
    found.log(fetched, "sitemap", _problems(sitemap.problems))
    listed = sitemap_urls_between(sitemap.entries, since, until)
    found.listed_urls.extend(listed)
    found.lastmods.update((url, lastmods[url]) for url in listed)
    return []


def new_urls(found: Discovery, site_url: str, known: set[str], limit: int) -> list[str]:
    """The listed article URLs not in `known`: at most `limit`, the newest. When that leaves
    some out, every RSS and sitemap answer of the run is marked `capped`, so that its
    validators are not used again and the next run reads the lists whole (and takes the next
    newest)."""
    kept, left = newest_new_urls(site_url, found.listed_urls, found.lastmods, known, limit)
    found.left_urls = left
    if left:
        note = (
            f"capped: {len(kept) + left} new URLs listed, the newest {len(kept)} taken, "
            f"{left} left to the next runs"
        )
        found.requests = [
            replace(
                r,
                problem=_problems([p for p in (r.problem, note) if p]),
                problem_kind=r.problem_kind if r.problem else FailureKind.CAPPED,
            )
            if r.kind in LISTING_KINDS and r.fetched.ok
            else r
            for r in found.requests
        ]
    return kept


async def read_feed(
    client: SiteClient, found: Discovery, pages: int, known_feed_urls: set[str]
) -> None:
    """Feed page 1 (`/news`), then "More news" pages up to `pages`, stopping at one with nothing new."""
    url: str | None = site_page(client.site_url, FEED_PATH)
    seen = set(known_feed_urls)
    for _ in range(pages):
        if url is None:
            break
        feed = add_feed(found, await client.fetch(url))
        if feed is None or not has_new_rows(feed.rows, seen):
            break
        seen.update(row.url for row in feed.rows)
        url = feed.next_page_url


async def discover(
    client: SiteClient,
    *,
    pages: int,
    known_feed_urls: set[str],
    today: date,
    lookback_days: int,
    validators: Mapping[str, Validators] | None = None,
) -> Discovery:
    """Read robots.txt, the feed, RSS and recent sitemap entries of the client's site.

    RSS and sitemaps are asked conditionally: unchanged, they answer 304 and cost nothing.
    """
    known = validators or {}
    found = Discovery()
    await client.robots()
    if client.robots_fetch is not None:
        found.log(client.robots_fetch, "robots")
    await read_feed(client, found, pages, known_feed_urls)
    rss = site_page(client.site_url, RSS_PATH)
    add_rss(found, await client.fetch(rss, known.get(rss)))
    await read_sitemaps(client, found, today - timedelta(days=lookback_days), today, known)
    return found


async def read_sitemaps(
    client: SiteClient,
    found: Discovery,
    since: date,
    until: date,
    validators: Mapping[str, Validators] | None = None,
) -> None:
    """The sitemap index, then its news sitemaps; lists the URLs modified within [since, until]."""
    known = validators or {}
    index = site_page(client.site_url, SITEMAP_PATH)
    children = add_sitemap(
        found, await client.fetch(index, known.get(index)), client.site_url, since, until
    )
    for child in await client.fetch_all(children, known):
        add_sitemap(found, child, client.site_url, since, until)


async def walk_feed(
    client: SiteClient, found: Discovery, first_page: int, pages: int, since: date
) -> tuple[int, bool]:
    """Read feed pages from `first_page`, at most `pages`; return the next page to read and whether
    the walk is done (a page ended before `since`, or the feed ended)."""
    page = first_page
    for _ in range(pages):
        feed = add_feed(found, await client.fetch(feed_page_url(client.site_url, page)))
        page += 1
        if feed is None or walked_past(feed.rows, since) or feed.next_page_url is None:
            return page, True
    return page, False


def read_articles(
    answers: Sequence[LoggedFetch],
    read: Callable[[bytes, str, str | None], ArticleParse] = parse_article,
) -> Parsed:
    """Parse the answers to article requests with `read` (the Espreso reader unless another is
    given; no I/O): failures and 304s are only logged."""
    items: list[FetchedArticle] = []
    pages: list[ArticleParse] = []
    requests: list[LoggedFetch] = []
    for answer in answers:
        page = answer.fetched
        if not page.ok:
            requests.append(answer)
            continue
        result = read(page.body, page.url, page.encoding)
        pages.append(result)
        if result.article is not None:
            items.append(FetchedArticle(result.article, page.requested_at))
        problem = _problems(result.problems)
        requests.append(
            replace(
                answer,
                problem=f"parse: {problem}" if problem else None,
                problem_kind=FailureKind.PARSE_PROBLEM,
            )
        )
    return Parsed(items, pages, requests)
