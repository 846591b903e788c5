"""Small-file care for the lake: rows inlined in the catalog written out to Parquet, adjacent small
files merged, snapshots past the retention expired, and the files no snapshot needs deleted. The
tables read the same before and after; only time travel loses the expired snapshots.

With a SQLite catalog DuckLake 1.5.5 compares instants as text, which gets instants on the same
day wrong: `older_than => T` expires every snapshot taken on T's date, however late, and deletes
every file scheduled that day (measured; a test keeps the measurement). So the snapshots to expire are chosen here, by
id, and files are deleted only when every one waiting has waited `CLEANUP_GRACE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from warehouse.lake import LAKE

METADATA = f"__ducklake_metadata_{LAKE}"
"""The catalog's own tables, as DuckLake attaches them beside the lake."""

CLEANUP_GRACE = timedelta(hours=1)
"""A file no snapshot needs any more is deleted only once it has been unneeded this long, so a
query that started reading it before it was merged away or expired finishes first. Files are
deleted at the start of a run: a daily run deletes those the run before left unneeded."""


@dataclass(frozen=True, slots=True)
class Maintenance:
    """What one maintenance run did to the lake."""

    rows_flushed: dict[str, int]
    """Rows moved from the catalog to Parquet files, per table (history rows included)."""
    files_merged: int
    """Data files merged into bigger ones…"""
    files_written: int
    """…and the files they became."""
    snapshots_expired: int
    files_deleted: int
    """Files deleted (left unneeded by earlier runs, `CLEANUP_GRACE` ago at least)…"""
    files_waiting: int
    """…and files left unneeded that wait for the next run."""
    files_before: int
    """Parquet files in the data folder before and after."""
    files_after: int
    bytes_before: int
    """Bytes of those files before and after."""
    bytes_after: int
    snapshots_before: int
    snapshots_after: int
    expired_before: datetime
    """Snapshots taken before this instant were expired (the current one never is)."""
    oldest_snapshot: datetime
    """How far back time travel reaches now."""


def maintain(
    con: duckdb.DuckDBPyConnection, *, keep_snapshots: timedelta, now: datetime
) -> Maintenance:
    """Flush inlined rows, merge adjacent files, expire the snapshots taken more than
    `keep_snapshots` before `now` and delete the files left unneeded (`CLEANUP_GRACE`), on the
    lake attached to `con` (read-write: the caller holds the writer lock, as for a load)."""
    if keep_snapshots < timedelta(0):
        raise ValueError(f"keep_snapshots must not be negative, got {keep_snapshots}")
    files_before = parquet_files(con)
    snapshots_before = snapshot_count(con)
    deleted = delete_unneeded_files(con, now - CLEANUP_GRACE)
    flushed = con.execute(f"CALL ducklake_flush_inlined_data('{LAKE}')").fetchall()
    merged = con.execute(f"CALL ducklake_merge_adjacent_files('{LAKE}')").fetchall()
    cutoff = now - keep_snapshots
    expired = expire_snapshots(con, cutoff)
    files_after = parquet_files(con)
    return Maintenance(
        rows_flushed={table: int(rows) for _, table, rows in flushed if rows},
        files_merged=sum(int(processed) for _, _, processed, _ in merged),
        files_written=sum(int(created) for _, _, _, created in merged),
        snapshots_expired=expired,
        files_deleted=deleted,
        files_waiting=len(unneeded_files(con)),
        files_before=len(files_before),
        files_after=len(files_after),
        bytes_before=sum(files_before.values()),
        bytes_after=sum(files_after.values()),
        snapshots_before=snapshots_before,
        snapshots_after=snapshot_count(con),
        expired_before=cutoff,
        oldest_snapshot=oldest_snapshot(con),
    )


def expire_snapshots(con: duckdb.DuckDBPyConnection, cutoff: datetime) -> int:
    """Expire the snapshots taken before `cutoff`, never the current one; how many."""
    versions = [
        int(version)
        for (version,) in con.execute(
            f"SELECT snapshot_id FROM ducklake_snapshots('{LAKE}') WHERE snapshot_time < ? "
            f"AND snapshot_id < (SELECT max(snapshot_id) FROM ducklake_snapshots('{LAKE}'))",
            [cutoff],
        ).fetchall()
    ]
    if not versions:
        return 0
    expired = con.execute(
        f"CALL ducklake_expire_snapshots('{LAKE}', versions => ?::BIGINT[])", [versions]
    ).fetchall()
    return len(expired)


def unneeded_files(con: duckdb.DuckDBPyConnection) -> list[datetime]:
    """The instants the files waiting for deletion (merged away, or only in expired snapshots)
    were scheduled at."""
    return [
        moment
        for (moment,) in con.execute(
            f"SELECT schedule_start::TIMESTAMPTZ FROM {METADATA}.ducklake_files_scheduled_for_deletion"
        ).fetchall()
    ]


def delete_unneeded_files(con: duckdb.DuckDBPyConnection, before: datetime) -> int:
    """Delete the files scheduled for deletion when every one was scheduled before `before`
    (else none: see the module's note); how many."""
    waiting = unneeded_files(con)
    if not waiting or max(waiting) >= before:
        return 0
    deleted = con.execute(f"CALL ducklake_cleanup_old_files('{LAKE}', cleanup_all => true)")
    return len(deleted.fetchall())


def data_folder(con: duckdb.DuckDBPyConnection) -> Path:
    """The folder the attached lake keeps its Parquet files in."""
    found = con.execute(
        "SELECT options['data_path'] FROM duckdb_databases() WHERE database_name = ?", [LAKE]
    ).fetchone()
    if not found or not found[0]:
        raise RuntimeError(f"this connection has no lake attached as {LAKE!r}")
    return Path(str(found[0]))


def parquet_files(con: duckdb.DuckDBPyConnection) -> dict[Path, int]:
    """Every Parquet file in the lake's data folder, with its size in bytes."""
    return {file: file.stat().st_size for file in data_folder(con).rglob("*.parquet")}


def snapshot_count(con: duckdb.DuckDBPyConnection) -> int:
    """The snapshots the lake keeps (each one a version time travel can read)."""
    found = con.execute(f"SELECT count(*) FROM ducklake_snapshots('{LAKE}')").fetchone()
    return int(found[0]) if found else 0


def oldest_snapshot(con: duckdb.DuckDBPyConnection) -> datetime:
    """When the lake's oldest kept snapshot was taken: time travel reaches back to it."""
    found = con.execute(f"SELECT min(snapshot_time) FROM ducklake_snapshots('{LAKE}')").fetchone()
    if not found or found[0] is None:
        raise RuntimeError("the lake has no snapshot")
    moment: datetime = found[0]
    return moment


def inlined_rows(con: duckdb.DuckDBPyConnection) -> int:
    """Rows the lake still holds inside its catalog rather than in Parquet files."""
    tables = con.execute(f"SELECT table_name FROM {METADATA}.ducklake_inlined_data_tables")
    total = 0
    for (table,) in tables.fetchall():
        found = con.execute(f'SELECT count(*) FROM {METADATA}."{table}"').fetchone()
        total += int(found[0]) if found else 0
    return total
