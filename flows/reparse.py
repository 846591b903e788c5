"""The `reparse` flow: rebuild the tables from the raw WARC archive alone, with no network.

Each archived run is replayed through the same parse → shape → gate → load stages as when it was
fetched, with its own start time, so an unchanged parser gives the warehouse the original runs gave.
The archive is read as an index first; pages are read, parsed and loaded in batches (`batch_pages`),
so memory stays flat however big the archive is. With `workers` > 1, parsing and shaping run in
that many processes (Prefect's process-pool task runner) while this process gates and loads, in
run order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.task_runners import ProcessPoolTaskRunner

from flows.settings import Settings
from flows.tasks import gate, load, refresh_search
from sources.archive import ArchivedRun, read_runs, split_run
from sources.espreso.crawl import Discovery, Parsed, read_articles
from sources.http import LoggedFetch
from transforms.batch import batch_frames
from warehouse.db import LoadResult


@dataclass(frozen=True, slots=True)
class Replayed:
    """One archived run (or part of one) parsed and shaped: its frames, and how many feed pages
    it read (the gate's freshness checks need it)."""

    run: ArchivedRun
    frames: dict[str, pl.DataFrame]
    feed_pages: int


def replay(run: ArchivedRun) -> tuple[Discovery, Parsed]:
    """Read a run's archived answers as discovery and parsing read them live."""
    found = Discovery()
    articles: list[LoggedFetch] = []
    today = run.started_at.date()
    for fetched, kind, where in run.read():
        if kind == "article":
            articles.append(
                LoggedFetch(fetched, kind, warc_file=where.file, warc_offset=where.offset)
            )
            continue
        if kind == "feed":
            found.add_feed(fetched)
        elif kind == "rss":
            found.add_rss(fetched)
        elif kind == "sitemap":
            found.add_sitemap(fetched, run.site_url, today, today)
        else:
            found.log(fetched, kind)
        found.requests[-1] = replace(
            found.requests[-1], warc_file=where.file, warc_offset=where.offset
        )
    return found, read_articles(articles)


@task(cache_policy=NO_CACHE)
def archived_runs(folder: Path, since: date | None, batch_pages: int) -> list[ArchivedRun]:
    """The runs in the archive, oldest first (those started on or after `since`), big ones cut
    into parts of `batch_pages` pages: an index only, no page is read yet."""
    return [part for run in read_runs(folder, since) for part in split_run(run, batch_pages)]


@task(cache_policy=NO_CACHE, task_run_name="parse and shape {run.run_id}")
def parse_and_shape(run: ArchivedRun) -> Replayed:
    """Read one run's pages from the archive, parse them, and shape the run's frames."""
    found, parsed = replay(run)
    frames = batch_frames(run.run_id, found, parsed, run.started_at)
    return Replayed(run, frames, len(found.tapes))


def in_order(submit: Iterable[PrefectFuture[Replayed]], window: int) -> Iterator[Replayed]:
    """Results of submitted tasks in submission order, with at most `window` in flight (bounded
    memory: a fast parser never runs far ahead of the loader)."""
    pending: deque[PrefectFuture[Replayed]] = deque()
    for future in submit:
        pending.append(future)
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def reparse_run_name() -> str:
    """`reparse since 2025-10-01`, or `reparse all`."""
    since = flow_run.parameters.get("since")
    return f"reparse since {since}" if since else "reparse all"


@flow(name="reparse", flow_run_name=reparse_run_name, log_prints=True)
def reparse(
    warehouse: str = "warehouse/newsflow.duckdb",
    raw_dir: str | None = None,
    since: date | None = None,
    batch_pages: int = 500,
    workers: int = 1,
) -> list[LoadResult]:
    """Rebuild every table from the archive (all runs, or those since a date), batch by batch.

    Args:
        warehouse: The DuckDB file to rebuild into.
        raw_dir: The WARC archive folder; empty means `raw/` beside the warehouse.
        since: Only runs started on or after this date; empty means all.
        batch_pages: Article pages parsed, checked and loaded together (a bigger run is cut).
        workers: Processes that parse and shape; 1 means in this process.
    """
    settings = Settings(warehouse=Path(warehouse))
    folder = Path(raw_dir) if raw_dir else settings.raw_dir
    logger = get_run_logger()
    runs = archived_runs(folder, since, batch_pages)
    results: list[LoadResult] = []

    def gate_and_load(replayed: Replayed) -> None:
        run = replayed.run
        run_settings = settings.model_copy(update={"base_url": run.site_url})
        checked = gate(
            replayed.frames,
            run_settings,
            run.run_id,
            run.started_at,
            replayed.feed_pages,
            return_state=True,
        )
        if checked.is_failed():
            logger.warning(
                "run %s of %s stays out: %s", run.run_id, run.started_at, checked.message
            )
            return
        frames = checked.result()
        results.append(
            load(settings.warehouse, run.run_id, frames, run.started_at, refresh_index=False)
        )

    if workers > 1:
        with ProcessPoolTaskRunner(max_workers=workers) as runner:
            submitted = (runner.submit(parse_and_shape, {"run": run}) for run in runs)
            for replayed in in_order(submitted, window=2 * workers):
                gate_and_load(replayed)
    else:
        for run in runs:
            gate_and_load(parse_and_shape(run))
    refresh_search(settings.warehouse)
    logger.info(
        "replayed %d batches from %s into %s (%d workers)", len(results), folder, warehouse, workers
    )
    return results
