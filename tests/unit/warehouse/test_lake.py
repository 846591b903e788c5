"""The lake: migration from a DuckDB file equal table by table, time travel to an earlier load,
readers beside a writer, concurrent loads taking turns (a conflict retried), owner-only files."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from tests.unit.warehouse.test_load import T0, T1, _frames
from warehouse.catalog import data_path
from warehouse.connection import connect
from warehouse.convert import migrate_warehouse
from warehouse.export import warehouse_tables
from warehouse.history import counts_as_of
from warehouse.lake import attach_sql
from warehouse.load import load_batch
from warehouse.migrate import migrate
from warehouse.runs import RunKind
from warehouse.transaction import load_transaction


def test_a_duckdb_file_warehouse_becomes_an_equal_lake(
    warehouse_at_6: Path, tmp_path: Path
) -> None:
    before = warehouse_at_6.read_bytes()
    lake = tmp_path / "moved.ducklake"
    copied = migrate_warehouse(warehouse_at_6, lake)
    assert warehouse_at_6.read_bytes() == before  # only read
    reference = tmp_path / "reference.duckdb"
    reference.write_bytes(before)
    with duckdb.connect(str(reference)) as old:
        old.execute("SET TimeZone = 'UTC'")
        migrate(old)
        expected = {
            t: old.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall()
            for (t,) in old.execute("SELECT table_name FROM duckdb_tables()").fetchall()
            if t != "schema_migrations"
        }
    with connect(lake, read_only=True) as con:
        assert sorted(warehouse_tables(con)) == sorted([*expected, "schema_migrations"])
        for table, table_rows in expected.items():
            assert con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall() == table_rows
    assert copied["load_runs"] == 7 and copied["fetch_log"] == 5


def test_counts_at_the_first_loads_time_are_the_first_loads_counts(tmp_path: Path) -> None:
    path = tmp_path / "w.ducklake"
    with connect(path) as con:
        load_batch(
            con,
            "run-1",
            _frames("One", T0, ["A", "B", "C"]),
            kind=RunKind.CRAWL,
            started_at=T0,
            finished_at=T0,
        )
        first = {
            t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0]
            for t in warehouse_tables(con)
        }
        first_loaded = datetime.now(UTC)
        second_frames = _frames("Two", T1, ["A"])
        second_frames["articles"] = pl.concat(
            [
                second_frames["articles"],
                _frames("Other", T1, [])["articles"].with_columns(
                    pl.lit("https://global.espreso.tv/other").alias("url")
                ),
            ]
        )
        load_batch(con, "run-2", second_frames, kind=RunKind.CRAWL, started_at=T1, finished_at=T1)
        now = counts_as_of(con, at=datetime.now(UTC))
        at_first = counts_as_of(con, at=first_loaded)
    assert (first["articles"], first["article_tags"], first["load_runs"]) == (1, 3, 1)
    assert (now["articles"], now["article_tags"], now["load_runs"]) == (2, 1, 2)
    assert at_first == first


def test_a_reader_beside_a_writer_and_a_conflict_retried(tmp_path: Path) -> None:
    path = tmp_path / "w.ducklake"
    with connect(path) as writer:
        reader = duckdb.connect()
        reader.execute(attach_sql(path))
        other = duckdb.connect()
        other.execute(attach_sql(path, read_only=False))
        writer.execute("BEGIN TRANSACTION")
        writer.execute("UPDATE load_turn SET n = n + 1")
        writer.execute(
            "INSERT INTO load_runs VALUES ('a', now(), now(), 0, 0, 0, 'loaded', 'crawl', 0, NULL, NULL)"
        )
        assert reader.execute("SELECT count(*) FROM load_runs").fetchall() == [(0,)]
        # Another writer commits a load meanwhile: this one's commit then conflicts.
        load_transaction(
            other,
            lambda: other.execute(
                "INSERT INTO load_runs VALUES ('b', now(), now(), 0, 0, 0, 'loaded', 'crawl', 0, NULL, NULL)"
            ),
        )
        writer.execute("ROLLBACK")
        calls: list[int] = []

        def write() -> None:
            calls.append(1)
            if len(calls) == 1:  # the other writer slips in before this one commits
                load_transaction(
                    other,
                    lambda: other.execute(
                        "INSERT INTO load_runs VALUES ('c', now(), now(), 0, 0, 0, 'loaded', 'crawl', 0, NULL, NULL)"
                    ),
                )
            writer.execute(
                "INSERT INTO load_runs VALUES ('a', now(), now(), 0, 0, 0, 'loaded', 'crawl', 0, NULL, NULL)"
            )

        assert load_transaction(writer, write) == 1
        assert reader.execute("SELECT run_id FROM load_runs ORDER BY 1").fetchall() == [
            ("a",),
            ("b",),
            ("c",),
        ]
        assert reader.execute("SELECT n FROM load_turn").fetchall() == [(3,)]
        reader.close()
        other.close()
    for file in (path, *data_path(path).rglob("*")):
        assert stat.S_IMODE(file.stat().st_mode) in (0o600, 0o700), file
