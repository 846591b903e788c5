"""The `ingest` flow: discover → fetch → parse → shape → gate → load, one task per stage."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.settings import Settings
from sources.archive import keep_raw
from sources.espreso.crawl import Discovery, discover
from sources.espreso.dates import KYIV
from sources.espreso.discover import article_candidates
from sources.espreso.parse import parse_article
from sources.http import Fetched, LoggedFetch, SiteClient
from transforms.article_related import article_related
from transforms.article_tags import article_tags
from transforms.articles import FetchedArticle, articles
from transforms.feed_items import feed_items
from transforms.feed_observations import ObservedTape, feed_observations
from transforms.fetch_log import fetch_log
from warehouse.db import LoadResult, connect, known_urls, load_batch, urls_to_retry


@dataclass(frozen=True, slots=True)
class Parsed:
    """Articles that parsed, and every article request with its problem (if any)."""

    items: list[FetchedArticle]
    requests: list[LoggedFetch]


def _client(settings: Settings) -> SiteClient:
    return SiteClient(
        settings.base_url,
        user_agent=settings.user_agent,
        timeout_s=settings.timeout_s,
        max_concurrency=settings.max_concurrency,
        min_interval_s=settings.min_interval_s,
        max_bytes=settings.max_bytes,
    )


@dataclass(frozen=True, slots=True)
class Known:
    """What the warehouse already holds: feed URLs, article URLs, and failed URLs to try again."""

    feed_urls: set[str]
    article_urls: set[str]
    retry_urls: list[str]


@task(cache_policy=NO_CACHE)
def read_known(warehouse: Path) -> Known:
    """URLs already in `feed_items` and `articles`, and article URLs whose fetch or parse failed."""
    with connect(warehouse) as con:
        return Known(known_urls(con, "feed_items"), known_urls(con, "articles"), urls_to_retry(con))


@task(cache_policy=NO_CACHE)
def discover_pages(settings: Settings, known_feed: set[str], now: datetime) -> Discovery:
    """Read feed pages, RSS and sitemaps."""

    async def run() -> Discovery:
        async with _client(settings) as client:
            return await discover(
                client,
                pages=settings.pages,
                known_feed_urls=known_feed,
                today=now.astimezone(KYIV).date(),
                lookback_days=settings.lookback_days,
            )

    return asyncio.run(run())


@task(cache_policy=NO_CACHE)
def fetch_articles(settings: Settings, urls: list[str]) -> list[Fetched]:
    """Fetch article pages, each once."""

    async def run() -> list[Fetched]:
        async with _client(settings) as client:
            return await client.fetch_all(urls)

    return asyncio.run(run())


@task(cache_policy=NO_CACHE)
def parse_pages(fetched: list[Fetched], raw_dir: Path, run_id: str) -> Parsed:
    """Parse article pages; keep the raw bytes of any page that could not be used."""
    logger = get_run_logger()
    items: list[FetchedArticle] = []
    requests: list[LoggedFetch] = []
    for page in fetched:
        if not page.ok:
            if page.body:
                keep_raw(raw_dir, run_id, page)
            logger.warning("fetch failed: %s: %s", page.url, page.error)
            requests.append(LoggedFetch(page, "article"))
            continue
        result = parse_article(page.body, page.url, page.encoding)
        problem = "; ".join(result.problems) or None
        if result.article is None:
            path = keep_raw(raw_dir, run_id, page)
            logger.warning("unparsable page %s (%s); raw kept at %s", page.url, problem, path)
        else:
            items.append(FetchedArticle(result.article, page.requested_at))
        requests.append(LoggedFetch(page, "article", f"parse: {problem}" if problem else None))
    return Parsed(items, requests)


@task(cache_policy=NO_CACHE)
def shape_tables(
    run_id: str, found: Discovery, parsed: Parsed, now: datetime
) -> dict[str, pl.DataFrame]:
    """One frame per warehouse table."""
    tapes = [ObservedTape(tape, fetched.requested_at) for tape, fetched in found.tapes]
    logged = found.requests + parsed.requests
    return {
        "articles": articles(parsed.items, now),
        "article_tags": article_tags(parsed.items),
        "article_related": article_related(parsed.items),
        "feed_items": feed_items(tapes),
        "feed_observations": feed_observations(tapes),
        "fetch_log": fetch_log(run_id, logged),
    }


@task(cache_policy=NO_CACHE)
def gate(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The quality gate's seam: every frame passes unchanged until the suites land."""
    return frames


@task(cache_policy=NO_CACHE)
def load(
    warehouse: Path, run_id: str, frames: dict[str, pl.DataFrame], started_at: datetime
) -> LoadResult:
    """Write the batch in one transaction."""
    with connect(warehouse) as con:
        return load_batch(con, run_id, frames, started_at=started_at, finished_at=datetime.now(UTC))


@flow(name="ingest", log_prints=True)
def ingest(
    base_url: str = "https://global.espreso.tv",
    warehouse: str = "warehouse/newsflow.duckdb",
    pages: int = 3,
    lookback_days: int = 2,
    min_interval_s: float = 1.0,
) -> LoadResult:
    """One incremental run against a site of the Espreso template, into a DuckDB warehouse."""
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
    found = discover_pages(settings, known.feed_urls, now)
    rows = [row for tape, _ in found.tapes for row in tape.rows]
    listed = found.listed_urls + known.retry_urls
    urls = article_candidates(settings.base_url, rows, listed, known.article_urls)
    fetched = fetch_articles(settings, urls)
    parsed = parse_pages(fetched, settings.raw_dir, run_id)
    frames = gate(shape_tables(run_id, found, parsed, now))
    result = load(settings.warehouse, run_id, frames, now)
    get_run_logger().info(
        "loaded %d articles, %d feed items from %d requests into %s",
        frames["articles"].height,
        frames["feed_items"].height,
        frames["fetch_log"].height,
        warehouse,
    )
    return result
