"""The `backfill` flow: walk the feed pages and the sitemaps back to a date, then load the articles
found in batches. Progress lands with each batch, so an interrupted backfill resumes where it stopped."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime
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
from warehouse.db import BackfillState, backfill_state, connect, known_urls, save_backfill_state


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
        return backfill_state(con, since, until), known_urls(con, "articles")


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


@flow(name="backfill", log_prints=True)
def backfill(
    since: date,
    until: date | None = None,
    base_url: str = "https://global.espreso.tv",
    warehouse: str = "warehouse/newsflow.duckdb",
    batch_size: int = 50,
    pages_per_batch: int = 20,
    max_batches: int | None = None,
    min_interval_s: float = 1.0,
) -> BackfillResult:
    """Load everything the site lists between two Kyiv dates (until: today), resumable."""
    settings = Settings(base_url=base_url, warehouse=Path(warehouse), min_interval_s=min_interval_s)
    last = until or datetime.now(UTC).astimezone(KYIV).date()
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
