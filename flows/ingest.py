"""The `ingest` flow: discover → fetch → parse → shape → gate → load, one task per stage."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from expectations.gate import GateBlocked, GateReport, gate_parameters, shared_gate
from flows.settings import Settings
from sources.archive import keep_raw
from sources.espreso.crawl import Discovery, discover
from sources.espreso.dates import KYIV
from sources.espreso.discover import article_candidates
from sources.espreso.parse import ArticleParse, parse_article
from sources.http import Fetched, LoggedFetch, SiteClient
from transforms.article_pages import article_pages
from transforms.article_related import article_related
from transforms.article_tags import article_tags
from transforms.articles import FetchedArticle, articles
from transforms.feed_items import feed_items
from transforms.feed_observations import ObservedTape, feed_observations
from transforms.fetch_log import fetch_log
from transforms.headline_sources import headline_sources
from transforms.quarantine import quarantine
from warehouse.db import LoadResult, connect, known_urls, load_batch, urls_to_retry
from warehouse.search import ensure_search_index


@dataclass(frozen=True, slots=True)
class Known:
    """What the warehouse already holds: feed URLs, article URLs, and failed URLs to try again."""

    feed_urls: set[str]
    article_urls: set[str]
    retry_urls: list[str]


@dataclass(frozen=True, slots=True)
class Parsed:
    """Parse results of the fetched article pages, and every article request with its problem."""

    items: list[FetchedArticle]
    pages: list[ArticleParse]
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


@task(cache_policy=NO_CACHE)
def read_known(warehouse: Path) -> Known:
    """URLs already in `feed_items` and `articles`, and article URLs whose fetch or parse failed."""
    if not warehouse.exists():
        return Known(set(), set(), [])
    # Read-only: a run the gate blocks must leave the file exactly as it was.
    with connect(warehouse, read_only=True) as con:
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
    pages: list[ArticleParse] = []
    requests: list[LoggedFetch] = []
    for page in fetched:
        if not page.ok:
            if page.body:
                keep_raw(raw_dir, run_id, page)
            logger.warning("fetch failed: %s: %s", page.url, page.error)
            requests.append(LoggedFetch(page, "article"))
            continue
        result = parse_article(page.body, page.url, page.encoding)
        pages.append(result)
        problem = "; ".join(result.problems) or None
        if result.article is None:
            path = keep_raw(raw_dir, run_id, page)
            logger.warning("unparsable page %s (%s); raw kept at %s", page.url, problem, path)
        else:
            items.append(FetchedArticle(result.article, page.requested_at))
        requests.append(LoggedFetch(page, "article", f"parse: {problem}" if problem else None))
    return Parsed(items, pages, requests)


@task(cache_policy=NO_CACHE)
def shape_tables(
    run_id: str, found: Discovery, parsed: Parsed, now: datetime
) -> dict[str, pl.DataFrame]:
    """One frame per warehouse table, plus `article_pages` for the layout checks."""
    tapes = [ObservedTape(tape, fetched.requested_at) for tape, fetched in found.tapes]
    unparsable = [
        (
            "articles",
            {"url": p.url, "problems": list(p.problems)},
            [f"parse: {x}" for x in p.problems],
        )
        for p in parsed.pages
        if p.article is None
    ]
    headlines = [(i.article.url, i.article.title) for i in parsed.items] + [
        (row.url, row.title) for tape, _ in found.tapes for row in tape.rows
    ]
    return {
        "articles": articles(parsed.items, now),
        "article_tags": article_tags(parsed.items),
        "article_related": article_related(parsed.items),
        "feed_items": feed_items(tapes),
        "feed_observations": feed_observations(tapes),
        "headline_sources": headline_sources(headlines),
        "fetch_log": fetch_log(run_id, found.requests + parsed.requests),
        "quarantine": quarantine(run_id, now, unparsable),
        "article_pages": article_pages(parsed.pages),
    }


@task(cache_policy=NO_CACHE)
def gate(
    frames: dict[str, pl.DataFrame],
    settings: Settings,
    run_id: str,
    now: datetime,
    feed_pages_read: int,
) -> dict[str, pl.DataFrame]:
    """Run the suites; publish their outcome; quarantine failing rows or refuse the whole batch."""
    logger = get_run_logger()
    checker = shared_gate(settings.data_docs_dir)
    try:
        report = checker.run(frames, gate_parameters(settings.base_url, now, feed_pages_read))
    except GateBlocked as blocked:
        _publish(blocked.report, settings)
        logger.error("%s", blocked)
        raise
    _publish(report, settings)
    for check in report.warnings:
        logger.warning(
            "check %s: %d of %d rows unexpected", check.label, check.unexpected, check.rows
        )
    held = [(q.table, q.record, q.reasons) for q in report.quarantined]
    passed = dict(report.passed)
    passed["quarantine"] = pl.concat([frames["quarantine"], quarantine(run_id, now, held)])
    logger.info("quality gate: %d rows quarantined, %d warnings", len(held), len(report.warnings))
    return passed


def _publish(report: GateReport, settings: Settings) -> None:
    create_table_artifact(
        key="quality-gate",
        table=report.summary_rows(),
        description=f"Great Expectations checks of this batch; Data Docs: {settings.data_docs_dir / 'index.html'}",
    )


@task(cache_policy=NO_CACHE)
def load(
    warehouse: Path, run_id: str, frames: dict[str, pl.DataFrame], started_at: datetime
) -> LoadResult:
    """Write the batch in one transaction, then refresh the full-text index."""
    with connect(warehouse) as con:
        result = load_batch(
            con, run_id, frames, started_at=started_at, finished_at=datetime.now(UTC)
        )
        ensure_search_index(con, articles_changed=frames["articles"].height > 0)
        return result


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
    frames = shape_tables(run_id, found, parsed, now)
    checked = gate(frames, settings, run_id, now, len(found.tapes))
    result = load(settings.warehouse, run_id, checked, now)
    get_run_logger().info(
        "loaded %d articles, %d feed items, %d quarantined rows from %d requests into %s",
        checked["articles"].height, checked["feed_items"].height, result.rows_quarantined,
        checked["fetch_log"].height, warehouse,
    )  # fmt: skip
    return result
