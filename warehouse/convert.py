"""`migrate-warehouse`: a DuckDB-file warehouse (what newsflow wrote before the lake) copied into a
lake, table by table. The old file is only read: a copy of it is brought to the last file migration
first, so a warehouse at any level moves over."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb

from warehouse.catalog import file_kind
from warehouse.connection import WarehouseError, connect
from warehouse.export import warehouse_tables
from warehouse.migrate import migrate
from warehouse.search import ensure_search_index
from warehouse.transaction import load_transaction

_OLD = "old_warehouse"


def migrate_warehouse(old: Path, lake: Path) -> dict[str, int]:
    """Copy every table of the DuckDB file `old` into the new lake `lake` in one transaction (its
    migration history is the lake's own); return the rows copied per table. Refused, with nothing
    written, when `old` is not a DuckDB file or `lake` already exists."""
    if not old.is_file():
        raise WarehouseError(f"there is no file at {old}: give the DuckDB-file warehouse to copy")
    if file_kind(old) != "duckdb":
        raise WarehouseError(f"{old} is not a DuckDB-file warehouse: there is nothing to migrate")
    if file_kind(lake) != "empty":
        raise WarehouseError(f"{lake} exists already: migrate-warehouse only fills a new lake")
    lake.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".migrate-", dir=lake.parent) as scratch:
        copy = Path(scratch) / "old.duckdb"
        shutil.copyfile(old, copy)
        if Path(f"{old}.wal").exists():
            shutil.copyfile(f"{old}.wal", f"{copy}.wal")
        with duckdb.connect(str(copy)) as con:
            con.execute("SET TimeZone = 'UTC'")
            migrate(con)
            con.execute("CHECKPOINT")
        with connect(lake) as con:
            quoted = str(copy).replace("'", "''")
            con.execute(f"ATTACH '{quoted}' AS {_OLD} (READ_ONLY)")
            tables = [t for t in warehouse_tables(con) if t != "schema_migrations"]

            def copy_all() -> None:
                for table in tables:
                    con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM {_OLD}."{table}"')

            try:
                load_transaction(con, copy_all)
                copied = {
                    table: int(con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0])
                    for table in tables
                }
            finally:
                con.execute(f"DETACH {_OLD}")
            ensure_search_index(con, articles_changed=True)
    return copied
