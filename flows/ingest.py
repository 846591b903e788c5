"""The `ingest` flow: discover → fetch → parse → shape → gate → load, one task per stage."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from prefect import State, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.fallback import gated_batch
from flows.runs import kyiv_run_name, run_id
from flows.settings import Settings
from flows.tasks import (
    Known,
    archive_requests,
    fetch_archived,
    fetch_budget,
    finished,
    load,
    publish_run_summary,
    read_known,
    read_validators,
    site_client,
    site_robots,
    start_archive_run,
)
from sources.espreso.crawl import discover, new_urls
from sources.espreso.dates import KYIV
from sources.espreso.discover import RSS_PATH, SITEMAP_PATH, article_candidates, site_page
from sources.generic.crawl import discover_outlet, listing_urls, outlet_candidates
from sources.http import FetchBudget, SiteClient
from sources.outcome import run_outcome
from sources.outlets import Reader
from sources.readers import PAGE_READERS
from sources.records import Discovery, LoggedFetch, Parsed, Validators
from warehouse.load import LoadResult

Read = Callable[[SiteClient, dict[str, Validators]], Awaitable[Discovery]]


def _discovered(
    settings: Settings,
    now: datetime,
    run_id: str,
    robots: tuple[str | None, list[LoggedFetch]],
    budget: FetchBudget,
    listings: Callable[[str], list[str]],
    read: Read,
) -> Discovery:
    """What `read` found with the run's client (conditionally for the `listings` of robots.txt),
    every answer archived, robots.txt's first; with robots.txt unreadable nothing is asked: only
    that request is kept."""
    robots_text, robots_requests = robots
    start_archive_run(settings, run_id, now)
    if robots_text is None:
        return Discovery(requests=archive_requests(settings, run_id, robots_requests))
    validators = read_validators.fn(settings.warehouse, listings(robots_text))

    async def run() -> Discovery:
        async with site_client(settings, robots_text, budget) as client:
            return await read(client, validators)

    found = asyncio.run(run())
    found.requests = archive_requests(settings, run_id, robots_requests + found.requests)
    return found


@task(cache_policy=NO_CACHE)
def discover_pages(
    settings: Settings,
    feed_urls: set[str],
    now: datetime,
    run_id: str,
    robots: tuple[str | None, list[LoggedFetch]],
    budget: FetchBudget,
) -> Discovery:
    """Read feed pages, RSS and sitemaps (robots.txt already read), within the run's fetch budget;
    archive every answer."""

    def read(client: SiteClient, validators: dict[str, Validators]) -> Awaitable[Discovery]:
        return discover(
            client,
            pages=settings.pages,
            known_feed_urls=feed_urls,
            today=now.astimezone(KYIV).date(),
            lookback_days=settings.lookback_days,
            validators=validators,
        )

    def listings(_: str) -> list[str]:
        return [site_page(settings.base_url, p) for p in (RSS_PATH, SITEMAP_PATH)]

    return _discovered(settings, now, run_id, robots, budget, listings, read)


@task(cache_policy=NO_CACHE)
def discover_outlet_pages(
    settings: Settings,
    now: datetime,
    run_id: str,
    robots: tuple[str | None, list[LoggedFetch]],
    budget: FetchBudget,
) -> Discovery:
    """Read an outlet's feeds and sitemaps (robots.txt already read; the generic reader's
    outlets), within the run's fetch budget; archive every answer."""

    def read(client: SiteClient, validators: dict[str, Validators]) -> Awaitable[Discovery]:
        return discover_outlet(
            client,
            settings.site,
            today=now.astimezone(KYIV).date(),
            lookback_days=settings.lookback_days,
            validators=validators,
        )

    def listings(robots_text: str) -> list[str]:
        feeds, sitemaps = listing_urls(settings.site, settings.base_url, robots_text)
        return feeds + sitemaps

    return _discovered(settings, now, run_id, robots, budget, listings, read)


def discover_urls(
    settings: Settings,
    known: Known,
    now: datetime,
    run_id: str,
    robots: tuple[str | None, list[LoggedFetch]],
    budget: FetchBudget,
) -> tuple[Discovery, list[str]]:
    """What the run found and the article URLs it fetches: Espreso's feed pages, RSS and
    sitemaps, or another outlet's feeds and sitemaps; none when robots.txt was unreadable."""
    site_url = settings.base_url
    if settings.site.reader == "generic":
        found = discover_outlet_pages(settings, now, run_id, robots, budget)
        retry = [u for u in known.retry_urls if settings.site.is_article(u, site_url)]
        urls, found.left_urls = outlet_candidates(
            settings.site, site_url, found.listed_urls, known.article_urls, settings.max_new_urls
        )
        urls += [u for u in retry if u not in urls]
    else:
        found = discover_pages(settings, set(known.feed_rows), now, run_id, robots, budget)
        rows = [row for feed, _ in found.feeds for row in feed.rows]
        fetched_anyway = known.article_urls | {row.url for row in rows} | set(known.retry_urls)
        listed = new_urls(found, site_url, fetched_anyway, settings.max_new_urls)
        urls = article_candidates(
            site_url, rows, listed + known.retry_urls, known.article_urls, known.feed_rows
        )
    return found, [] if robots[0] is None else urls


@task(cache_policy=NO_CACHE)
def fetch_articles(
    settings: Settings, urls: list[str], robots_txt: str | None, run_id: str, budget: FetchBudget
) -> list[LoggedFetch]:
    """Fetch article pages, each once (conditionally when seen before), within what is left of the
    run's fetch budget; archive every answer as it arrives."""
    validators = read_validators.fn(settings.warehouse, urls)

    async def run() -> list[LoggedFetch]:
        async with site_client(settings, robots_txt, budget) as client:
            return await fetch_archived(settings, client, urls, run_id, "article", validators)

    return asyncio.run(run())


@task(cache_policy=NO_CACHE)
def parse_pages(answers: list[LoggedFetch], reader: Reader = "espreso") -> Parsed:
    """Read the article pages with the outlet's reader."""
    parsed = PAGE_READERS[reader](answers)
    logger = get_run_logger()
    for request in parsed.requests:
        if request.error:
            logger.warning(
                "%s: %s (raw answer kept in %s)",
                request.fetched.url,
                request.error,
                request.warc_file,
            )
    return parsed


@flow(name="ingest", flow_run_name=kyiv_run_name("ingest"), log_prints=True)
def ingest(
    outlet: str | None = None,
    base_url: str | None = None,
    warehouse: str | None = None,
    pages: int | None = None,
    lookback_days: int | None = None,
    min_interval_s: float | None = None,
) -> LoadResult | State:
    """One incremental run against an outlet (Espreso's site by default), into the warehouse (a
    lake).
    Every parameter left empty comes from the settings (`NEWSFLOW_*`, then the defaults).

    Args:
        outlet: The outlet to read (`newsflow outlets`; default espreso).
        base_url: The site to crawl: scheme and host (default: the outlet's).
        warehouse: The warehouse to load into, its lake catalog (created when missing).
        pages: Feed pages to read at most ("More news"); stops early at a page with nothing new.
        lookback_days: Sitemap entries modified this many days back are fetched too.
        min_interval_s: Seconds between two requests to the site (politeness).
    """
    settings = Settings.build(
        dict(
            outlet=outlet,
            base_url=base_url,
            warehouse=warehouse,
            pages=pages,
            lookback_days=lookback_days,
            min_interval_s=min_interval_s,
        )
    )
    run = run_id()
    now = datetime.now(UTC)
    known = read_known(settings.warehouse)
    robots = site_robots(settings, now)
    budget = fetch_budget(settings, now)
    found, urls = discover_urls(settings, known, now, run, robots, budget)
    answers = fetch_articles(settings, urls, robots[0], run, budget)
    parsed = parse_pages(answers, settings.site.reader)
    frames, parsed, warning = gated_batch(settings, run, found, parsed, answers, known, now)
    result = load(settings.warehouse, run, frames, now)
    outcome = run_outcome(settings.base_url, found.requests + parsed.requests)
    publish_run_summary(settings, found, parsed, frames, result, outcome, warning)
    get_run_logger().info(
        "loaded %d articles, %d feed items, %d quarantined rows from %d requests into %s",
        frames["articles"].height, frames["feed_items"].height, result.rows_quarantined,
        frames["fetch_log"].height, settings.warehouse,
    )  # fmt: skip
    return finished(outcome, result)
