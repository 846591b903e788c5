"""Loading, measured: upsert rates into DuckDB through the real `load_batch` (Polars → Arrow →
DuckDB in one transaction, no row-by-row inserts): 1,000,000 `feed_observations` rows and 100,000
`articles`, first into an empty warehouse, then again over the same keys (every row conflicts).

Run by `python -m bench` (`--only load`), which prints its table and writes load.json. Target: ≥ 1,000,000 rows/s for the narrow table.
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

NOW = datetime(2025, 10, 27, 10, 0, tzinfo=UTC)


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
        first = timed_load(warehouse, "first", frame_set)
        again = timed_load(warehouse, "again", frame_set)
        figures.append(
            {
                "table": table,
                "rows": rows,
                "insert_rows_per_s": round(rows / first),
                "upsert_again_rows_per_s": round(rows / again),
            }
        )
    return {"tables": figures}


def report(figures: dict[str, Any]) -> list[str]:
    """The bench's lines of the printed table."""
    lines = [f"{'table':<36} {'rows':>9} {'insert rows/s':>14} {'all-conflict upsert rows/s':>27}"]
    lines += [
        f"{f['table']:<36} {f['rows']:>9} {f['insert_rows_per_s']:>14,} {f['upsert_again_rows_per_s']:>27,}"
        for f in figures["tables"]
    ]
    return lines
