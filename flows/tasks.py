"""The Prefect tasks every flow shares: read what is known, shape, gate, load."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypedDict

import duckdb
import polars as pl
from prefect import State, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import INPUTS, NO_CACHE

from expectations.gate import GateBlocked, GateReport, gate_parameters, heights, shared_gate
from flows.runs import failed
from flows.settings import Settings
from sources.archive import RawArchive, archived
from sources.http import FetchBudget, SiteClient, crawl_delay
from sources.outcome import Outcome
from sources.outlets import Outlet, Reader
from sources.records import Discovery, LoggedFetch, Parsed, Validators
from sources.robots import robots_unreachable
from transforms.batch import batch_frames
from warehouse.connection import NoWarehouse, connect
from warehouse.load import LoadResult, load_batch
from warehouse.runs import RunKind
from warehouse.search import ensure_search_index
from warehouse.state import article_urls, feed_row_states, last_validators, urls_to_retry


@dataclass(frozen=True, slots=True)
class Known:
    """What the warehouse already holds: feed rows as last seen, article URLs, URLs to try again."""

    feed_rows: dict[str, tuple[str, str | None, datetime | None]]
    article_urls: set[str]
    retry_urls: list[str]


class Asking(TypedDict):
    """How a run asks for each answer, robots.txt's included: its timeouts and tries."""

    timeout_s: float
    deadline_s: float
    attempts: int
    backoff_s: float


def asking(settings: Settings) -> Asking:
    """The run's timeouts and tries, from its settings."""
    return Asking(
        timeout_s=settings.timeout_s,
        deadline_s=settings.request_deadline_s,
        attempts=settings.attempts,
        backoff_s=settings.backoff_s,
    )


def site_client(
    settings: Settings, robots_txt: str | None = None, budget: FetchBudget | None = None
) -> SiteClient:
    """The run's polite client for the configured site, within the run's fetch budget."""
    return SiteClient(
        settings.base_url,
        user_agent=settings.user_agent,
        **asking(settings),
        budget=budget,
        max_concurrency=settings.max_concurrency,
        min_interval_s=settings.min_interval_s,
        max_crawl_delay_s=settings.max_crawl_delay_s,
        max_bytes=settings.max_bytes,
        robots_txt=robots_txt,
    )


def fetch_budget(settings: Settings, started_at: datetime) -> FetchBudget:
    """The wall time the requests of a run (or a backfill batch) started at `started_at` may take."""
    return FetchBudget.starting(started_at, settings.fetch_budget_s)


@task(cache_policy=INPUTS, cache_expiration=timedelta(hours=1), persist_result=True)
def robots_txt(base_url: str, user_agent: str, options: Asking) -> tuple[str, LoggedFetch | None]:
    """The site's robots.txt (and its request, to log), asked as the run asks (`options`), read
    at most once an hour across runs: Prefect caches it by site, User-Agent and options (RFC 9309
    allows caching up to a day). An answer that could not be read is cached too, but
    `site_robots` never reuses it."""

    async def run() -> tuple[str, LoggedFetch | None]:
        async with SiteClient(
            base_url, user_agent=user_agent, min_interval_s=0, **options
        ) as client:
            await client.robots()
            fetched = client.robots_fetch
            return client.robots_txt or "", LoggedFetch(fetched, "robots") if fetched else None

    return asyncio.run(run())


def site_robots(settings: Settings, started_at: datetime) -> tuple[str | None, list[LoggedFetch]]:
    """robots.txt for a run: its text (None when it could not be read: nothing may be fetched),
    and the request this run made for it, to archive and log (none when it came from the cache).
    Only a real answer is taken from the cache: an unreadable one is asked again."""
    asked = (settings.base_url, settings.user_agent, asking(settings))
    text, request = robots_txt(*asked)
    if (
        request is not None
        and request.fetched.requested_at < started_at
        and robots_unreachable(request.fetched)
    ):
        text, request = robots_txt.with_options(refresh_cache=True)(*asked)
    warn_long_crawl_delay(settings, text)
    if request is None:
        return text, []
    fresh = [request] if request.fetched.requested_at >= started_at else []
    return (None if robots_unreachable(request.fetched) else text), fresh


def warn_long_crawl_delay(settings: Settings, robots: str) -> None:
    """Log a warning when robots.txt asks for a Crawl-delay longer than the longest obeyed."""
    delay = crawl_delay(robots, settings.user_agent)
    if delay is not None and delay > settings.max_crawl_delay_s:
        get_run_logger().warning(
            "robots.txt of %s asks for a Crawl-delay of %g s; waiting %g s between requests "
            "instead (NEWSFLOW_MAX_CRAWL_DELAY_S)",
            settings.base_url, delay, settings.max_crawl_delay_s,
        )  # fmt: skip


@task(cache_policy=NO_CACHE)
def read_known(warehouse: Path) -> Known:
    """Feed rows and article URLs already in the warehouse, and article URLs whose fetch failed."""
    # Read-only: a run the gate blocks must leave the lake exactly as it was.
    try:
        with connect(warehouse, read_only=True) as con:
            states = {
                url: (s.title, s.badge, s.published_at) for url, s in feed_row_states(con).items()
            }
            return Known(states, article_urls(con), urls_to_retry(con))
    except NoWarehouse:
        return Known({}, set(), [])


@task(cache_policy=NO_CACHE)
def read_validators(warehouse: Path, urls: list[str]) -> dict[str, Validators]:
    """ETag / Last-Modified of the URLs' last complete answers, for conditional requests."""
    if not urls:
        return {}
    try:
        with connect(warehouse, read_only=True) as con:
            stored = last_validators(con, urls)
    except NoWarehouse:
        return {}
    logger = get_run_logger()
    validators = {}
    for url, (etag, modified) in stored.items():
        # Stored before they were checked: a value that cannot be sent again is dropped.
        validators[url], dropped = Validators.checked(etag, modified)
        for problem in dropped:
            logger.warning(
                "%s: stored %s; asked without it", url, problem.removeprefix("bad header: ")
            )
    return validators


def archive_requests(
    settings: Settings, run_id: str, logged: list[LoggedFetch]
) -> list[LoggedFetch]:
    """Keep every answer in the run's WARC archive; return the requests with their WARC location."""
    with RawArchive(settings.raw_dir, settings.warc_max_bytes) as archive:
        return archived(archive, run_id, logged)


async def fetch_archived(
    settings: Settings,
    client: SiteClient,
    urls: list[str],
    run_id: str,
    kind: str,
    validators: dict[str, Validators] | None = None,
) -> list[LoggedFetch]:
    """Fetch `urls` concurrently (in the client's limits), in order, each answer archived the
    moment it arrives: a run stopped half-way (SIGTERM) keeps every answer it received."""
    known = validators or {}
    with RawArchive(settings.raw_dir, settings.warc_max_bytes) as archive:

        async def kept(url: str) -> LoggedFetch:
            fetched = LoggedFetch(await client.fetch(url, known.get(url)), kind)
            return archived(archive, run_id, [fetched])[0]

        return list(await asyncio.gather(*(kept(url) for url in urls)))


def start_archive_run(
    settings: Settings, run_id: str, started_at: datetime, site_url: str | None = None
) -> None:
    """Open the run in the archive (its `warcinfo` record carries the run's start time, its outlet
    and the site it reads: the configured one unless `site_url` says otherwise)."""
    with RawArchive(settings.raw_dir, settings.warc_max_bytes) as archive:
        archive.start_run(run_id, started_at, site_url or settings.base_url, settings.outlet)


@task(cache_policy=NO_CACHE)
def shape_tables(
    run_id: str,
    found: Discovery,
    parsed: Parsed,
    now: datetime,
    outlet: Outlet | None = None,
    reader: Reader | None = None,
) -> dict[str, pl.DataFrame]:
    """One frame per warehouse table of the outlet's batch (its pages read by `reader`, the
    outlet's own by default), plus `article_pages` for the layout checks."""
    return batch_frames(run_id, found, parsed, now, outlet, reader)


def checked(
    frames: dict[str, pl.DataFrame],
    settings: Settings,
    run_id: str,
    now: datetime,
    feed_pages_read: int,
    data_docs: bool = True,
) -> dict[str, pl.DataFrame]:
    """Run the suites; publish their outcome (and, with `data_docs`, write Great Expectations'
    Data Docs); quarantine failing rows or refuse the whole batch (`GateBlocked`). The task is
    `gate`; this plain function serves a task that checks and loads in one (`reparse`)."""
    logger = get_run_logger()
    checker = shared_gate(
        settings.data_docs_dir if data_docs else None, keep_runs=settings.data_docs_keep_runs
    )
    try:
        parameters = gate_parameters(settings.base_url, now, feed_pages_read, settings.site)
        report = checker.run(frames, parameters)
    except GateBlocked as blocked:
        _publish(blocked.report, settings)
        logger.error("%s", blocked)
        raise
    _publish(report, settings)
    log_warnings(report)
    logger.info(
        "quality gate: %d rows quarantined, %d warnings",
        len(report.quarantined),
        len(report.warnings),
    )
    return report.loadable(frames["quarantine"], run_id, now)


gate = task(name="gate", cache_policy=NO_CACHE)(checked)


@dataclass(frozen=True, slots=True)
class RunToCheck:
    """One run's frames and what its checks depend on (see `checked_runs`)."""

    run_id: str
    frames: dict[str, pl.DataFrame]
    site_url: str
    now: datetime
    feed_pages_read: int
    site: Outlet


def checked_runs(
    runs: list[RunToCheck], settings: Settings
) -> list[dict[str, pl.DataFrame] | GateBlocked]:
    """`checked` of each run, without Data Docs, the runs checked together where that gives
    each the same result (`Gate.run_together`, over each group of `joint_groups`): each run's
    frames that pass, with its quarantine, or the `GateBlocked` that refuses it. One table
    artifact for each group of runs checked together, and one for each run checked alone."""
    logger = get_run_logger()
    checker = shared_gate(None, keep_runs=settings.data_docs_keep_runs)
    given = [
        (run.frames, gate_parameters(run.site_url, run.now, run.feed_pages_read, run.site))
        for run in runs
    ]
    outcomes: list[GateReport | GateBlocked] = []
    together = 0
    for group in checker.joint_groups([(heights(frames), p) for frames, p in given]):
        checks, found = checker.run_together(given[group.start : group.stop])
        outcomes += found
        if checks:
            _publish(GateReport(passed={}, checks=checks), settings)
            log_warnings(GateReport(passed={}, checks=checks))
            together += sum(not isinstance(o, GateBlocked) and not o.checks for o in found)
    out: list[dict[str, pl.DataFrame] | GateBlocked] = []
    for run, outcome in zip(runs, outcomes, strict=True):
        if isinstance(outcome, GateBlocked):
            _publish(outcome.report, settings)
            logger.error("%s", outcome)
            out.append(outcome)
            continue
        if outcome.checks:  # checked alone
            _publish(outcome, settings)
            log_warnings(outcome)
        out.append(outcome.loadable(run.frames["quarantine"], run.run_id, run.now))
    logger.info(
        "quality gate: %d runs, %d checked together, %d rows quarantined",
        len(runs),
        together,
        sum(len(o.quarantined) for o in outcomes if not isinstance(o, GateBlocked)),
    )
    return out


def log_warnings(report: GateReport) -> None:
    """Log each failed `warn` check of a gate run."""
    logger = get_run_logger()
    for check in report.warnings:
        logger.warning(
            "check %s: %d of %d rows unexpected", check.label, check.unexpected, check.rows
        )


def _publish(report: GateReport, settings: Settings) -> None:
    create_table_artifact(
        key="quality-gate",
        table=report.summary_rows(),
        description=report.summary_markdown(settings.data_docs_dir),
    )


def loaded(
    warehouse: Path,
    run_id: str,
    frames: dict[str, pl.DataFrame],
    started_at: datetime,
    also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    refresh_index: bool = True,
) -> LoadResult:
    """Write the batch in one transaction (with `also`), then refresh the full-text index (unless
    `refresh_index` is off: a caller loading many batches refreshes it once, at the end). The task
    is `load`."""
    with connect(warehouse) as con:
        result = load_batch(
            con,
            run_id,
            frames,
            kind=RunKind.CRAWL,
            started_at=started_at,
            finished_at=datetime.now(UTC),
            also=also,
        )
        if refresh_index:
            ensure_search_index(con, articles_changed=frames["articles"].height > 0)
        return result


load = task(name="load", cache_policy=NO_CACHE)(loaded)


@task(cache_policy=NO_CACHE)
def publish_run_summary(
    settings: Settings,
    found: Discovery,
    parsed: Parsed,
    frames: dict[str, pl.DataFrame],
    result: LoadResult,
    outcome: Outcome,
    warning: str | None = None,
) -> None:
    """The run's table of what was discovered, fetched, loaded and quarantined (failures counted by
    kind), and a markdown summary with its failures named (and `warning` first, loudly), as
    Prefect artifacts."""
    requests = found.requests + parsed.requests
    failed = [r for r in requests if r.error]
    counts = [
        {"stage": "discovered", "what": "feed rows", "count": sum(len(t.rows) for t, _ in found.feeds)},
        {"stage": "discovered", "what": "URLs listed by RSS and sitemaps", "count": len(found.listed_urls)},
        {"stage": "discovered", "what": "new URLs left to later runs (NEWSFLOW_MAX_NEW_URLS)", "count": found.left_urls},
        {"stage": "fetched", "what": "requests", "count": len(requests)},
        {"stage": "fetched", "what": "article pages", "count": len(parsed.requests)},
        {"stage": "fetched", "what": "failed requests", "count": len(failed)},
        *({"stage": "failed", "what": kind, "count": n} for kind, n in outcome.by_kind.items()),
        {"stage": "loaded", "what": "articles", "count": frames["articles"].height},
        {"stage": "loaded", "what": "feed items", "count": frames["feed_items"].height},
        {"stage": "loaded", "what": "rows in all tables", "count": result.rows_loaded},
        {"stage": "quarantined", "what": "rows", "count": result.rows_quarantined},
    ]  # fmt: skip
    create_table_artifact(
        key="ingest-counts",
        table=counts,
        description="What this run discovered, fetched, loaded and quarantined.",
    )
    lines = [
        "# newsflow run",
        "",
        *([f"**Warning:** {warning}", ""] if warning else []),
        f"Loaded **{frames['articles'].height} articles** and **{frames['feed_items'].height} feed items** "
        f"into `{settings.warehouse}`; {result.rows_quarantined} rows quarantined.",
        "",
    ]
    if outcome.useless:
        lines += [f"**Failed:** {outcome.useless}", ""]
    lines += [
        f"Quality checks: the `quality-gate` artifact; Data Docs in `{settings.data_docs_dir}`",
        "",
    ]
    if failed:
        lines += [
            f"## Failures ({outcome.summary()})",
            "",
            "| URL | what | error |",
            "|---|---|---|",
        ]
        lines += [f"| {r.fetched.url} | {r.kind} | {r.error} |" for r in failed]
    else:
        lines.append("No request failed.")
    create_markdown_artifact(
        key="ingest-summary", markdown="\n".join(lines), description="newsflow run summary"
    )


def finished(outcome: Outcome, result: LoadResult) -> LoadResult | State:
    """A run's end: Failed with one sentence when it could do nothing useful; else its load,
    with a warning naming what failed when some requests did."""
    if outcome.useless:
        return failed(outcome.useless)
    if outcome.failed:
        get_run_logger().warning("%s (see fetch_log)", outcome.summary())
    return result
