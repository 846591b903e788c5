"""Rebuilding a warehouse beside the one in use, then swapping it in atomically: the old file stays
until the new one is complete and checked (`reparse` builds from the raw archive this way)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from warehouse.connection import connect
from warehouse.integrity import integrity_problems

# What the raw archive cannot give back: the official series (replaced whole by its own flow), a
# backfill's progress, and the `load_runs` rows of loads that made no request (the official series
# from the bundled copy). They are copied from the warehouse being replaced.
CARRIED_OVER = ("official_losses", "backfill_progress", "backfill_queue")
_LOADS_WITHOUT_REQUESTS = (
    "INSERT INTO load_runs BY NAME SELECT * FROM {alias}.load_runs WHERE run_id NOT IN (SELECT run_id FROM {alias}.fetch_log) "
    "AND run_id NOT IN (SELECT run_id FROM load_runs)"
)
# A target still at migration 6 has no `load_runs.kind`: its carried rows get the kind migration 7
# gives such rows (they made no request).
_KINDS_OF_OLD_LOADS = (
    "UPDATE load_runs SET kind = legacy_run_kind(run_id, false) WHERE kind IS NULL"
)


def scratch_path(target: Path) -> Path:
    """Where the new warehouse is built: beside the target, so the swap is a rename."""
    return target.with_name(f"{target.name}.rebuild")


def _companions(path: Path) -> list[Path]:
    return [path, Path(f"{path}.wal"), Path(f"{path}.lock")]


def discard(path: Path) -> None:
    """Remove a scratch warehouse and its WAL and lock files (what a stopped rebuild left)."""
    for file in _companions(path):
        file.unlink(missing_ok=True)


def carry_over(scratch: Path, target: Path) -> dict[str, int]:
    """Copy `CARRIED_OVER` from the target (when it exists) into the scratch warehouse; rows per
    table. The caller holds the target's lock. The target is only read, never migrated (a failed
    rebuild leaves it byte for byte): a table it does not have yet is left empty, and columns are
    matched by name."""
    copied: dict[str, int] = {}
    if not target.exists():
        return copied
    with connect(scratch) as con:
        # DuckDB names a database after its file's stem: the target's name must differ from it.
        alias = (
            "replaced"
            if con.execute("SELECT current_database()").fetchone() != ("replaced",)
            else "replaced_target"
        )
        quoted = str(target).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS {alias} (READ_ONLY)")
        try:
            present = {
                row[0]
                for row in con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [alias]
                ).fetchall()
            }
            for table in (t for t in CARRIED_OVER if t in present):
                con.execute(f"DELETE FROM {table}")
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {alias}.{table}")
                found = con.execute(f"SELECT count(*) FROM {table}").fetchone()
                copied[table] = int(found[0]) if found else 0
            con.execute(_LOADS_WITHOUT_REQUESTS.format(alias=alias))
            con.execute(_KINDS_OF_OLD_LOADS)
        finally:
            con.execute(f"DETACH {alias}")
    return copied


def rebuild_problems(scratch: Path) -> list[str]:
    """Why the scratch warehouse must not replace the target ([] when it is sound)."""
    try:
        with connect(scratch, read_only=True) as con:
            return integrity_problems(con)
    except duckdb.Error as error:
        return [f"the rebuilt warehouse cannot be opened: {error}"]


def swap_in(scratch: Path, target: Path) -> None:
    """Replace the target by the scratch warehouse in one rename. The caller holds the target's
    lock, so no connection is open on it. The scratch file is checkpointed first (all of it in the
    file, no WAL), and a WAL the old file left behind goes before the rename: replayed onto the
    new file it would corrupt it."""
    with connect(scratch) as con:
        con.execute("CHECKPOINT")
    Path(f"{target}.wal").unlink(missing_ok=True)
    os.replace(scratch, target)
    discard(scratch)
