"""The `reparse` flow: rebuild the tables from the raw WARC archive alone, with no network.

Each archived run is replayed through the same parse → shape → gate → load stages as when it was
fetched, with its own start time and its own outlet (named in its `warcinfo`: its pages read by
that outlet's reader, its rows marked with it, the gate's site rules its), so an unchanged parser
gives the warehouse the original runs gave. Runs of an outlet the outlets file no longer has are
left out, with one warning naming the outlet and its runs.
The archive is read as an index first; pages are read, parsed and loaded in batches (`batch_pages`),
so memory stays flat however big the archive is: a big run is cut into parts, and small runs (a
backfill's) share a batch. Parsed batches are checked and loaded a few at a time, up to the
articles one check may hold (`checked_pages`): their runs are checked together where that gives
each the same result, and loaded in one transaction, each still recorded as a run of its own,
through one connection for the whole rebuild. With `workers` > 1, the archive's files are
indexed, the batches parsed and shaped, and the facts drawn in that many worker processes (one
process pool; each batch a Prefect task that waits for its worker) while this process gates and
loads, in run order. Frames pass between the two as Arrow files, never as task parameters or
results (see `flows.replay.Spilled`). Each check's results are a Prefect table artifact; Data Docs
are left to live runs (their pages cost more than the checks on a batch). The rebuilt articles'
search index is built while the facts are drawn.
"""

from __future__ import annotations

import tempfile
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from multiprocessing import get_context
from pathlib import Path

import duckdb
import polars as pl
from prefect import State, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run

from expectations.gate import GateBlocked, most_rows
from flows.fallback import read_generically, stands_in
from flows.news_facts import draw_facts
from flows.replay import (
    Spilled,
    archived_answers,
    batches,
    replay_batch,
    side_by_side,
    unspilled,
)
from flows.runs import failed
from flows.settings import Settings
from flows.tasks import RunToCheck, checked_runs
from sources.archive import ArchivedRun, read_runs, split_run
from sources.outlets import Outlet, outlets
from sources.records import Parsed
from transforms.batch import batch_frames
from warehouse.connection import connect, writer_lock
from warehouse.load import LoadResult, RunLoad, load_batches
from warehouse.rebuild import (
    carry_over,
    discard,
    index_scratch,
    rebuild_problems,
    scratch_path,
    swap_in,
)
from warehouse.runs import RunKind
from warehouse.state import article_urls


def unconfigured(runs: list[ArchivedRun], sites: Mapping[str, Outlet]) -> str:
    """The outlets archived runs are of that `sites` no longer has, with their run counts
    ("" if none)."""
    counts = Counter(run.outlet for run in runs if run.outlet not in sites)
    return ", ".join(f"{name!r}: {n} runs" for name, n in sorted(counts.items()))


@contextmanager
def worker_pool(workers: int) -> Iterator[Executor | None]:
    """`workers` processes for the rebuild's work that needs no warehouse (indexing the archive,
    parsing and shaping, drawing facts), or None for 1 (it runs in this process)."""
    if workers <= 1:
        yield None
        return
    # Spawned, not forked: this process runs threads (Prefect's), which fork does not copy.
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        yield pool


@task(cache_policy=NO_CACHE)
def archived_batches(
    folder: Path,
    since: date | None,
    batch_pages: int,
    sites: Mapping[str, Outlet],
    pool: Executor | None = None,
) -> tuple[list[tuple[ArchivedRun, ...]], str]:
    """The runs in the archive of the outlets in `sites`, oldest first (those started on or
    after `since`), big ones cut into parts of `batch_pages` pages and small ones side by side
    up to that many pages: an index only, no page is read yet (its files read in `pool`'s
    processes when given). Runs of an outlet no longer configured are left out, with one
    warning; they are the second value (`unconfigured`)."""
    runs = read_runs(folder, since, pool.map if pool is not None else map)
    if left := unconfigured(runs, sites):
        get_run_logger().warning(
            "Archived runs of outlets the outlets file no longer has are left out of the "
            "rebuild (%s): add the outlet back to the outlets file to rebuild its rows.",
            left,
        )
    kept = [part for run in runs if run.outlet in sites for part in split_run(run, batch_pages)]
    return batches(kept, batch_pages), left


@task(cache_policy=NO_CACHE, task_run_name="parse and shape {runs[0].run_id} ({n_runs} runs)")
def parse_and_shape(
    runs: tuple[ArchivedRun, ...],
    n_runs: int,
    spill_dir: Path,
    sites: Mapping[str, Outlet],
    pool: Executor | None = None,
) -> list[Spilled]:
    """Read a batch's pages from the archive, parse them (each run with its outlet's reader,
    from `sites`), and shape each run's frames (written under `spill_dir`); in one of `pool`'s
    processes when given (this task's thread waits)."""
    if pool is None:
        return replay_batch(runs, spill_dir, sites)
    return pool.submit(replay_batch, runs, spill_dir, sites).result()


@task(cache_policy=NO_CACHE, task_run_name="check and load {n_runs} runs")
def check_and_load(
    spilled: list[Spilled],
    n_runs: int,
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    sites: Mapping[str, Outlet],
) -> list[LoadResult | None]:
    """Every run of a batch through the quality gate (together where that gives each run the
    same result, see `checked_runs`), and what passes loaded through `con` in one transaction,
    in order, one `load_runs` row per run (see `load_batches`); None for a run the gate refuses
    (it stays out, as it did when it was fetched). Each run is checked with its outlet's site
    rules (from `sites`), at the site it read. An Espreso run the layout checks block is read
    again by the generic reader, as its live run was (`generic_rerun`); the runs before it are
    loaded first (what the live run knew), so its batch may take more than one transaction."""
    runs = [
        RunToCheck(
            one.run.run_id,
            unspilled(one),
            one.run.site_url,
            one.run.started_at,
            one.feed_pages,
            sites[one.run.outlet],
        )
        for one in spilled
    ]
    outcomes = checked_runs(runs, settings)
    results: list[LoadResult | None] = []
    held: list[RunLoad | None] = []
    for one, run, outcome in zip(spilled, runs, outcomes, strict=True):
        if isinstance(outcome, GateBlocked) and (checks := stands_in(run.site, outcome)):
            # What the live run knew is every run before it: those are loaded first.
            results += loaded_in_order(con, held)
            held = []
            outcome = generic_rerun(one.run, run, outcome, checks, settings, con)
        if isinstance(outcome, GateBlocked):
            get_run_logger().warning("run %s of %s stays out: %s", run.run_id, run.now, outcome)
            held.append(None)
        else:
            held.append(RunLoad(run.run_id, outcome, run.now, datetime.now(UTC)))
    return results + loaded_in_order(con, held)


def generic_rerun(
    archived: ArchivedRun,
    run: RunToCheck,
    blocked: GateBlocked,
    checks: list[str],
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
) -> dict[str, pl.DataFrame] | GateBlocked:
    """An Espreso run `blocked` by the layout `checks` read again from the archive by the
    generic reader, as the live run's fallback read it (`read_generically`): the articles not
    yet in the warehouse being rebuilt through `con`, shaped with reader "generic" and checked.
    Its frames that pass, or the block that stands."""
    found, answers = archived_answers(archived, run.site)

    def generic(again: Parsed) -> dict[str, pl.DataFrame]:
        frames = batch_frames(run.run_id, found, again, run.now, run.site, "generic")
        (outcome,) = checked_runs([replace(run, frames=frames)], settings)
        if isinstance(outcome, GateBlocked):
            raise outcome
        return outcome

    try:
        return read_generically(blocked, checks, answers, article_urls(con), generic)[0]
    except GateBlocked as block:
        return block


def loaded_in_order(
    con: duckdb.DuckDBPyConnection, runs: list[RunLoad | None]
) -> list[LoadResult | None]:
    """The runs that passed (not None) loaded through `con` in one transaction, in order, one
    `load_runs` row each (see `load_batches`); None for the others."""
    passed = [run for run in runs if run is not None]
    loads = iter(load_batches(con, passed, kind=RunKind.CRAWL) if passed else [])
    return [None if run is None else next(loads) for run in runs]


def in_order(
    submit: Iterable[PrefectFuture[list[Spilled]]], window: int
) -> Iterator[list[Spilled]]:
    """Results of submitted tasks in submission order, with at most `window` in flight (bounded
    memory: a fast parser never runs far ahead of the loader)."""
    pending: deque[PrefectFuture[list[Spilled]]] = deque()
    for future in submit:
        pending.append(future)
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@task(cache_policy=NO_CACHE)
def search_index_of(scratch: Path) -> Path:
    """The rebuilt lake's search index, built from its articles beside it (`index_scratch`);
    submitted once every article is loaded, so it is built while the facts are drawn."""
    return index_scratch(scratch)


def reparse_run_name() -> str:
    """`reparse since 2025-10-01`, or `reparse all`."""
    since = flow_run.parameters.get("since")
    return f"reparse since {since}" if since else "reparse all"


def replay_all(
    runs: list[tuple[ArchivedRun, ...]], settings: Settings, pool: Executor | None
) -> list[LoadResult | None]:
    """Every batch of runs parsed and shaped (in `pool`'s processes when given), then each run
    checked and loaded into `settings.warehouse` in run order, through one connection, several
    batches at a time (`checked_pages`); None for a run the gate refused."""
    results: list[LoadResult | None] = []
    # Frames pass between the stages as files (see `Spilled`), in a folder beside the warehouse.
    with (
        tempfile.TemporaryDirectory(prefix="reparse-", dir=settings.warehouse.parent) as spill,
        connect(settings.warehouse) as con,
    ):
        spill_dir = Path(spill)
        sites = outlets(settings.outlets_file)
        parsed: Iterable[list[Spilled]]
        if pool is not None:
            submitted = (
                parse_and_shape.submit(batch, len(batch), spill_dir, sites, pool) for batch in runs
            )
            parsed = in_order(submitted, window=2 * settings.workers)
        else:
            parsed = (parse_and_shape(batch, len(batch), spill_dir, sites) for batch in runs)
        for group in side_by_side(parsed, pages_of, checked_pages(settings.batch_pages)):
            done = [one for batch in group for one in batch]
            results.extend(check_and_load(done, len(done), settings, con, sites))
    return results


def pages_of(batch: list[Spilled]) -> int:
    """The article pages of a parsed batch."""
    return sum(one.run.article_pages for one in batch)


def checked_pages(batch_pages: int) -> int:
    """Article pages checked and loaded at a time: as many as one check of the articles may
    hold (Great Expectations' cost is mostly per check, not per row), or one batch if more."""
    return max(batch_pages, most_rows("articles") or 0)


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
        batch_pages: Article pages parsed together (a bigger run is cut); checked and loaded
            several batches at a time, up to what one check of the articles holds.
        workers: Processes that index the archive, parse and shape, and draw the facts; 1
            means in this process.
    """
    settings = Settings.build(dict(warehouse=warehouse, batch_pages=batch_pages, workers=workers))
    target = settings.warehouse
    folder = Path(raw_dir) if raw_dir else settings.raw_dir
    sites = outlets(settings.outlets_file)
    with worker_pool(settings.workers) as pool:
        runs, left = archived_batches(folder, since, settings.batch_pages, sites, pool)
        if not runs:
            after = f" started on or after {since}" if since else ""
            of = f" of a configured outlet (left out: {left})" if left else ""
            return failed(
                f"No archived runs{after}{of} in {folder}: nothing to rebuild; the warehouse is unchanged."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = scratch_path(target)
        discard(scratch)
        build = settings.model_copy(update={"warehouse": scratch})
        index: PrefectFuture[Path] | None = None
        try:
            with writer_lock(target):
                results = replay_all(runs, build, pool)
                loads = [r for r in results if r is not None]
                refused = len(results) - len(loads)
                if not loads:
                    return failed(
                        f"Reparse loaded nothing: the checks refused all {refused} batches; the warehouse is unchanged."
                    )
                carry_over(scratch, target)
                # The articles are all in: their search index is built (in a thread; DuckDB
                # works outside the GIL) while the facts are drawn, and moved in at the swap.
                index = search_index_of.submit(scratch)
                draw_facts(build, pool, every=True)
                if pool is not None:
                    pool.shutdown()  # the checks and the swap need no worker: free their memory
                if problems := rebuild_problems(scratch):
                    return failed(
                        f"The rebuilt warehouse is inconsistent ({'; '.join(problems)}); the warehouse is unchanged."
                    )
                swap_in(scratch, target, index.result())
        finally:
            if index is not None:
                index.wait()  # done with the scratch lake before it is removed
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
