"""Migration 10: rows written before it are Espreso's, read by its reader, with a zone; the
General Staff's requests belong to no outlet; a row written after it without an outlet says so."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from tests.file_warehouse import file_warehouse_at
from warehouse.connection import connect
from warehouse.convert import migrate_warehouse
from warehouse.migrate import migrate, migrations

T0 = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
SITE = "https://global.espreso.tv"


def _old_rows(path: Path) -> None:
    con = file_warehouse_at(path, 9)
    con.execute(
        "INSERT INTO articles VALUES (?, 'espreso-global', 'a', NULL, NULL, 'A', NULL, 'Olena', "
        "NULL, ?, NULL, 'x', 1, NULL, 'en', 'h', ?, ?)",
        [f"{SITE}/a", T0, T0, T0],
    )
    con.execute(f"INSERT INTO article_tags VALUES ('{SITE}/a', 0, 'News', NULL)")
    con.execute(f"INSERT INTO feed_observations VALUES (?, '{SITE}/news', 0, '{SITE}/a')", [T0])
    for kind, url in (("article", f"{SITE}/a"), ("official", "https://data.example/losses.json")):
        con.execute(
            "INSERT INTO fetch_log (run_id, url, kind, requested_at, status, bytes, elapsed_ms, "
            "attempts) VALUES ('run-1', ?, ?, ?, 200, 10, 5, 1)",
            [url, kind, T0],
        )
    con.close()


def test_old_rows_are_espresos_and_a_page_without_a_zone_can_load_after(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    _old_rows(path)
    migrate_warehouse(path, tmp_path / "w.ducklake")
    with connect(tmp_path / "w.ducklake") as con:
        _check(con)
    with duckdb.connect(str(path)) as con:
        con.execute("SET TimeZone = 'UTC'")
        assert migrate(con) == len(migrations())
        _check(con)


def _check(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute(
        "SELECT outlet, reader, authors, published_local, zone_stated FROM articles"
    ).fetchall() == [("espreso", "espreso", None, None, True)]
    assert con.execute("SELECT outlet FROM article_tags").fetchall() == [("espreso",)]
    assert con.execute("SELECT outlet FROM feed_observations").fetchall() == [("espreso",)]
    assert con.execute("SELECT kind, outlet FROM fetch_log ORDER BY kind").fetchall() == [
        ("article", "espreso"),
        ("official", None),
    ]
    con.execute(
        "INSERT INTO fetch_log (run_id, url, kind, requested_at, status, bytes, "
        "elapsed_ms, attempts) VALUES ('run-2', 'u', 'official', ?, 200, 1, 1, 1)",
        [T0],
    )
    assert con.execute("SELECT outlet FROM fetch_log WHERE run_id = 'run-2'").fetchall() == [
        (None,)
    ]
    con.execute(
        "INSERT INTO articles BY NAME SELECT 'https://kyivindependent.com/b' AS url, "
        "'kyiv-independent' AS source, 'b' AS slug, 'B' AS title, NULL AS published_at, "
        "TIMESTAMP '2025-10-27 11:00' AS published_local, false AS zone_stated, 'x' AS body_text, "
        "1 AS word_count, 'h' AS content_hash, now() AS first_seen_at, now() AS fetched_at, "
        "'generic' AS reader, 'kyiv-independent' AS outlet"
    )
    assert con.execute(
        "SELECT published_at, published_local, zone_stated FROM articles WHERE slug = 'b'"
    ).fetchall() == [(None, datetime(2025, 10, 27, 11, 0), False)]
