"""Loading runs' frames: upserts (MERGE INTO, the lake has no keys) in a single transaction per
load (one run, or several in order), idempotent, all or nothing, retried whole when another
writer committed first."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import polars as pl

from transforms.schemas import KEYS, TABLES
from warehouse.runs import RunKind, record_run
from warehouse.transaction import load_transaction


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one load wrote."""

    run_id: str
    rows_in: int
    rows_loaded: int
    rows_quarantined: int
    retries: int = 0
    """How many times the load's transaction ran again after a commit conflict."""


def _keep_revisions(con: duckdb.DuckDBPyConnection) -> None:
    # The version an edit replaces is kept, whole, before the new one overwrites it.
    con.execute(
        "INSERT INTO article_revisions "
        "SELECT a.url, a.content_hash, a.title, a.lead, a.body_text, a.modified_at, a.fetched_at "
        "FROM articles AS a JOIN batch_articles AS b USING (url) "
        "WHERE a.content_hash <> b.content_hash "
        "AND (a.url, a.fetched_at) NOT IN (SELECT (url, fetched_at) FROM article_revisions)"
    )


def _upsert_articles(con: duckdb.DuckDBPyConnection) -> None:
    # A new fetch replaces the row; first_seen_at stays the earliest ever recorded.
    columns = [c for c in TABLES["articles"].names() if c not in ("url", "first_seen_at")]
    updates = ", ".join(f"{c} = b.{c}" for c in columns)
    con.execute(
        "MERGE INTO articles USING batch_articles AS b ON articles.url = b.url "
        f"WHEN MATCHED THEN UPDATE SET {updates}, "
        "first_seen_at = least(articles.first_seen_at, b.first_seen_at) "
        "WHEN NOT MATCHED THEN INSERT BY NAME"
    )


def _replace_children(con: duckdb.DuckDBPyConnection, table: str, filled: set[str]) -> None:
    # Tags and related links belong to the article version just loaded: replace them whole.
    if "articles" in filled:
        con.execute(f"DELETE FROM {table} WHERE url IN (SELECT url FROM batch_articles)")
    _append(con, table, filled)


def _append(con: duckdb.DuckDBPyConnection, table: str, filled: set[str]) -> None:
    if table in filled:
        con.execute(f"INSERT INTO {table} SELECT * FROM batch_{table}")


def _upsert_feed_items(con: duckdb.DuckDBPyConnection) -> None:
    newer = "b.last_seen_at >= f.last_seen_at"
    con.execute(
        "MERGE INTO feed_items AS f USING batch_feed_items AS b ON f.url = b.url "
        "WHEN MATCHED THEN UPDATE SET "
        f"title = CASE WHEN {newer} THEN b.title ELSE f.title END, "
        f"subtitle = CASE WHEN {newer} THEN b.subtitle ELSE f.subtitle END, "
        f"badge = CASE WHEN {newer} THEN b.badge ELSE f.badge END, "
        "published_at = coalesce(b.published_at, f.published_at), "
        "first_seen_at = least(f.first_seen_at, b.first_seen_at), "
        "last_seen_at = greatest(f.last_seen_at, b.last_seen_at) "
        "WHEN NOT MATCHED THEN INSERT BY NAME"
    )


def _insert_new_observations(con: duckdb.DuckDBPyConnection) -> None:
    # No primary key (see migration 005): rows already there are skipped by an anti-join over the
    # batch's time range only, which zone maps make cheap on a table appended in time order.
    con.execute(
        "INSERT INTO feed_observations SELECT * FROM batch_feed_observations ANTI JOIN ("
        " SELECT observed_at, page_url, position FROM feed_observations WHERE observed_at BETWEEN"
        " (SELECT min(observed_at) FROM batch_feed_observations) AND (SELECT max(observed_at) FROM batch_feed_observations)"
        ") AS known USING (observed_at, page_url, position)"
    )


def distinct_keys(frame: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    """One row per key, the last one given. Distinct key hashes prove distinct keys (equal keys
    hash alike), so a frame whose hashes are all distinct, the usual batch, is returned as it is:
    hashing the keys once costs a fraction of `unique` keeping the order."""
    hashes = frame.select(pl.struct(keys).hash().n_unique()).item()
    if hashes == frame.height:
        return frame
    return frame.unique(subset=list(keys), keep="last", maintain_order=True)


@dataclass(frozen=True, slots=True)
class RunLoad:
    """One run's frames to load, as `load_runs` will record it (see `load_batches`)."""

    run_id: str
    frames: Mapping[str, pl.DataFrame]
    started_at: datetime
    finished_at: datetime


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A run's frames checked against the contract, one row per key, and its counts."""

    run: RunLoad
    batch: dict[str, pl.DataFrame]
    rows_in: int
    rows_loaded: int
    rows_quarantined: int


def _prepared(run: RunLoad) -> _Prepared:
    frames = run.frames
    for name, schema in TABLES.items():
        if name not in frames:
            raise KeyError(f"load_batch: the batch has no {name!r} frame")
        got = frames[name].schema
        if got != schema:
            raise TypeError(
                f"load_batch: frame {name!r} has schema {dict(got)}, the contract says {dict(schema)}"
            )
    batch = {
        name: distinct_keys(frames[name], KEYS[name]) if name in KEYS else frames[name]
        for name in TABLES
    }
    rows_quarantined = frames["quarantine"].height
    rows_in = (
        sum(f.height for name, f in frames.items() if name in TABLES and name != "quarantine")
        + rows_quarantined
    )
    return _Prepared(
        run,
        batch,
        rows_in,
        sum(df.height for name, df in batch.items() if name != "quarantine"),
        rows_quarantined,
    )


def _write_frames(con: duckdb.DuckDBPyConnection, batch: Mapping[str, pl.DataFrame]) -> None:
    """Every statement that writes frames, in the caller's transaction (`load_runs` apart)."""
    # A statement whose batch table is empty changes nothing: it is not sent (on the lake each
    # one costs a catalog round trip even when it has no row to write).
    filled = {name for name, df in batch.items() if df.height}
    for name, df in batch.items():
        con.register(f"batch_{name}", df.to_arrow())
    try:
        if "articles" in filled:
            _keep_revisions(con)
            _upsert_articles(con)
        _replace_children(con, "article_tags", filled)
        _replace_children(con, "article_related", filled)
        if "feed_items" in filled:
            _upsert_feed_items(con)
        if "feed_observations" in filled:
            _insert_new_observations(con)
        if filled & {"articles", "feed_items"}:
            # A re-read headline may have lost its attribution: replace the rows of every URL read.
            con.execute(
                "DELETE FROM headline_sources WHERE url IN "
                "(SELECT url FROM batch_articles UNION SELECT url FROM batch_feed_items)"
            )
        for table in ("headline_sources", "fetch_log", "quarantine"):
            _append(con, table, filled)
    finally:
        for name in batch:
            con.unregister(f"batch_{name}")


def _keys(run: _Prepared) -> set[tuple[object, ...]]:
    """Every key the run's rows write under: the URLs of the tables keyed by URL, and its feed
    observations' keys."""
    urls = {
        ("url", url)
        for name, key in KEYS.items()
        if key[0] == "url"
        for url in run.batch[name]["url"].to_list()
    }
    observations = run.batch["feed_observations"].select(KEYS["feed_observations"]).rows()
    return urls | {("observation", *row) for row in observations}


def _disjoint_groups(runs: Sequence[_Prepared]) -> list[list[_Prepared]]:
    """Consecutive runs, a new group wherever a run writes under a key that a run of the group
    already wrote (an article read again). Loading a group's frames together is loading its runs
    one by one: every statement of a load reads and writes only rows under the load's own keys,
    and those of the runs of a group are apart."""
    groups: list[list[_Prepared]] = []
    taken: set[tuple[object, ...]] = set()
    for run in runs:
        keys = _keys(run) if len(runs) > 1 else set()
        if not groups or keys & taken:
            groups.append([])
            taken = set()
        groups[-1].append(run)
        taken |= keys
    return groups


def load_batches(
    con: duckdb.DuckDBPyConnection,
    runs: Sequence[RunLoad],
    *,
    kind: RunKind,
    also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> list[LoadResult]:
    """Write several runs' frames in a single transaction, each run's statements in turn, in
    the order given: the tables end as loading them one by one leaves them (a later run's
    version of an article wins, the one it replaces becomes a revision), with one `load_runs`
    row per run and its own counts; all of it lands, or none of it. Consecutive runs that write
    under no common key are written by one set of statements (`_disjoint_groups`): many small
    runs (a backfill's, replayed by `reparse`) cost about what one run of their size costs.
    `also` as in `load_batch`."""
    prepared = [_prepared(run) for run in runs]
    groups = _disjoint_groups(prepared)
    attempts = 0

    def write() -> None:
        nonlocal attempts
        attempts += 1
        for group in groups:
            _write_frames(
                con, {name: pl.concat([run.batch[name] for run in group]) for name in TABLES}
            )
            for run in group:
                record_run(
                    con,
                    run.run.run_id,
                    kind,
                    started_at=run.run.started_at,
                    finished_at=run.run.finished_at,
                    rows_in=run.rows_in,
                    rows_loaded=run.rows_loaded,
                    rows_quarantined=run.rows_quarantined,
                    commit_retries=attempts - 1,
                )
        if also is not None:
            also(con)

    retries = load_transaction(con, write)
    return [
        LoadResult(p.run.run_id, p.rows_in, p.rows_loaded, p.rows_quarantined, retries)
        for p in prepared
    ]


def load_batch(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    frames: Mapping[str, pl.DataFrame],
    *,
    kind: RunKind,
    started_at: datetime,
    finished_at: datetime,
    also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> LoadResult:
    """Write one run's frames in a single transaction: all of it lands, or none of it. `kind`
    says what made them (`RunKind.CRAWL` for a crawl or its replay).

    `also` writes more in the same transaction (a backfill's progress lands with its batch).
    """
    (result,) = load_batches(
        con, [RunLoad(run_id, frames, started_at, finished_at)], kind=kind, also=also
    )
    return result
