"""Versioned migrations: the SQL files of `warehouse/migrations`, applied in order, each once,
each in its own transaction; then the analysts' views. A DuckDB-file warehouse (the format before
the lake, kept for `migrate-warehouse`) gets them all (`migrate`); the lake starts at a baseline
derived from them, without keys (`migrate_lake`)."""

from __future__ import annotations

from importlib import resources

import duckdb

from warehouse.transaction import CommitConflict, retried, transaction


def migrations() -> list[tuple[int, str]]:
    """(version, SQL) of every migration shipped in `warehouse/migrations`, in order."""
    folder = resources.files("warehouse") / "migrations"
    found = [
        (int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    ]
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the migrations not yet applied, each in its own transaction; return the version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    for version, sql in migrations():
        if version in applied:
            continue
        with transaction(con):
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version) VALUES (?)", [version])
    con.execute(views_sql())
    return max((v for v, _ in migrations()), default=0)


def views_sql() -> str:
    """`warehouse/views.sql`: the analysts' views, recreated on every read-write open."""
    return (resources.files("warehouse") / "views.sql").read_text(encoding="utf-8")


# The lake starts at the schema the file migrations up to this one built, without the keys
# DuckLake cannot hold (they stay in `transforms.schemas.KEYS`, checked by `integrity_problems`).
# A later migration file is applied to the lake as it is, so it must declare no key.
LAKE_BASELINE = 8
LAKE_ONLY = (
    # Every load first bumps this one row: two loads at once then conflict at commit, and the
    # later one is retried, instead of both merging the same key (see warehouse.transaction).
    "CREATE TABLE load_turn (n BIGINT NOT NULL);\n"
    "INSERT INTO load_turn VALUES (0);\n"
    "COMMENT ON TABLE load_turn IS 'One row, bumped by every load: concurrent loads take turns.';\n"
)
"""What the lake holds beyond the file migrations' schema (a DuckDB file given it takes the same
`load_batch`, as the bench's file warehouse does)."""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def lake_baseline_sql() -> str:
    """The lake's schema at `LAKE_BASELINE`: the tables, columns, NOT NULLs and comments the file
    migrations build (applied in memory), with no key; then the lake's own `load_turn`."""
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        for version, sql in migrations():
            if version <= LAKE_BASELINE:
                con.execute(sql)
        tables = con.execute(
            "SELECT table_name, comment FROM duckdb_tables() ORDER BY table_oid"
        ).fetchall()
        parts = []
        for table, comment in tables:
            columns = con.execute(
                "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
                "WHERE table_name = ? ORDER BY column_index",
                [table],
            ).fetchall()
            body = ",\n".join(
                f"    {name} {kind}{'' if nullable else ' NOT NULL'}"
                for name, kind, nullable, _ in columns
            )
            parts.append(f"CREATE TABLE {table} (\n{body}\n);\n")
            if comment:
                parts.append(f"COMMENT ON TABLE {table} IS {_literal(comment)};\n")
            parts.extend(
                f"COMMENT ON COLUMN {table}.{name} IS {_literal(said)};\n"
                for name, _, _, said in columns
                if said
            )
    return "".join(parts) + LAKE_ONLY


def migrate_lake(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the lake attached to `con` to the last migration (the baseline in one transaction
    on a new lake, then each later file in its own), recreate the views; return the version.
    Machines sharing a catalog may migrate it at once: the one whose commit loses starts over
    and finds the work done."""
    version, _ = retried(lambda: _migrate_lake_once(con), _lost_migration_race)
    return version


def _lost_migration_race(error: Exception) -> bool:
    """Another machine's migration committed between our look and our write."""
    if isinstance(error, duckdb.CatalogException):
        return "already exists" in str(error)
    return isinstance(error, CommitConflict | duckdb.TransactionException)


def _migrate_lake_once(con: duckdb.DuckDBPyConnection) -> int:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    if not applied:
        with transaction(con):
            con.execute(lake_baseline_sql())
            con.execute(
                "INSERT INTO schema_migrations SELECT v, now() FROM range(1, ? + 1) AS r(v)",
                [LAKE_BASELINE],
            )
        applied = set(range(1, LAKE_BASELINE + 1))
    for version, sql in migrations():
        if version in applied:
            continue
        with transaction(con):
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, now())", [version])
    _refresh_views(con)
    return max((v for v, _ in migrations()), default=0)


def _view_definitions(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str | None]]:
    return [
        (str(name), str(sql), comment)
        for name, sql, comment in con.execute(
            "SELECT view_name, sql, comment FROM duckdb_views() "
            "WHERE database_name = current_database() AND NOT internal ORDER BY view_name"
        ).fetchall()
    ]


def _refresh_views(con: duckdb.DuckDBPyConnection) -> None:
    """Recreate the views in one transaction, committed only when they changed: a lake keeps a
    snapshot per commit, and opening the warehouse should not add one."""
    before = _view_definitions(con)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(views_sql())
        changed = _view_definitions(con) != before
    except BaseException:
        con.execute("ROLLBACK")
        raise
    try:
        con.execute("COMMIT" if changed else "ROLLBACK")
    except duckdb.TransactionException as error:
        raise CommitConflict(str(error)) from error
