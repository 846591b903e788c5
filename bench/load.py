"""Loading, measured: upsert rates into the lake through the real `load_batch` (Polars → Arrow →
DuckDB in one transaction, no row-by-row inserts): 1,000,000 `feed_observations` rows and 100,000
`articles`, first into an empty warehouse, then again over the same keys (every row conflicts);
beside each, the reference a load cannot beat: a plain INSERT of the same Arrow rows into empty
tables of a lake, in one transaction, in the same run.

Run by `python -m bench` (`--only load`), which prints its table and writes load.json. Target: ≥ 1,000,000 rows/s for the narrow table (`NARROW_TARGET_ROWS_PER_S`).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from bench.gate import batch
from transforms.schemas import TABLES
from warehouse.connection import connect
from warehouse.load import load_batch
from warehouse.runs import RunKind
from warehouse.transaction import transaction

NOW = datetime(2025, 10, 27, 10, 0, tzinfo=UTC)
NARROW_TARGET_ROWS_PER_S = 1_000_000


def observations(rows: int) -> pl.DataFrame:
    """`rows` feed observations: 40 positions per reading, one reading a minute."""
    return (
        pl.DataFrame({"n": pl.int_range(rows, eager=True)})
        .select(
            (pl.lit(NOW) + pl.duration(minutes=pl.col("n") // 40))
            .dt.cast_time_unit("us")
            .alias("observed_at"),
            pl.lit("https://global.espreso.tv/news").alias("page_url"),
            (pl.col("n") % 40).cast(pl.Int32).alias("position"),
            ("https://global.espreso.tv/article-" + (pl.col("n") % 5000).cast(pl.String)).alias(
                "url"
            ),
            pl.lit("espreso").alias("outlet"),
        )
        .cast(TABLES["feed_observations"])
    )


def empty_frames() -> dict[str, pl.DataFrame]:
    return {name: pl.DataFrame(schema=schema) for name, schema in TABLES.items()}


Opener = Callable[[Path], AbstractContextManager[duckdb.DuckDBPyConnection]]
"""Opens a warehouse read-write: `warehouse.connection.connect` (the lake) or another to compare."""


def timed_load(
    warehouse: Path, run: str, frames: dict[str, pl.DataFrame], opener: Opener = connect
) -> float:
    """Seconds `load_batch` takes to write `frames` as run `run` (the connection opened before)."""
    with opener(warehouse) as con:
        started = time.perf_counter()
        load_batch(
            con,
            run,
            frames,
            kind=RunKind.SYNTHETIC,
            started_at=NOW,
            finished_at=NOW + timedelta(seconds=1),
        )
        return time.perf_counter() - started


def timed_plain_insert(warehouse: Path, frames: dict[str, pl.DataFrame]) -> float:
    """Seconds a plain INSERT of each non-empty frame's Arrow rows (as `load_batch` hands them
    over) into an empty table of its own takes, all in one transaction on a new lake."""
    filled = {name: frame for name, frame in frames.items() if frame.height}
    with connect(warehouse) as con:
        for name, frame in filled.items():
            con.register(f"batch_{name}", frame.to_arrow())
            con.execute(f"CREATE TABLE plain_{name} AS SELECT * FROM batch_{name} LIMIT 0")
        started = time.perf_counter()
        with transaction(con):
            for name in filled:
                con.execute(f"INSERT INTO plain_{name} SELECT * FROM batch_{name}")
        return time.perf_counter() - started


def run(tiny: bool = False) -> dict[str, Any]:
    """Insert and all-conflict upsert rates: 1,000,000 feed observations and 100,000 articles
    (tiny: 10,000 and 200)."""
    folder = Path(tempfile.mkdtemp(prefix="newsflow-bench-load-"))
    figures = []
    narrow = observations(10_000 if tiny else 1_000_000)
    wide = batch(200 if tiny else 100_000)
    for table, frame_set, rows in (
        ("feed_observations", {**empty_frames(), "feed_observations": narrow}, narrow.height),
        (
            "articles (+ tags, related, pages)",
            {
                **wide,
                "fetch_log": empty_frames()["fetch_log"],
                "quarantine": empty_frames()["quarantine"],
            },
            wide["articles"].height,
        ),
    ):
        warehouse = folder / f"{table.split()[0]}.ducklake"
        plain = timed_plain_insert(folder / f"plain-{table.split()[0]}.ducklake", frame_set)
        first = timed_load(warehouse, "first", frame_set)
        again = timed_load(warehouse, "again", frame_set)
        figures.append(
            {
                "table": table,
                "rows": rows,
                "insert_rows_per_s": round(rows / first),
                "upsert_again_rows_per_s": round(rows / again),
                "plain_insert_rows_per_s": round(rows / plain),
                "ratio": round(plain / first, 2),
            }
        )
    return {"tables": figures}


def report(figures: dict[str, Any]) -> list[str]:
    """The bench's lines of the printed table."""
    lines = [
        f"{'table':<36} {'rows':>9} {'insert rows/s':>14} {'all-conflict upsert rows/s':>27} "
        f"{'plain INSERT rows/s':>20} {'load ÷ plain':>13}"
    ]
    lines += [
        f"{f['table']:<36} {f['rows']:>9} {f['insert_rows_per_s']:>14,} "
        f"{f['upsert_again_rows_per_s']:>27,} {f['plain_insert_rows_per_s']:>20,} {f['ratio']:>13.2f}"
        for f in figures["tables"]
    ]
    return lines
