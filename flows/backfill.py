"""The `backfill` flow: walk the feed pages and the sitemaps back to a date, then load the articles
found in batches. Progress lands with each batch, so an interrupted backfill resumes where it stopped."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from prefect import State, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.runs import failed, run_id
from flows.settings import Settings
from flows.tasks import (
    archive_requests,
    fetch_budget,
    gate,
    load,
    shape_tables,
    site_client,
    site_robots,
    start_archive_run,
)
from sources.espreso.crawl import read_articles, read_sitemaps, walk_feed
from sources.espreso.dates import KYIV
from sources.espreso.discover import article_candidates, rows_in_window
from sources.outcome import run_outcome
from sources.outlets import Outlet
from sources.records import Discovery, LoggedFetch, Parsed
from warehouse.connection import connect
from warehouse.state import BackfillState, article_urls, backfill_state, save_backfill_state


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
    settings: Settings,
    state: BackfillState,
    robots: tuple[str | None, list[LoggedFetch]],
    run_id: str,
    now: datetime,
) -> tuple[Discovery, int, bool]:
    """The sitemaps (once per window), then up to `pages_per_batch` feed pages from where the walk
    stopped, within the batch's fetch budget; robots.txt already read (its fresh request archived
    with this batch)."""
    robots_text, robots_requests = robots

    async def run() -> tuple[Discovery, int, bool]:
        async with site_client(settings, robots_text, fetch_budget(settings, now)) as client:
            found = Discovery()
            if not state.sitemap_done:
                await read_sitemaps(client, found, state.since, state.until)
            if state.feed_done:
                return found, state.next_page, True
            next_page, done = await walk_feed(
                client, found, state.next_page, settings.pages_per_batch, state.since
            )
            return found, next_page, done

    start_archive_run(settings, run_id, now)
    if robots_text is None:
        found, next_page, done = Discovery(), state.next_page, state.feed_done
    else:
        found, next_page, done = asyncio.run(run())
    found.requests = archive_requests(settings, run_id, robots_requests + found.requests)
    return found, next_page, done


@task(cache_policy=NO_CACHE)
def fetch_batch(
    settings: Settings,
    urls: list[str],
    robots: tuple[str | None, list[LoggedFetch]],
    run_id: str,
    now: datetime,
) -> Parsed:
    """Fetch and parse one batch of queued articles, within the batch's fetch budget; archive every
    answer (a page the budget left out is asked again like any page that failed)."""
    robots_text, robots_requests = robots

    async def run() -> list[LoggedFetch]:
        async with site_client(settings, robots_text, fetch_budget(settings, now)) as client:
            return [LoggedFetch(f, "article") for f in await client.fetch_all(urls)]

    start_archive_run(settings, run_id, now)
    fetched = asyncio.run(run()) if robots_text is not None else []
    logged = archive_requests(settings, run_id, robots_requests + fetched)
    parsed = read_articles(logged[len(robots_requests) :])
    return Parsed(parsed.items, parsed.pages, logged[: len(robots_requests)] + parsed.requests)


def one_batch(
    settings: Settings, state: BackfillState, known: set[str], batch_id: str
) -> int | State:
    """One batch: walk on (sitemaps, feed pages) while the walk is not done, else fetch the next
    queued articles; check and load it with its progress. The articles loaded, or Failed when the
    batch could do nothing useful (nothing of it is saved: the next call asks again). Its pages
    and frames live in this call only, so a backfill's memory does not grow with its batches."""
    now = datetime.now(UTC)
    robots = site_robots(settings, now)
    if not (state.feed_done and state.sitemap_done):
        found, next_page, done = walk(settings, state, robots, batch_id, now)
        rows = [row for feed, _ in found.feeds for row in feed.rows]
        add = article_candidates(
            settings.base_url,
            [],
            rows_in_window(rows, state.since, state.until) + found.listed_urls,
            known,
        )
        progress = BackfillState(state.since, state.until, next_page, done, True, [])
        parsed, save = read_articles([]), save_backfill_state(progress, add, [])
    else:
        chunk = state.queued[: settings.batch_size]
        found, parsed = Discovery(), fetch_batch(settings, chunk, robots, batch_id, now)
        save = save_backfill_state(state, [], chunk)
    outcome = run_outcome(settings.base_url, found.requests + parsed.requests)
    if outcome.useless:
        return failed(outcome.useless)
    if outcome.failed:
        get_run_logger().warning("batch %s: %s (see fetch_log)", batch_id, outcome.summary())
    frames = gate(
        shape_tables(batch_id, found, parsed, now, settings.site),
        settings,
        batch_id,
        now,
        len(found.feeds),
    )
    load(settings.warehouse, batch_id, frames, now, also=save)
    return int(frames["articles"].height)


def backfill_refusal(site: Outlet) -> str | None:
    """Why a backfill cannot read `site`, and what to run instead (None: it can): it walks the
    "More news" feed pages only the Espreso reader's outlets have."""
    if site.reader == "espreso":
        return None
    return (
        f'newsflow backfill walks Espreso\'s "More news" feed pages, which {site.name} does not '
        f"have: run `newsflow run --outlet {site.name} --lookback-days N` instead to read what "
        "its sitemaps list from the last N days."
    )


def backfill_run_name() -> str:
    """`backfill 2025-10-25 … 2025-10-27 (Kyiv)` (or `backfill last 2 days`)."""
    params = flow_run.parameters
    if params.get("since"):
        return f"backfill {params['since']} … {params.get('until') or 'today'} (Kyiv)"
    return f"backfill last {params.get('days_back') or 'few'} days"


@flow(name="backfill", flow_run_name=backfill_run_name, log_prints=True)
def backfill(
    since: date | None = None,
    until: date | None = None,
    days_back: int | None = None,
    outlet: str | None = None,
    base_url: str | None = None,
    warehouse: str | None = None,
    batch_size: int | None = None,
    pages_per_batch: int | None = None,
    max_batches: int | None = None,
    min_interval_s: float | None = None,
) -> BackfillResult | State:
    """Load everything the site lists between two Kyiv dates, resumable. Every parameter left
    empty comes from the settings (`NEWSFLOW_*`, then the defaults).

    Args:
        since: First Kyiv date of the window; empty means `days_back` days before today.
        until: Last Kyiv date of the window; empty means today.
        days_back: With no `since`: how many days back the window starts (the nightly run's 2).
        outlet: The outlet to read (default espreso); one of the generic reader's is refused
            (it has no feed pages to walk: `newsflow run --outlet NAME --lookback-days N`).
        base_url: The site to crawl: scheme and host (default: the outlet's).
        warehouse: The warehouse to load into, its lake catalog.
        batch_size: Articles fetched and loaded per batch.
        pages_per_batch: Feed pages walked per batch.
        max_batches: Stop after this many batches (the next call goes on); empty means finish.
        min_interval_s: Seconds between two requests to the site (politeness).
    """
    settings = Settings.build(
        dict(
            outlet=outlet,
            base_url=base_url,
            warehouse=warehouse,
            batch_size=batch_size,
            pages_per_batch=pages_per_batch,
            days_back=days_back,
            min_interval_s=min_interval_s,
        )
    )
    if refusal := backfill_refusal(settings.site):
        return failed(refusal)
    last = until or datetime.now(UTC).astimezone(KYIV).date()
    since = since or last - timedelta(days=settings.days_back)
    flow_id = run_id()
    batches = loaded = 0
    state, known = read_state(settings.warehouse, since, last)
    while max_batches is None or batches < max_batches:
        if state.feed_done and state.sitemap_done and not state.queued:
            break
        done = one_batch(settings, state, known, f"{flow_id}-{batches:04d}")
        if isinstance(done, State):
            return done
        loaded += done
        batches += 1
        state, known = read_state(settings.warehouse, since, last)
    get_run_logger().info(
        "backfill %s … %s: %d batches, %d articles loaded, %d queued",
        since, last, batches, loaded, len(state.queued),
    )  # fmt: skip
    return BackfillResult(batches, loaded, len(state.queued), state.feed_done)
