"""The `ingest` flow: discover → fetch → parse → shape → gate → load, one task per stage."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.settings import Settings
from flows.tasks import (
    archive_requests,
    gate,
    load,
    publish_run_summary,
    read_known,
    read_validators,
    robots_txt,
    shape_tables,
    site_client,
    start_archive_run,
)
from sources.espreso.crawl import Discovery, Parsed, discover, read_articles
from sources.espreso.dates import KYIV
from sources.espreso.discover import RSS_PATH, SITEMAP_PATH, article_candidates, site_page
from sources.http import LoggedFetch
from warehouse.db import LoadResult


@task(cache_policy=NO_CACHE)
def discover_pages(
    settings: Settings,
    feed_urls: set[str],
    now: datetime,
    run_id: str,
    robots: tuple[str, LoggedFetch | None],
) -> Discovery:
    """Read feed pages, RSS and sitemaps (robots.txt already read); archive every answer."""
    validators = read_validators.fn(
        settings.warehouse, [site_page(settings.base_url, p) for p in (RSS_PATH, SITEMAP_PATH)]
    )
    robots_text, robots_request = robots

    async def run() -> Discovery:
        async with site_client(settings, robots_text) as client:
            return await discover(
                client,
                pages=settings.pages,
                known_feed_urls=feed_urls,
                today=now.astimezone(KYIV).date(),
                lookback_days=settings.lookback_days,
                validators=validators,
            )

    start_archive_run(settings, run_id, now)
    found = asyncio.run(run())
    # A robots.txt read by this run (not taken from the cache) is one of its requests.
    fresh = (
        [robots_request] if robots_request and robots_request.fetched.requested_at >= now else []
    )
    found.requests = archive_requests(settings, run_id, fresh + found.requests)
    return found


@task(cache_policy=NO_CACHE)
def fetch_articles(
    settings: Settings, urls: list[str], robots_txt: str | None, run_id: str
) -> list[LoggedFetch]:
    """Fetch article pages, each once (conditionally when seen before); archive every answer."""
    validators = read_validators.fn(settings.warehouse, urls)

    async def run() -> list[LoggedFetch]:
        async with site_client(settings, robots_txt) as client:
            return [LoggedFetch(f, "article") for f in await client.fetch_all(urls, validators)]

    return archive_requests(settings, run_id, asyncio.run(run()))


@task(cache_policy=NO_CACHE)
def parse_pages(answers: list[LoggedFetch]) -> Parsed:
    """Parse the article pages."""
    parsed = read_articles(answers)
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


def ingest_run_name() -> str:
    """`ingest 2025-10-27 11:50 Kyiv`: runs named by when they started, in the site's time."""
    return f"ingest {datetime.now(UTC).astimezone(KYIV):%Y-%m-%d %H:%M} Kyiv"


@flow(name="ingest", flow_run_name=ingest_run_name, log_prints=True)
def ingest(
    base_url: str = "https://global.espreso.tv",
    warehouse: str = "warehouse/newsflow.duckdb",
    pages: int = 3,
    lookback_days: int = 2,
    min_interval_s: float = 1.0,
) -> LoadResult:
    """One incremental run against a site of the Espreso template, into a DuckDB warehouse.

    Args:
        base_url: The site to crawl: scheme and host, e.g. https://global.espreso.tv.
        warehouse: The DuckDB file to load into (created when missing).
        pages: Feed pages to read at most ("More news"); stops early at a page with nothing new.
        lookback_days: Sitemap entries modified this many days back are fetched too.
        min_interval_s: Seconds between two requests to the site (politeness).
    """
    settings = Settings(
        base_url=base_url,
        warehouse=Path(warehouse),
        pages=pages,
        lookback_days=lookback_days,
        min_interval_s=min_interval_s,
    )
    run_id = str(flow_run.get_id() or f"local-{datetime.now(UTC):%Y%m%dT%H%M%S%f}")
    now = datetime.now(UTC)
    known = read_known(settings.warehouse)
    robots = robots_txt(settings.base_url, settings.user_agent)
    found = discover_pages(settings, set(known.feed_rows), now, run_id, robots)
    rows = [row for tape, _ in found.tapes for row in tape.rows]
    listed = found.listed_urls + known.retry_urls
    urls = article_candidates(settings.base_url, rows, listed, known.article_urls, known.feed_rows)
    parsed = parse_pages(fetch_articles(settings, urls, robots[0], run_id))
    frames = gate(shape_tables(run_id, found, parsed, now), settings, run_id, now, len(found.tapes))
    result = load(settings.warehouse, run_id, frames, now)
    publish_run_summary(settings, found, parsed, frames, result)
    get_run_logger().info(
        "loaded %d articles, %d feed items, %d quarantined rows from %d requests into %s",
        frames["articles"].height, frames["feed_items"].height, result.rows_quarantined,
        frames["fetch_log"].height, warehouse,
    )  # fmt: skip
    return result
