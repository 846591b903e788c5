"""Versioned migrations: the SQL files of `warehouse/migrations`, applied in order, each once,
each in its own transaction; then the analysts' views."""

from __future__ import annotations

from importlib import resources

import duckdb

from warehouse.transaction import transaction


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
