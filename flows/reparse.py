"""The `reparse` flow: rebuild the tables from the raw WARC archive alone, with no network.

Each archived run is replayed through the same parse → shape → gate → load stages as when it was
fetched, with its own start time, so an unchanged parser gives the warehouse the original runs gave.
The archive is read as an index first; pages are read, parsed and loaded in batches (`batch_pages`),
so memory stays flat however big the archive is. With `workers` > 1, parsing and shaping run in
that many worker processes (a process pool, each batch a Prefect task that waits for its worker)
while this process gates and loads, in run order. Frames pass between the two as Arrow files, never
as task parameters or results (see `flows.replay.Spilled`). Each batch's checks are a Prefect table
artifact; Data Docs are left to live runs (their pages cost more than the checks on a batch).
"""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context
from pathlib import Path

from prefect import State, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run

from expectations.gate import GateBlocked
from flows.news_facts import draw_facts
from flows.replay import Spilled, replay_to, unspilled
from flows.runs import failed
from flows.settings import Settings
from flows.tasks import checked, loaded, refresh_search
from sources.archive import ArchivedRun, read_runs, split_run
from warehouse.connection import writer_lock
from warehouse.load import LoadResult
from warehouse.rebuild import carry_over, discard, rebuild_problems, scratch_path, swap_in


@task(cache_policy=NO_CACHE)
def archived_runs(folder: Path, since: date | None, batch_pages: int) -> list[ArchivedRun]:
    """The runs in the archive, oldest first (those started on or after `since`), big ones cut
    into parts of `batch_pages` pages: an index only, no page is read yet."""
    return [part for run in read_runs(folder, since) for part in split_run(run, batch_pages)]


@task(cache_policy=NO_CACHE, task_run_name="parse and shape {run.run_id}")
def parse_and_shape(run: ArchivedRun, spill_dir: Path, pool: Executor | None = None) -> Spilled:
    """Read one run's pages from the archive, parse them, and shape the run's frames (written
    under `spill_dir`); in one of `pool`'s processes when given (this task's thread waits)."""
    if pool is None:
        return replay_to(run, spill_dir)
    return pool.submit(replay_to, run, spill_dir).result()


@task(cache_policy=NO_CACHE, task_run_name="check and load {spilled.run.run_id}")
def check_and_load(spilled: Spilled, settings: Settings) -> LoadResult | None:
    """Run a replayed run's frames through the quality gate and load what passes; None when the
    gate refuses the batch (it stays out, as it did when it was fetched)."""
    run = spilled.run
    frames = unspilled(spilled)
    run_settings = settings.model_copy(update={"base_url": run.site_url})
    try:
        passed = checked(
            frames, run_settings, run.run_id, run.started_at, spilled.feed_pages, data_docs=False
        )
    except GateBlocked as blocked:
        get_run_logger().warning("run %s of %s stays out: %s", run.run_id, run.started_at, blocked)
        return None
    return loaded(settings.warehouse, run.run_id, passed, run.started_at, refresh_index=False)


def in_order(submit: Iterable[PrefectFuture[Spilled]], window: int) -> Iterator[Spilled]:
    """Results of submitted tasks in submission order, with at most `window` in flight (bounded
    memory: a fast parser never runs far ahead of the loader)."""
    pending: deque[PrefectFuture[Spilled]] = deque()
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


def replay_all(
    runs: list[ArchivedRun], settings: Settings, workers: int
) -> list[LoadResult | None]:
    """Every run parsed and shaped (in `workers` processes when more than one), then checked and
    loaded into `settings.warehouse` in run order; None for a batch the gate refused."""
    results: list[LoadResult | None] = []
    # Frames pass between the stages as files (see `Spilled`), in a folder beside the warehouse.
    with tempfile.TemporaryDirectory(prefix="reparse-", dir=settings.warehouse.parent) as spill:
        spill_dir = Path(spill)
        if workers > 1:
            # Spawned, not forked: this process runs threads (Prefect's), which fork does not copy.
            with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
                submitted = (parse_and_shape.submit(run, spill_dir, pool) for run in runs)
                for done in in_order(submitted, window=2 * workers):
                    results.append(check_and_load(done, settings))
        else:
            for run in runs:
                results.append(check_and_load(parse_and_shape(run, spill_dir), settings))
    return results


@flow(name="reparse", flow_run_name=reparse_run_name, log_prints=True)
def reparse(
    warehouse: str | None = None,
    raw_dir: str | None = None,
    since: date | None = None,
    batch_pages: int | None = None,
    workers: int | None = None,
) -> list[LoadResult] | State:
    """Rebuild every table from the archive (all runs, or those since a date), batch by batch,
    into a new file beside the warehouse, then swap it in: the old warehouse stays until the new
    one is complete and checked. Runs that start meanwhile wait for the swap. Every parameter left
    empty comes from the settings (`NEWSFLOW_*`, then the defaults).

    Args:
        warehouse: The warehouse to rebuild, its lake catalog (created when missing).
        raw_dir: The WARC archive folder; empty means `raw/` beside the warehouse.
        since: Only runs started on or after this date (the rebuilt warehouse holds only those);
            empty means all.
        batch_pages: Article pages parsed, checked and loaded together (a bigger run is cut).
        workers: Processes that parse and shape; 1 means in this process.
    """
    settings = Settings.build(dict(warehouse=warehouse, batch_pages=batch_pages, workers=workers))
    target = settings.warehouse
    folder = Path(raw_dir) if raw_dir else settings.raw_dir
    runs = archived_runs(folder, since, settings.batch_pages)
    if not runs:
        after = f" started on or after {since}" if since else ""
        return failed(
            f"No archived runs{after} in {folder}: nothing to rebuild; the warehouse is unchanged."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = scratch_path(target)
    discard(scratch)
    build = settings.model_copy(update={"warehouse": scratch})
    try:
        with writer_lock(target):
            results = replay_all(runs, build, settings.workers)
            loads = [r for r in results if r is not None]
            refused = len(results) - len(loads)
            if not loads:
                return failed(
                    f"Reparse loaded nothing: the checks refused all {refused} batches; the warehouse is unchanged."
                )
            carry_over(scratch, target)
            draw_facts(build)
            refresh_search(scratch)
            if problems := rebuild_problems(scratch):
                return failed(
                    f"The rebuilt warehouse is inconsistent ({'; '.join(problems)}); the warehouse is unchanged."
                )
            swap_in(scratch, target)
    finally:
        discard(scratch)
    logger = get_run_logger()
    logger.info(
        "rebuilt %s from %d batches of %s (%d workers)",
        target,
        len(loads),
        folder,
        settings.workers,
    )
    if refused:
        logger.warning("%d of %d batches stay out: the checks refused them", refused, len(results))
    return loads
