"""Rebuilding a warehouse beside the one in use, then swapping it in atomically: a temporary lake
is built and checked, then every table of the live lake is replaced from it in one transaction, so
readers see the old rows or the new, never half, and time travel keeps the old state (`reparse`
builds from the raw archive this way); a new warehouse is the temporary lake itself, moved into
place. A failed rebuild leaves the live lake as it was."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

from warehouse.catalog import data_path, file_kind
from warehouse.connection import connect, lake_files
from warehouse.export import warehouse_tables
from warehouse.facts import LAST_FACTS_LOAD
from warehouse.integrity import integrity_problems
from warehouse.lake import LAKE, attach_lake, move_lake, search_index_path
from warehouse.migrate import migrations
from warehouse.search import build_search_index, ensure_search_index, move_search_index
from warehouse.transaction import load_transaction

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


_RUN_OF_LAST_FACTS_LOAD = f"SELECT run_id FROM ({LAST_FACTS_LOAD})"


def scratch_path(target: Path) -> Path:
    """Where the new warehouse is built: beside the target (a new target's swap is a rename)."""
    return target.with_name(f"{target.name}.rebuild")


def _legacy_kind_macro() -> str:
    # Migration 7's macro, as a temporary one: a DuckDB-file target at migration 6 has none.
    sql = dict(migrations())[7]
    found = re.search(r"CREATE MACRO legacy_run_kind.*?END;", sql, re.DOTALL)
    assert found, "migration 7 defines legacy_run_kind"
    return found.group(0).replace("CREATE MACRO", "CREATE OR REPLACE TEMP MACRO", 1)


def discard(path: Path) -> None:
    """Remove a scratch lake: its catalog, data folder, lock, spill folder and search index
    (what a stopped rebuild left)."""
    for file in (
        *lake_files(path),
        Path(f"{path}.lock"),
        search_index_path(path),
        built_index_path(path),
    ):
        file.unlink(missing_ok=True)
    for folder in (data_path(path), Path(f"{path}.tmp")):
        shutil.rmtree(folder, ignore_errors=True)


def carry_over(scratch: Path, target: Path) -> dict[str, int]:
    """Copy `CARRIED_OVER` from the target (when it exists) into the scratch warehouse; rows per
    table. The caller holds the target's lock. The target is only read, never migrated (a failed
    rebuild leaves it byte for byte): a table it does not have yet is left empty, and columns are
    matched by name."""
    copied: dict[str, int] = {}
    kind = file_kind(target)
    if kind == "empty":
        return copied
    with connect(scratch) as con:
        # DuckDB names a database after its file's stem: the target's name must differ from it.
        alias = (
            "replaced"
            if con.execute("SELECT current_database()").fetchone() != ("replaced",)
            else "replaced_target"
        )
        if kind == "duckdb":  # a warehouse from before the lake, at any migration level
            quoted = str(target).replace("'", "''")
            con.execute(f"ATTACH '{quoted}' AS {alias} (READ_ONLY)")
            con.execute(_legacy_kind_macro())
        else:
            attach_lake(con, target, alias, read_only=True)
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
            if kind == "duckdb":
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


def index_scratch(scratch: Path) -> Path:
    """The scratch lake's search index, built from its articles (at `built_index_path`):
    once no more articles are loaded into it, the index `swap_in` may move in for the target.
    Only reads the lake, so the rebuild's other steps may write it meanwhile."""
    with connect(scratch, read_only=True) as con:
        built = built_index_path(scratch)
        build_search_index(con, built)
    return built


def built_index_path(scratch: Path) -> Path:
    """Where `index_scratch` builds: not the scratch lake's own index path, which every
    connection to it attaches (DuckDB refuses to attach a file another connection of the process
    is still writing)."""
    return scratch.with_name(f"{scratch.name}.search-built.duckdb")


def swap_in(scratch: Path, target: Path, search_index: Path | None = None) -> None:
    """Replace every table of the target lake by the scratch lake's, in one transaction (the
    caller holds the target's lock); then give the target its search index (`search_index`, one
    built from the scratch lake's articles as they are now, see `index_scratch`, moved in; else
    built anew) and remove the scratch lake. A target that is a DuckDB file from before the lake
    is refused, unchanged. Where the target has no lake yet, there is nothing to replace: the
    scratch lake is moved into its place (`move_lake`), its snapshots with it, unless a session
    still has it open."""
    if file_kind(target) == "duckdb":
        raise ValueError(f"{target} is a DuckDB-file warehouse: migrate-warehouse it first")
    new = file_kind(target) == "empty" and not data_path(target).exists()
    if new and move_lake(scratch, target):
        with connect(target, lock_held=True) as con:
            _give_index(con, search_index)
        discard(scratch)
        return
    with connect(target, lock_held=True) as con:
        attach_lake(con, scratch, "rebuilt", read_only=True)
        tables = warehouse_tables(con)

        def replace_all() -> None:
            found = con.execute(f"SELECT id FROM {LAKE}.current_snapshot()").fetchone()
            assert found is not None, "a lake always has a snapshot"
            for table in tables:
                if table == "schema_migrations":
                    continue
                con.execute(f'DELETE FROM "{table}"')
                con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM rebuilt."{table}"')
            # The rebuild's facts were drawn from the rebuilt articles, which this commit makes
            # the target's: they are drawn from its snapshot, the next one. (A commit that takes
            # that number first either conflicts with this one, which then runs again, or leaves
            # this one after it, and then every article counts as changed since: never too few.)
            con.execute(
                f"UPDATE load_runs SET drawn_from = ? WHERE run_id = ({_RUN_OF_LAST_FACTS_LOAD})",
                [int(found[0]) + 1],
            )

        try:
            load_transaction(con, replace_all)
        finally:
            con.execute("DETACH rebuilt")
        _give_index(con, search_index)
    discard(scratch)


def _give_index(con: duckdb.DuckDBPyConnection, built: Path | None) -> None:
    """The swapped-in lake's search index: `built` moved in, else one built now."""
    if built is not None:
        move_search_index(con, built)
    else:
        ensure_search_index(con, articles_changed=True)
