"""`newsflow export` on a warehouse with every kind of table (the snapshot, the General Staff's
series and the facts drawn from the news), run as a person runs it: every table is written, the
files read back to the warehouse's rows, and only the owner can read them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from flows.news_facts import OfficialResult, facts, official_losses
from tests.snapshot import rows
from warehouse.connection import connect
from warehouse.lake import copy_lake

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.realdata

TABLES = [
    "article_related", "article_revisions", "article_tags", "articles", "backfill_progress",
    "backfill_queue", "combat_reports", "feed_items", "feed_observations", "fetch_log",
    "headline_sources", "load_runs", "loss_reports", "official_losses", "places", "prisoner_exchanges",
    "quarantine", "schema_migrations", "strike_events",
]  # fmt: skip


@pytest.fixture(scope="module")
def warehouse(
    snapshot_run: tuple[str, Path], realdata: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A copy of the snapshot's warehouse with the official series and the facts loaded."""
    path = tmp_path_factory.mktemp("export") / "newsflow.duckdb"
    copy_lake(snapshot_run[1], path)
    loaded = official_losses(warehouse=str(path), offline=True)
    assert isinstance(loaded, OfficialResult)
    assert loaded.rows == 22248
    assert facts(warehouse=str(path)) == {
        "loss_reports": 0,
        "strike_events": 2,
        "combat_reports": 2,
        "prisoner_exchanges": 0,
        "places": 21,
        "quarantined": 0,
    }
    return path


def _export(warehouse: Path, out: Path) -> list[str]:
    done = subprocess.run(
        [BIN / "newsflow", "export", str(out), "--warehouse", str(warehouse)],
        env={**os.environ, "PREFECT_HOME": str(out.parent / "prefect")},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.splitlines()


def test_every_table_is_exported_and_reads_back_whole(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    lines = _export(warehouse, out)
    counts = {
        table: n for table in TABLES for (n,) in rows(warehouse, f"SELECT count(*) FROM {table}")
    }
    assert (counts["articles"], counts["official_losses"], counts["quarantine"]) == (21, 22248, 0)
    assert (counts["strike_events"], counts["places"], counts["backfill_queue"]) == (2, 21, 0)
    # Every table of the warehouse, no more: the list the export reads is the lake's own, but the
    # one row every load bumps to take its turn (bookkeeping, no data).
    assert rows(
        warehouse,
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'newsflow' "
        "AND schema_name = 'main' ORDER BY 1",
    ) == [(t,) for t in sorted([*TABLES, "load_turn"])]
    assert sorted(p.name for p in out.iterdir()) == TABLES
    assert lines[TABLES.index("articles")] == (
        f"articles                21 rows → {out}/articles/kyiv_date=YYYY-MM-DD/*.parquet "
        "(6 Kyiv dates of published_at)"
    )
    assert lines[TABLES.index("official_losses")] == (
        f"official_losses      22248 rows → {out}/official_losses/data_0.parquet "
        "(one file: a daily series; its day column dates each row)"
    )
    assert lines[TABLES.index("quarantine")] == (
        f"quarantine               0 rows → {out}/quarantine/data_0.parquet (one file: empty)"
    )
    assert lines[TABLES.index("places")] == (
        f"places                  21 rows → {out}/places/kyiv_date=YYYY-MM-DD/*.parquet "
        "(4 Kyiv dates of its article's published_at)"
    )
    assert lines[TABLES.index("combat_reports")] == (
        f"combat_reports           2 rows → {out}/combat_reports/kyiv_date=YYYY-MM-DD/*.parquet "
        "(1 Kyiv date of stated_at)"
    )
    assert [line.split()[0] for line in lines[:-1]] == TABLES
    assert lines[-1] == (
        f"19 tables, {sum(counts.values())} rows, in {out}; left out: the search index "
        f"{warehouse}.search.duckdb, a file beside the lake that the runs loading articles "
        "(run, backfill, reparse) rebuild: after adding articles, and whenever it is missing"
    )
    for table in TABLES:
        frame = pl.read_parquet(out / table / "**" / "*.parquet", hive_partitioning=True)
        assert frame.height == counts[table], table
    with connect(warehouse, read_only=True) as con:
        for table in TABLES:
            exported = f"read_parquet('{out}/{table}/**/*.parquet', hive_partitioning = true)"
            columns = ", ".join(
                f'"{c}"' for (c,) in con.execute(
                    f"SELECT column_name FROM duckdb_columns() WHERE table_name = '{table}' "
                    "ORDER BY column_index"
                ).fetchall()
            )  # fmt: skip
            differ = con.execute(
                f"SELECT count(*) FROM ((SELECT {columns} FROM {table} EXCEPT ALL "
                f"SELECT {columns} FROM {exported}) UNION ALL (SELECT {columns} FROM {exported} "
                f"EXCEPT ALL SELECT {columns} FROM {table}))"
            ).fetchone()
            assert differ == (0,), table
        day = con.execute(
            f"SELECT count(*) FROM read_parquet('{out}/fetch_log/*/*.parquet', "
            "hive_partitioning = true) WHERE kyiv_date = CAST(timezone('Europe/Kyiv', "
            "requested_at) AS DATE)"
        ).fetchone()
    assert day == (counts["fetch_log"],)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for path in out.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


def test_an_export_replaces_the_one_before(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    stale = out / "articles" / "kyiv_date=2001-01-01"
    stale.mkdir(parents=True)
    (stale / "data_0.parquet").write_bytes(b"old")
    _export(warehouse, out)
    _export(warehouse, out)
    assert not stale.exists()
    assert pl.read_parquet(out / "articles" / "**" / "*.parquet").height == 21
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
