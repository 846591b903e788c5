"""Time travel: the warehouse as it was at an earlier snapshot or instant ("what did we know at
10:00?"), from the lake's own snapshots."""

from __future__ import annotations

from datetime import datetime

import duckdb

from warehouse.export import warehouse_tables
from warehouse.lake import LAKE


def as_of(*, version: int | None = None, at: datetime | None = None) -> str:
    """The `AT (…)` clause that reads a table as of a lake snapshot `version` or instant `at`."""
    if (version is None) == (at is None):
        raise ValueError("as_of: give a snapshot version or an instant, one of them")
    if version is not None:
        return f"AT (VERSION => {int(version)})"
    assert at is not None
    return f"AT (TIMESTAMP => TIMESTAMPTZ '{at.isoformat()}')"


def counts_as_of(
    con: duckdb.DuckDBPyConnection, *, version: int | None = None, at: datetime | None = None
) -> dict[str, int]:
    """Rows per table as of snapshot `version` or instant `at` (tables created later: absent);
    `LookupError` when the lake keeps no snapshot that far back (expired by maintenance)."""
    clause = as_of(version=version, at=at)
    check_kept(con, version=version, at=at)
    counts: dict[str, int] = {}
    for table in warehouse_tables(con):
        try:
            found = con.execute(f'SELECT count(*) FROM "{table}" {clause}').fetchone()
        except duckdb.Error:
            continue  # the table did not exist yet
        counts[table] = int(found[0]) if found else 0
    return counts


def check_kept(
    con: duckdb.DuckDBPyConnection, *, version: int | None = None, at: datetime | None = None
) -> None:
    """Raise `LookupError` unless the lake still keeps snapshot `version` (or one taken at or
    before `at`): maintenance expires the snapshots older than the retention setting."""
    found = con.execute(
        f"SELECT min(snapshot_id), min(snapshot_time), bool_or(snapshot_id = ?) "
        f"FROM {LAKE}.snapshots()",
        [version],
    ).fetchone()
    oldest_id, oldest_time, has_version = found if found else (None, None, None)
    if version is not None and has_version:
        return
    if at is not None and oldest_time is not None and at >= oldest_time:
        return
    asked = (
        f"snapshot {version}" if version is not None else f"snapshot at {at:%Y-%m-%d %H:%M:%S%z}"
    )
    raise LookupError(
        f"the warehouse keeps no {asked}: its oldest is snapshot {oldest_id} "
        f"({oldest_time:%Y-%m-%d %H:%M:%S%z}), as maintenance expires the older ones "
        "(NEWSFLOW_SNAPSHOT_RETENTION_DAYS)"
    )
