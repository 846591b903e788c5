"""Discovery over the network: robots.txt, the feed pages, RSS and sitemaps of one run.

`Discovery` reads each answer without I/O (so `reparse` can replay archived answers through it); the
async functions only sequence the requests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

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
from sources.espreso.parse import (
    ArticleParse,
    FetchedArticle,
    TapeParse,
    parse_article,
    parse_rss,
    parse_sitemap,
    parse_tape,
)
from sources.http import Fetched, LoggedFetch, SiteClient, Validators


def _problems(items: tuple[str, ...] | list[str]) -> str | None:
    return "; ".join(items) or None


# What RSS and sitemaps are: their answers are the lists the cap of new URLs cuts.
LISTING_KINDS = ("rss", "sitemap")


@dataclass(slots=True)
class Discovery:
    """What the discovery requests found: feed pages, listed URLs, and every request with its problem."""

    tapes: list[tuple[TapeParse, Fetched]] = field(default_factory=list)
    listed_urls: list[str] = field(default_factory=list)
    requests: list[LoggedFetch] = field(default_factory=list)
    lastmods: dict[str, date] = field(default_factory=dict)
    left_urls: int = 0

    def log(self, fetched: Fetched, kind: str, problem: str | None = None) -> None:
        """Record one request; a 404 for a list page (past the last feed page, a site without
        RSS or sitemap) is normal, not an error."""
        self.requests.append(
            LoggedFetch(
                fetched, kind, problem, expected_absent=fetched.status == 404 and kind != "article"
            )
        )

    def add_feed(self, fetched: Fetched) -> TapeParse | None:
        """A feed page's answer: its tape, or None when the page is not there."""
        if not fetched.ok:
            self.log(fetched, "feed")
            return None
        tape = parse_tape(fetched.body, fetched.url, fetched.encoding)
        self.log(fetched, "feed", _problems(tape.problems))
        self.tapes.append((tape, fetched))
        return tape

    def add_rss(self, fetched: Fetched) -> None:
        """The RSS feed's answer: its item links."""
        links, problems = parse_rss(fetched.body) if fetched.ok else ([], [])
        self.log(fetched, "rss", _problems(problems))
        self.listed_urls.extend(links)

    def add_sitemap(self, fetched: Fetched, site_url: str, since: date, until: date) -> list[str]:
        """A sitemap's answer: URLs modified within [since, until] are listed; an index returns
        its news sitemaps to read."""
        if not fetched.ok:
            self.log(fetched, "sitemap")
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
            self.log(fetched, "sitemap", _problems([*sitemap.problems, *capped]))
            return kept
        self.log(fetched, "sitemap", _problems(sitemap.problems))
        listed = sitemap_urls_between(sitemap.entries, since, until)
        self.listed_urls.extend(listed)
        self.lastmods.update((url, lastmods[url]) for url in listed)
        return []

    def new_urls(self, site_url: str, known: set[str], limit: int) -> list[str]:
        """The listed article URLs not in `known`: at most `limit`, the newest. When that leaves
        some out, every RSS and sitemap answer of the run is marked `capped`, so that its
        validators are not used again and the next run reads the lists whole (and takes the next
        newest)."""
        kept, left = newest_new_urls(site_url, self.listed_urls, self.lastmods, known, limit)
        self.left_urls = left
        if left:
            note = (
                f"capped: {len(kept) + left} new URLs listed, the newest {len(kept)} taken, "
                f"{left} left to the next runs"
            )
            self.requests = [
                replace(r, problem=_problems([p for p in (r.problem, note) if p]))
                if r.kind in LISTING_KINDS and r.fetched.ok
                else r
                for r in self.requests
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
        tape = found.add_feed(await client.fetch(url))
        if tape is None or not has_new_rows(tape.rows, seen):
            break
        seen.update(row.url for row in tape.rows)
        url = tape.next_page_url


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
    found.add_rss(await client.fetch(rss, known.get(rss)))
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
    children = found.add_sitemap(
        await client.fetch(index, known.get(index)), client.site_url, since, until
    )
    for child in await client.fetch_all(children, known):
        found.add_sitemap(child, client.site_url, since, until)


async def walk_feed(
    client: SiteClient, found: Discovery, first_page: int, pages: int, since: date
) -> tuple[int, bool]:
    """Read feed pages from `first_page`, at most `pages`; return the next page to read and whether
    the walk is done (a page ended before `since`, or the feed ended)."""
    page = first_page
    for _ in range(pages):
        tape = found.add_feed(await client.fetch(feed_page_url(client.site_url, page)))
        page += 1
        if tape is None or walked_past(tape.rows, since) or tape.next_page_url is None:
            return page, True
    return page, False


@dataclass(frozen=True, slots=True)
class Parsed:
    """The article pages of a run: what parsed, every page's layout, every request with its problem."""

    items: list[FetchedArticle]
    pages: list[ArticleParse]
    requests: list[LoggedFetch]


def read_articles(answers: Sequence[LoggedFetch]) -> Parsed:
    """Parse the answers to article requests (no I/O): failures and 304s are only logged."""
    items: list[FetchedArticle] = []
    pages: list[ArticleParse] = []
    requests: list[LoggedFetch] = []
    for answer in answers:
        page = answer.fetched
        if not page.ok:
            requests.append(answer)
            continue
        result = parse_article(page.body, page.url, page.encoding)
        pages.append(result)
        if result.article is not None:
            items.append(FetchedArticle(result.article, page.requested_at))
        problem = _problems(result.problems)
        requests.append(replace(answer, problem=f"parse: {problem}" if problem else None))
    return Parsed(items, pages, requests)
