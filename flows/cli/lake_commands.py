"""The commands of the lake itself: `sql` (the DuckDB CLI on the warehouse, read-only, or the
statements that open it in any DuckDB client) and `migrate-warehouse` (a DuckDB-file warehouse
copied into a lake)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.options import Warehouse, settings_of

# The `duckdb` shell of this environment: pinned to the library's version, so it loads the same
# extension builds from the same directory.
DUCKDB_CLI = Path(sys.executable).parent / "duckdb"
SQL_CONTEXT = {"allow_extra_args": True, "ignore_unknown_options": True}


def sql(
    ctx: typer.Context,
    attach_sql: Annotated[
        bool,
        typer.Option(
            "--attach-sql",
            help="Print the SQL that opens the warehouse read-only in any DuckDB client of this "
            "environment, instead of starting the shell.",
        ),
    ] = False,
    warehouse: Warehouse = None,
) -> None:
    """Open the warehouse in the DuckDB shell, read-only (tables, views and the search index), while
    runs go on loading; arguments after the options go to the shell (e.g. -csv -c "SQL")."""
    from warehouse.connection import connect
    from warehouse.lake import attach_sql as statements

    path = settings_of(ctx.params).warehouse
    with connect(path, read_only=True):  # a missing or old-format warehouse: one paragraph, exit 2
        pass
    opening = statements(path)
    if attach_sql:
        print(opening, end="")
        return
    sys.stdout.flush()
    os.execv(DUCKDB_CLI, [str(DUCKDB_CLI), "-cmd", opening, *ctx.args])


def migrate_warehouse(
    ctx: typer.Context,
    old: Annotated[
        Path,
        typer.Argument(metavar="OLD", help="The DuckDB-file warehouse to copy (only read)."),
    ],
    warehouse: Warehouse = None,
) -> None:
    """Copy a DuckDB-file warehouse (the format before the lake) into a new lake, table by table;
    the other way is `newsflow reparse` from the raw archive."""
    from warehouse.convert import migrate_warehouse as copy_into_lake

    lake = settings_of(ctx.params).warehouse
    copied = copy_into_lake(old, lake)
    for table, n in copied.items():
        print(f"{table:<18} {n:>7} rows")
    print(f"Copied {len(copied)} tables, {sum(copied.values())} rows, from {old} into {lake}")
