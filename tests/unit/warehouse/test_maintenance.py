"""`maintain`: inlined rows written out, small files merged, snapshots past the retention expired
and their files deleted; every table reads the same, the current snapshot is kept, a snapshot
inside the retention still answers time travel and an expired one fails clearly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from tests.unit.warehouse.test_load import T0, _frames
from warehouse.catalog import data_path
from warehouse.connection import connect
from warehouse.export import warehouse_tables
from warehouse.history import counts_as_of
from warehouse.lake import LAKE, copy_lake
from warehouse.load import load_batch
from warehouse.maintenance import inlined_rows, maintain
from warehouse.migrate import migrations
from warehouse.runs import RunKind

LOADS = 5
# Connecting creates snapshots 0 to FIRST_LOAD - 1 (the schema, the migration table, the baseline
# tables of migrations 1 to 8, one per later migration, the views); each load adds one.
FIRST_LOAD = 3 + (len(migrations()) - 8) + 1


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A lake of `small_loads`, copied by each test that changes it."""
    path = tmp_path_factory.mktemp("loaded") / "w.ducklake"
    small_loads(path)
    return path


def small_loads(path: Path) -> None:
    """A lake with `LOADS` small loads, one new article (with two tags) each."""
    with connect(path) as con:
        for n in range(LOADS):
            url = pl.lit(f"https://global.espreso.tv/article-{n}").alias("url")
            frames = _frames(f"Title {n}", T0, ["News", f"Tag {n}"])
            frames["articles"] = frames["articles"].with_columns(url)
            frames["article_tags"] = frames["article_tags"].with_columns(url)
            load_batch(con, f"run-{n}", frames, kind=RunKind.CRAWL, started_at=T0, finished_at=T0)


def _lake(loaded: Path, path: Path) -> None:
    """A copy of the `loaded` lake at `path`, for one test to change."""
    copy_lake(loaded, path)


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()
        for table in warehouse_tables(con)
    }


def _parquet_files(path: Path) -> int:
    return len(list(data_path(path).rglob("*.parquet")))


def test_with_no_retention_one_snapshot_is_left_and_every_table_reads_the_same(
    loaded: Path, tmp_path: Path
) -> None:
    path = tmp_path / "w.ducklake"
    _lake(loaded, path)
    with connect(path) as con:
        before = _tables(con)
        assert inlined_rows(con) == 21 + len(
            migrations()
        )  # the rows flushed below (load_turn: 1 + 5 earlier ones; migrations 10 on theirs)
        done = maintain(con, keep_snapshots=timedelta(0), now=datetime.now(UTC) + timedelta(days=1))
        assert _tables(con) == before
        assert inlined_rows(con) == 0
        kept = con.execute(f"SELECT snapshot_id FROM {LAKE}.snapshots()").fetchall()
        assert _parquet_files(path) == 11
        # The next day's run deletes the files merged away (nothing else to do).
        again = maintain(
            con, keep_snapshots=timedelta(0), now=datetime.now(UTC) + timedelta(days=2)
        )
        assert _tables(con) == before
    # 5 loads on the snapshots of schema, then the flush and the merge: all but the last expired.
    assert (done.snapshots_before, done.snapshots_expired, done.snapshots_after) == (
        FIRST_LOAD + LOADS,
        FIRST_LOAD + LOADS + 1,
        1,
    )
    assert kept == [(FIRST_LOAD + LOADS + 1,)]
    assert done.rows_flushed == {
        "article_tags": 10,
        "load_runs": 5,
        "load_turn": 6,
        "schema_migrations": len(migrations()),
    }
    # One article file per load, merged into one; the flushed rows make 5 more.
    assert (done.files_before, done.files_merged, done.files_written) == (5, 5, 1)
    assert (done.files_deleted, done.files_waiting, done.files_after) == (0, 5, 11)
    assert (again.files_deleted, again.files_waiting, again.files_after) == (5, 0, 6)
    assert (again.snapshots_before, again.snapshots_expired, again.snapshots_after) == (1, 0, 1)
    assert (again.rows_flushed, again.files_merged) == ({}, 0)
    assert _parquet_files(path) == 6
    files = list(data_path(path).rglob("*.parquet"))
    assert again.bytes_after == sum(f.stat().st_size for f in files)
    assert again.bytes_after < again.bytes_before == done.bytes_after


def test_a_snapshot_inside_the_retention_still_answers_time_travel(
    loaded: Path, tmp_path: Path
) -> None:
    path = tmp_path / "w.ducklake"
    _lake(loaded, path)
    third = FIRST_LOAD + 2
    with connect(path) as con:
        (taken,) = con.execute(
            f"SELECT snapshot_time FROM {LAKE}.snapshots() WHERE snapshot_id = ?", [third]
        ).fetchone() or (None,)
        at_third = con.execute(f"SELECT url FROM articles AT (VERSION => {third}) ORDER BY 1")
        before = at_third.fetchall()
        # Kept: the snapshots taken at the third load's instant or later (a day's retention).
        done = maintain(con, keep_snapshots=timedelta(days=1), now=taken + timedelta(days=1))
        after = con.execute(f"SELECT url FROM articles AT (VERSION => {third}) ORDER BY 1")
        assert after.fetchall() == before
        with pytest.raises(
            duckdb.InvalidInputException, match=f"No snapshot found at version {third - 1}"
        ):
            con.execute(f"SELECT url FROM articles AT (VERSION => {third - 1})")
        assert counts_as_of(con, version=third)["articles"] == 3
        oldest = f"its oldest is snapshot {third} ({taken:%Y-%m-%d %H:%M:%S}+0000)"
        with pytest.raises(LookupError) as expired:
            counts_as_of(con, version=third - 1)
        assert str(expired.value) == (
            f"the warehouse keeps no snapshot {third - 1}: {oldest}, as maintenance expires the older "
            "ones (NEWSFLOW_SNAPSHOT_RETENTION_DAYS)"
        )
        earlier = taken - timedelta(seconds=1)
        with pytest.raises(LookupError) as too_early:
            counts_as_of(con, at=earlier)
        assert str(too_early.value).startswith(
            f"the warehouse keeps no snapshot at {earlier:%Y-%m-%d %H:%M:%S}+0000: {oldest}"
        )
    assert before == [(f"https://global.espreso.tv/article-{n}",) for n in range(3)]
    assert (done.snapshots_before, done.snapshots_expired, done.snapshots_after) == (
        FIRST_LOAD + LOADS,
        FIRST_LOAD + 2,
        5,
    )
    assert done.expired_before == taken
    assert done.oldest_snapshot == taken


def test_a_retention_of_thirty_days_keeps_every_recent_snapshot(
    loaded: Path, tmp_path: Path
) -> None:
    path = tmp_path / "w.ducklake"
    _lake(loaded, path)
    with connect(path) as con:
        done = maintain(con, keep_snapshots=timedelta(days=30), now=datetime.now(UTC))
    assert (done.snapshots_before, done.snapshots_expired, done.snapshots_after) == (
        FIRST_LOAD + LOADS,
        0,
        FIRST_LOAD + LOADS + 2,
    )
    assert (done.files_deleted, done.files_waiting) == (0, 5)  # merged away: for the next run


def test_files_left_unneeded_within_the_grace_wait(loaded: Path, tmp_path: Path) -> None:
    path = tmp_path / "w.ducklake"
    _lake(loaded, path)
    with connect(path) as con:
        maintain(con, keep_snapshots=timedelta(0), now=datetime.now(UTC))
        # Run again at once: the 5 files merged away were unneeded only seconds ago.
        again = maintain(con, keep_snapshots=timedelta(0), now=datetime.now(UTC))
    assert (again.files_deleted, again.files_waiting, again.files_after) == (0, 5, 11)


def test_the_catalogs_own_older_than_expires_the_whole_day(loaded: Path) -> None:
    """Why `maintain` picks the snapshots by id: DuckLake's `older_than` on a SQLite catalog
    takes an instant before the third load (seconds apart, on one day) for one after every load
    but the last."""
    with connect(loaded, read_only=True) as con:
        (taken,) = con.execute(
            f"SELECT snapshot_time FROM {LAKE}.snapshots() WHERE snapshot_id = ?", [FIRST_LOAD + 2]
        ).fetchone() or (None,)
        would = con.execute(
            f"CALL ducklake_expire_snapshots('{LAKE}', dry_run => true, older_than => ?)", [taken]
        ).fetchall()
    assert [row[0] for row in would] == list(range(FIRST_LOAD + LOADS - 1))


def test_a_negative_retention_is_refused(tmp_path: Path) -> None:
    with (
        connect(tmp_path / "w.ducklake") as con,
        pytest.raises(ValueError, match="keep_snapshots must not be negative"),
    ):
        maintain(con, keep_snapshots=timedelta(days=-1), now=datetime.now(UTC))
