"""The `reparse` flow: rebuild the tables from the raw WARC archive alone, with no network.

Each archived run is replayed through the same parse → shape → gate → load stages as when it was
fetched, with its own start time, so an unchanged parser gives the warehouse the original runs gave.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.settings import Settings
from flows.tasks import gate, load, shape_tables
from sources.archive import ArchivedRun, read_runs
from sources.espreso.crawl import Discovery, Parsed, read_articles
from sources.http import LoggedFetch
from warehouse.db import LoadResult


@task(cache_policy=NO_CACHE)
def archived_runs(folder: Path, since: date | None) -> list[ArchivedRun]:
    """The runs in the archive, oldest first (those started on or after `since`)."""
    return list(read_runs(folder, since))


@task(cache_policy=NO_CACHE)
def replay(run: ArchivedRun) -> tuple[Discovery, Parsed]:
    """Read a run's archived answers as discovery and parsing read them live."""
    found = Discovery()
    articles: list[LoggedFetch] = []
    today = run.started_at.date()
    for fetched, kind, where in run.requests:
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


def reparse_run_name() -> str:
    """`reparse since 2025-10-01`, or `reparse all`."""
    since = flow_run.parameters.get("since")
    return f"reparse since {since}" if since else "reparse all"


@flow(name="reparse", flow_run_name=reparse_run_name, log_prints=True)
def reparse(
    warehouse: str = "warehouse/newsflow.duckdb",
    raw_dir: str | None = None,
    since: date | None = None,
) -> list[LoadResult]:
    """Rebuild every table from the archive (all runs, or those since a date), run by run.

    Args:
        warehouse: The DuckDB file to rebuild into.
        raw_dir: The WARC archive folder; empty means `raw/` beside the warehouse.
        since: Only runs started on or after this date; empty means all.
    """
    settings = Settings(warehouse=Path(warehouse))
    folder = Path(raw_dir) if raw_dir else settings.raw_dir
    logger = get_run_logger()
    results: list[LoadResult] = []
    for run in archived_runs(folder, since):
        found, parsed = replay(run)
        run_settings = settings.model_copy(update={"base_url": run.site_url})
        frames = shape_tables(run.run_id, found, parsed, run.started_at)
        checked = gate(
            frames, run_settings, run.run_id, run.started_at, len(found.tapes), return_state=True
        )
        if checked.is_failed():
            logger.warning(
                "run %s of %s stays out: %s", run.run_id, run.started_at, checked.message
            )
            continue
        results.append(load(settings.warehouse, run.run_id, checked.result(), run.started_at))
    logger.info("replayed %d runs from %s into %s", len(results), folder, warehouse)
    return results
