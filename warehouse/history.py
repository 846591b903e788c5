"""Time travel: the warehouse as it was at an earlier snapshot or instant ("what did we know at
10:00?"), from the lake's own snapshots."""

from __future__ import annotations

from datetime import datetime

import duckdb

from warehouse.export import warehouse_tables


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
    """Rows per table as of snapshot `version` or instant `at` (tables created later: absent)."""
    clause = as_of(version=version, at=at)
    counts: dict[str, int] = {}
    for table in warehouse_tables(con):
        try:
            found = con.execute(f'SELECT count(*) FROM "{table}" {clause}').fetchone()
        except duckdb.Error:
            continue  # the table did not exist yet
        counts[table] = int(found[0]) if found else 0
    return counts
