"""The `backfill` flow: walk the feed pages and the sitemaps back to a date, then load the articles
found in batches. Progress lands with each batch, so an interrupted backfill resumes where it stopped."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.settings import Settings
from flows.tasks import archive_requests, gate, load, shape_tables, site_client, start_archive_run
from sources.espreso.crawl import Discovery, Parsed, read_articles, read_sitemaps, walk_feed
from sources.espreso.dates import KYIV
from sources.espreso.discover import article_candidates, rows_in_window
from sources.http import LoggedFetch
from warehouse.db import BackfillState, article_urls, backfill_state, connect, save_backfill_state


@dataclass(frozen=True, slots=True)
class BackfillResult:
    """What one call of the backfill did, and what is left."""

    batches: int
    articles_loaded: int
    queued_left: int
    feed_done: bool


@task(cache_policy=NO_CACHE)
def read_state(warehouse: Path, since: date, until: date) -> tuple[BackfillState, set[str]]:
    """The window's saved progress and the article URLs already loaded."""
    with connect(warehouse) as con:
        return backfill_state(con, since, until), article_urls(con)


@task(cache_policy=NO_CACHE)
def walk(
    settings: Settings, state: BackfillState, pages: int, run_id: str, now: datetime
) -> tuple[Discovery, int, bool]:
    """The sitemaps (once per window), then up to `pages` feed pages from where the walk stopped."""

    async def run() -> tuple[Discovery, int, bool]:
        async with site_client(settings) as client:
            found = Discovery()
            await client.robots()
            if client.robots_fetch is not None:
                found.log(client.robots_fetch, "robots")
            if not state.sitemap_done:
                await read_sitemaps(client, found, state.since, state.until)
            if state.feed_done:
                return found, state.next_page, True
            next_page, done = await walk_feed(client, found, state.next_page, pages, state.since)
            return found, next_page, done

    start_archive_run(settings, run_id, now)
    found, next_page, done = asyncio.run(run())
    found.requests = archive_requests(settings, run_id, found.requests)
    return found, next_page, done


@task(cache_policy=NO_CACHE)
def fetch_batch(settings: Settings, urls: list[str], run_id: str, now: datetime) -> Parsed:
    """Fetch and parse one batch of queued articles; archive every answer."""

    async def run() -> list[LoggedFetch]:
        async with site_client(settings) as client:
            return [LoggedFetch(f, "article") for f in await client.fetch_all(urls)]

    start_archive_run(settings, run_id, now)
    return read_articles(archive_requests(settings, run_id, asyncio.run(run())))


def backfill_run_name() -> str:
    """`backfill 2025-10-25 … 2025-10-27` (or `backfill last 2 days`)."""
    params = flow_run.parameters
    if params.get("since"):
        return f"backfill {params['since']} … {params.get('until') or 'today'}"
    return f"backfill last {params.get('days_back', 2)} days"


@flow(name="backfill", flow_run_name=backfill_run_name, log_prints=True)
def backfill(
    since: date | None = None,
    until: date | None = None,
    days_back: int = 2,
    base_url: str = "https://global.espreso.tv",
    warehouse: str = "warehouse/newsflow.duckdb",
    batch_size: int = 50,
    pages_per_batch: int = 20,
    max_batches: int | None = None,
    min_interval_s: float = 1.0,
) -> BackfillResult:
    """Load everything the site lists between two Kyiv dates, resumable.

    Args:
        since: First Kyiv date of the window; empty means `days_back` days before today.
        until: Last Kyiv date of the window; empty means today.
        days_back: With no `since`: how many days back the window starts (the nightly run's 2).
        base_url: The site to crawl: scheme and host.
        warehouse: The DuckDB file to load into.
        batch_size: Articles fetched and loaded per batch.
        pages_per_batch: Feed pages walked per batch.
        max_batches: Stop after this many batches (the next call goes on); empty means finish.
        min_interval_s: Seconds between two requests to the site (politeness).
    """
    today = datetime.now(UTC).astimezone(KYIV).date()
    last = until or today
    since = since or last - timedelta(days=days_back)
    settings = Settings(base_url=base_url, warehouse=Path(warehouse), min_interval_s=min_interval_s)
    flow_id = str(flow_run.get_id() or f"local-{datetime.now(UTC):%Y%m%dT%H%M%S%f}")
    logger = get_run_logger()
    batches = loaded = 0
    state, known = read_state(settings.warehouse, since, last)
    while max_batches is None or batches < max_batches:
        run_id, now = f"{flow_id}-{batches:04d}", datetime.now(UTC)
        if not (state.feed_done and state.sitemap_done):
            found, next_page, done = walk(settings, state, pages_per_batch, run_id, now)
            rows = [row for tape, _ in found.tapes for row in tape.rows]
            add = article_candidates(
                settings.base_url, [], rows_in_window(rows, since, last) + found.listed_urls, known
            )
            progress = BackfillState(since, last, next_page, done, True, [])
            frames = gate(
                shape_tables(run_id, found, read_articles([]), now),
                settings,
                run_id,
                now,
                len(found.tapes),
            )
            load(
                settings.warehouse, run_id, frames, now, also=save_backfill_state(progress, add, [])
            )
        elif state.queued:
            chunk = state.queued[:batch_size]
            parsed = fetch_batch(settings, chunk, run_id, now)
            frames = gate(shape_tables(run_id, Discovery(), parsed, now), settings, run_id, now, 0)
            loaded += frames["articles"].height
            load(
                settings.warehouse, run_id, frames, now, also=save_backfill_state(state, [], chunk)
            )
        else:
            break
        batches += 1
        state, known = read_state(settings.warehouse, since, last)
    logger.info(
        "backfill %s … %s: %d batches, %d articles loaded, %d queued",
        since,
        last,
        batches,
        loaded,
        len(state.queued),
    )
    return BackfillResult(batches, loaded, len(state.queued), state.feed_done)
