"""A DuckDB-file warehouse (the format before the lake) as an older newsflow left it: the file
migrations applied up to a version, for the tests of moving forward."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.migrate import migrations


def file_warehouse_at(path: Path, version: int) -> duckdb.DuckDBPyConnection:
    """Create `path` with the file migrations up to `version` applied and recorded; the open
    connection (in UTC), for the caller to add rows and close."""
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    for number, sql in migrations():
        if number > version:
            break
        con.execute(sql)
        con.execute("INSERT INTO schema_migrations (version) VALUES (?)", [number])
    return con
