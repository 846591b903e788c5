"""Migration 11: a fact drawn before it carries the outlet of the article it came from (Espreso's
when that article is gone); the official series has no outlet; on a DuckDB file and on the lake."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from tests.file_warehouse import file_warehouse_at
from transforms.schemas import FACT_TABLES
from warehouse.connection import connect
from warehouse.migrate import migrate, migrations

T0 = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
KI = "https://kyivindependent.com/a"
ES = "https://global.espreso.tv/b"
GONE = "https://global.espreso.tv/gone"


def _rows_before(con: duckdb.DuckDBPyConnection) -> None:
    """Two articles of two outlets, and facts drawn from them and from an article no longer kept."""
    for url, outlet in ((KI, "kyiv-independent"), (ES, "espreso")):
        con.execute(
            "INSERT INTO articles BY NAME SELECT ? AS url, ? AS source, 'a' AS slug, 'A' AS title, "
            "? AS published_at, true AS zone_stated, 'x' AS body_text, 1 AS word_count, "
            "'h' AS content_hash, ? AS first_seen_at, ? AS fetched_at, 'generic' AS reader, "
            "? AS outlet",
            [url, outlet, T0, T0, T0, outlet],
        )
    for url in (KI, ES, GONE):
        con.execute(
            "INSERT INTO loss_reports VALUES (?, ?, DATE '2025-10-27', 'personnel', 1000, "
            "'daily', NULL, ['title'], 'r', 's', NULL)",
            [url, T0],
        )
    con.execute(
        "INSERT INTO places VALUES (?, ['title'], 0, 'Kyiv', 'Kyiv', 'settlement', 'UA', "
        "703448, 50.45, 30.52, 'exact', 'r')",
        [KI],
    )
    con.execute(
        "INSERT INTO official_losses VALUES (DATE '2025-10-27', 'personnel', 1000, 10, 'gs', ?)",
        [T0],
    )


def _check(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("SELECT url, outlet FROM loss_reports ORDER BY url").fetchall() == [
        (ES, "espreso"),
        (GONE, "espreso"),
        (KI, "kyiv-independent"),
    ]
    assert con.execute("SELECT url, outlet FROM places").fetchall() == [(KI, "kyiv-independent")]
    for table in FACT_TABLES:
        columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        assert columns == FACT_TABLES[table].names(), table
    assert "outlet" not in [r[0] for r in con.execute("DESCRIBE official_losses").fetchall()]
    # A fact written after the migration without its outlet says so (NULL), never Espreso.
    con.execute(
        "INSERT INTO strike_events (url, stated_at, seq, place, place_text, event_date, fields, "
        "rule, sentence) VALUES (?, ?, 0, 'Kyiv', 'Kyiv', DATE '2025-10-27', ['title'], 'r', 's')",
        [KI, T0],
    )
    assert con.execute("SELECT outlet FROM strike_events").fetchall() == [(None,)]


def test_a_file_warehouse_at_10_moves_to_11(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with file_warehouse_at(path, 10) as con:
        _rows_before(con)
        assert migrate(con) == len(migrations())
        _check(con)


def test_a_lake_at_10_moves_to_11(tmp_path: Path) -> None:
    lake = tmp_path / "w.ducklake"
    with connect(lake) as con:  # a new lake, then set back to how migration 10 left it
        for table in FACT_TABLES:
            con.execute(f"ALTER TABLE {table} DROP COLUMN outlet")
        con.execute("DELETE FROM schema_migrations WHERE version = 11")
        _rows_before(con)
    with connect(lake) as con:
        assert con.execute("SELECT max(version) FROM schema_migrations").fetchall() == [
            (len(migrations()),)
        ]
        _check(con)
