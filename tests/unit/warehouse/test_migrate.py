"""Migrations: applied in order, each once; the schema they build is the contract; a warehouse
made before migration 7 moves forward with the kind of each of its loads."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb
import pytest

from transforms.schemas import TABLES
from warehouse.connection import connect
from warehouse.convert import migrate_warehouse
from warehouse.integrity import integrity_problems
from warehouse.migrate import migrate, migrations

CONTRACT = {
    "articles": [
        ("url", "VARCHAR", "NO"), ("source", "VARCHAR", "NO"), ("slug", "VARCHAR", "NO"),
        ("section", "VARCHAR", "YES"), ("badge", "VARCHAR", "YES"), ("title", "VARCHAR", "NO"),
        ("lead", "VARCHAR", "YES"), ("author", "VARCHAR", "YES"), ("author_url", "VARCHAR", "YES"),
        ("published_at", "TIMESTAMP WITH TIME ZONE", "YES"), ("modified_at", "TIMESTAMP WITH TIME ZONE", "YES"),
        ("body_text", "VARCHAR", "NO"), ("word_count", "INTEGER", "NO"), ("image_url", "VARCHAR", "YES"),
        ("language", "VARCHAR", "YES"), ("content_hash", "VARCHAR", "NO"),
        ("first_seen_at", "TIMESTAMP WITH TIME ZONE", "NO"), ("fetched_at", "TIMESTAMP WITH TIME ZONE", "NO"),
        ("authors", "VARCHAR[]", "YES"), ("published_local", "TIMESTAMP", "YES"), ("zone_stated", "BOOLEAN", "YES"),
        ("reader", "VARCHAR", "YES"), ("outlet", "VARCHAR", "YES"),
    ],
    "article_tags": [("url", "VARCHAR", "NO"), ("position", "INTEGER", "NO"), ("tag", "VARCHAR", "NO"), ("tag_url", "VARCHAR", "YES"), ("outlet", "VARCHAR", "YES")],
    "article_related": [("url", "VARCHAR", "NO"), ("position", "INTEGER", "NO"), ("related_url", "VARCHAR", "NO"), ("related_title", "VARCHAR", "YES"), ("outlet", "VARCHAR", "YES")],
    "feed_items": [
        ("url", "VARCHAR", "NO"), ("title", "VARCHAR", "NO"), ("subtitle", "VARCHAR", "YES"), ("badge", "VARCHAR", "YES"),
        ("published_at", "TIMESTAMP WITH TIME ZONE", "YES"), ("first_seen_at", "TIMESTAMP WITH TIME ZONE", "NO"),
        ("last_seen_at", "TIMESTAMP WITH TIME ZONE", "NO"), ("outlet", "VARCHAR", "YES"),
    ],
    "feed_observations": [
        ("observed_at", "TIMESTAMP WITH TIME ZONE", "NO"), ("page_url", "VARCHAR", "NO"),
        ("position", "INTEGER", "NO"), ("url", "VARCHAR", "NO"), ("outlet", "VARCHAR", "YES"),
    ],
}  # fmt: skip


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str]]:
    return [(r[0], r[1], r[2]) for r in con.execute(f"DESCRIBE {table}").fetchall()]


def test_schema_is_the_contract(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        for table, columns in CONTRACT.items():
            assert _columns(con, table) == columns
        assert [r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()] == [
            v for v, _ in migrations()
        ]


def test_frames_match_table_columns(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        for table, schema in TABLES.items():
            assert [c[0] for c in _columns(con, table)] == schema.names()


def test_migrations_are_numbered_one_to_n_in_order() -> None:
    assert [version for version, _ in migrations()] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    names = sorted(
        entry.name
        for entry in (resources.files("warehouse") / "migrations").iterdir()
        if entry.name.endswith(".sql")
    )
    assert names[0] == "001_init.sql"
    assert names[-1] == "013_facts_drawn_from.sql"
    assert migrations()[-1][1] == (
        resources.files("warehouse") / "migrations" / names[-1]
    ).read_text(encoding="utf-8")


def test_migrate_applies_each_version_once(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert migrate(con) == 13
        assert migrate(con) == 13
        assert con.execute(
            "SELECT count(*), count(DISTINCT version), min(version), max(version) FROM schema_migrations"
        ).fetchall() == [(13, 13, 1, 13)]


def test_a_failing_migration_leaves_no_trace(warehouse_at_6: Path) -> None:
    """Each migration is one transaction: one that fails half-way is not recorded, and the
    statements before the failing one are undone."""
    with duckdb.connect(str(warehouse_at_6)) as con:
        # Migration 7 creates its macro, adds `load_runs.kind`, then reads fetch_log: gone, it fails.
        con.execute("DROP TABLE fetch_log")
        with pytest.raises(duckdb.CatalogException, match="fetch_log"):
            migrate(con)
        assert con.execute("SELECT max(version) FROM schema_migrations").fetchall() == [(6,)]
        assert "kind" not in [c for c, *_ in _columns(con, "load_runs")]
        assert con.execute(
            "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'legacy_run_kind'"
        ).fetchall() == [(0,)]


def test_a_warehouse_at_migration_6_moves_forward_with_the_kind_of_each_load(
    warehouse_at_6: Path,
) -> None:
    path = warehouse_at_6
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT max(version) FROM schema_migrations").fetchall() == [(6,)]
    lake = path.with_name("moved.ducklake")
    migrate_warehouse(path, lake)
    with connect(lake) as con:
        assert con.execute("SELECT max(version) FROM schema_migrations").fetchall() == [(13,)]
        assert con.execute("SELECT run_id, kind FROM load_runs ORDER BY run_id").fetchall() == [
            ("20251027T090000-ab12", "crawl"),
            ("20251027T094000-cd34", "crawl"),
            ("bench-000001", "crawl"),
            ("bench-fill", "synthetic"),
            ("facts-20251027T091000000000", "facts"),
            ("official-20251027T092000000000", "official"),
            ("official-20251027T093000000000", "official"),
        ]
        assert integrity_problems(con) == []
        # The rule now reads the kind: a crawl without its requests is found, whatever its name.
        con.execute("DELETE FROM fetch_log WHERE run_id = 'bench-000001'")
        assert integrity_problems(con) == ["1 runs without their requests"]
