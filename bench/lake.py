"""The DuckLake warehouse against a plain DuckDB file, in the same run (so the ratios hold on a busy
machine): 100,000 articles (with their tags, links, pages and feed rows) loaded into each, three
small ingest-shaped runs on top, the analyst queries (`warehouse/queries/*.sql`) on both, and the
lake's search latency and index rebuild time.

The lake is loaded the product's way (`warehouse.load.load_batch` through
`warehouse.connection.connect`); the file is built by the file migrations (`warehouse.migrate.migrate`)
plus the lake's one-row `load_turn`, so the very same `load_batch` SQL loads it (keys enforced there
by DuckDB's PRIMARY KEYs, in the lake by the MERGEs alone).

Targets, and why:
- lake load rate ≥ 0.5× the file's: the lake writes Parquet and a catalog instead of one file; half
  the speed still loads a year of the site (well under 100,000 articles) in seconds, and a backfill
  or reparse stays bounded by parsing, not loading.
- a small run on the lake ≤ 2 s: `serve` loads every 10 minutes; opening the lake, loading about 20
  articles and 100 feed observations into 100,000 must stay a small part of a run whose fetching
  takes tens of seconds (the index refresh after it is measured apart, as the rebuild).
- analyst queries on the lake ≤ 3× the file: they answer in milliseconds on the file; three times
  that is still interactive, the price of reading while the scheduler writes.
- search median < 0.2 s at 100,000 articles: a search typed at the CLI answers at once.
- index rebuild < 30 s at 100,000 articles: every run that loads articles rebuilds it (a new file,
  swapped in), so it must stay well inside the 10-minute interval.
- the facts after a small run ≤ 2 s at 100,000 articles (as the small run's load): a run that loads
  articles draws the facts again; drawing those of the 20 articles it changed (reading them, the
  rules, loading the rows; the facts gate is the gate bench's) must not grow with the warehouse
  the way drawing every article's does (measured beside it: about a minute at 100,000).

Run by `python -m bench` (`--only lake`), which prints its table and writes lake.json.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from bench.gate import NOW, batch
from bench.load import Opener, timed_load
from facts.version import rules_fingerprint
from transforms.quarantine import quarantine
from transforms.schemas import TABLES
from warehouse.connection import MEMORY_LIMIT, connect
from warehouse.facts import fact_sources, replace_facts
from warehouse.migrate import LAKE_ONLY, migrate
from warehouse.search import rebuild_search_index, search

QUERIES = Path(__file__).resolve().parents[1] / "warehouse" / "queries"
QUERY_VARIABLES = (
    "SET VARIABLE topic = 'Pokrovsk'",
    "SET VARIABLE as_of = TIMESTAMPTZ '2025-10-27 12:00:00+02'",
)
"""The analyst queries' parameters, as their comments and the analyst tests set them."""
SEARCHES = ("Pokrovsk", "drones", "Kharkiv guided bombs", "expert", "energy infrastructure")
SMALL_RUNS = 3
"""Small runs per warehouse (tiny: 1), one after the other, each 10 minutes after the one before."""
# The lake's connections never download an extension and cap their memory: the file's the same.
_CONFIG: dict[str, str | bool] = {
    "memory_limit": MEMORY_LIMIT,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
ARTICLE_FRAMES = ("articles", "article_tags", "article_related", "article_pages")


@contextmanager
def file_warehouse(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB-file warehouse (the format before the lake): the file migrations and views, plus
    the lake's `load_turn`, so `load_batch` loads it unchanged; same memory cap as the lake."""
    new = not path.exists()
    con = duckdb.connect(
        str(path),
        config={**_CONFIG, "temp_directory": f"{path}.tmp"},
    )
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        migrate(con)
        if new:
            con.execute(LAKE_ONLY)
        yield con
    finally:
        con.close()


@contextmanager
def file_reader(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The file warehouse opened read-only, in UTC, as an analyst opens it."""
    con = duckdb.connect(str(path), read_only=True, config={**_CONFIG})
    try:
        con.execute("SET TimeZone = 'UTC'")
        yield con
    finally:
        con.close()


@contextmanager
def lake_reader(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The lake opened read-only, as an analyst opens it."""
    with connect(path, read_only=True) as con:
        yield con


def ingest_shaped(number: int, size: int) -> dict[str, pl.DataFrame]:
    """The frames of one 10-minute ingest on top of `size` articles: 20 new articles (with their
    tags, links and pages) and 100 feed observations (three feed pages), `number` × 10 minutes on."""
    frames = batch(100, start=size + 100 * number, at=NOW + timedelta(minutes=10 * (number + 1)))
    fetched = frames["articles"]["url"].head(20)
    return {
        name: frame.filter(pl.col("url").is_in(fetched.implode()))
        if name in ARTICLE_FRAMES
        else frame
        for name, frame in frames.items()
    }


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table of the contract, plus the runs and revisions recorded."""
    counts = {}
    for table in (*TABLES, "load_runs", "article_revisions"):
        found = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = int(found[0]) if found else 0
    return counts


def timed_run(
    warehouse: Path, run: str, frames: dict[str, pl.DataFrame], opener: Opener
) -> tuple[float, float]:
    """Wall seconds of a whole small run's load (open the warehouse, load, close), and of the
    `load_batch` in it."""
    started = time.perf_counter()
    loading = timed_load(warehouse, run, frames, opener)
    return time.perf_counter() - started, loading


def timed_facts(warehouse: Path, run: str, *, every: bool) -> tuple[float, int]:
    """Wall seconds of drawing the facts of every article (`every`) or of those changed since they
    were last drawn, the product's way but for the gate: what they are drawn from read in one
    transaction, the rules, the rows loaded; and the article versions drawn."""
    from flows.news_facts import shape_facts  # Prefect, imported once the bench's settings are set

    started = time.perf_counter()
    with connect(warehouse) as con:
        sources = fact_sources(con, rules_fingerprint(), every=every)
        frames = shape_facts.fn(sources)  # the flow's own shaping, without a Prefect task run
        replace_facts(
            con, run, frames, quarantine(run, NOW, []), NOW, rules=rules_fingerprint(),
            urls=sources.due.urls, drawn_from=sources.snapshot,
        )  # fmt: skip
    return time.perf_counter() - started, len(sources.versions)


def median_s(action: Callable[[], object], times: int) -> float:
    """The median wall seconds of `action` over `times` calls."""
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        spent.append(time.perf_counter() - started)
    return statistics.median(spent)


def answer(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    """Every row of the query's answer (fetched, so the whole query runs)."""
    return con.execute(sql).fetchall()


def query_times(
    reader: Opener, warehouse: Path, sql: dict[str, str], times: int
) -> dict[str, float]:
    """Median seconds of each analyst query on one warehouse, in one read-only session."""
    medians = {}
    with reader(warehouse) as con:
        for statement in QUERY_VARIABLES:
            con.execute(statement)
        for name, text in sql.items():
            medians[name] = median_s(partial(answer, con, text), times)
    return medians


def run(tiny: bool = False) -> dict[str, Any]:
    """Lake against file at 100,000 articles (tiny: 300): loads, small runs, queries; search."""
    size = 300 if tiny else 100_000
    repeats, small_runs = (1, 1) if tiny else (3, SMALL_RUNS)
    with tempfile.TemporaryDirectory(prefix="newsflow-bench-lake-") as folder:
        return measured(Path(folder), size, repeats, small_runs)


def measured(folder: Path, size: int, repeats: int, small_runs: int) -> dict[str, Any]:
    """`run`'s figures, its warehouses in `folder`: `size` articles, each query `repeats` times."""
    lake, file = folder / "lake.ducklake", folder / "file.duckdb"
    frames = batch(size)
    rows = sum(f.height for f in frames.values())
    bulk = {
        "lake": timed_load(lake, "bulk", frames),
        "file": timed_load(file, "bulk", frames, file_warehouse),
    }
    small: dict[str, list[tuple[float, float]]] = {"lake": [], "file": []}
    for number in range(small_runs):
        shaped = ingest_shaped(number, size)
        small["lake"].append(timed_run(lake, f"small-{number}", shaped, connect))
        small["file"].append(timed_run(file, f"small-{number}", shaped, file_warehouse))
    with lake_reader(lake) as con:
        lake_rows = row_counts(con)
    with file_reader(file) as con:
        file_rows = row_counts(con)
    with connect(lake) as con:
        started = time.perf_counter()
        rebuild_search_index(con)
        rebuild_s = time.perf_counter() - started
    with lake_reader(lake) as con:
        search(con, SEARCHES[0])  # loads the extension and attaches the index once
        searches, hits = {}, {}
        for q in SEARCHES:
            started = time.perf_counter()
            hits[q] = len(search(con, q))
            searches[q] = time.perf_counter() - started
    sql = {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.sql"))}
    lake_q = query_times(lake_reader, lake, sql, repeats)
    file_q = query_times(file_reader, file, sql, repeats)
    # Last, as it loads into the lake alone: facts of every article, then of one more small run's.
    every_s, every_versions = timed_facts(lake, "facts-every", every=True)
    timed_load(lake, "small-after-facts", ingest_shaped(small_runs, size))
    due_s, due_versions = timed_facts(lake, "facts-due", every=False)
    rates = {name: round(rows / seconds) for name, seconds in bulk.items()}
    return {
        "articles": size,
        "load": {
            "rows": rows,
            "lake_rows_per_s": rates["lake"],
            "file_rows_per_s": rates["file"],
            "ratio": round(rates["lake"] / rates["file"], 2),
        },
        "rows": {"lake": lake_rows, "file": file_rows, "same": lake_rows == file_rows},
        "small_run": {
            "articles": 20,
            "feed_observations": ingest_shaped(0, size)["feed_observations"].height,
            "runs": small_runs,
            "lake_s": round(statistics.median(wall for wall, _ in small["lake"]), 3),
            "file_s": round(statistics.median(wall for wall, _ in small["file"]), 3),
            "lake_load_s": round(statistics.median(load for _, load in small["lake"]), 3),
            "file_load_s": round(statistics.median(load for _, load in small["file"]), 3),
        },
        "facts": {
            "every_versions": every_versions,
            "every_s": round(every_s, 3),
            "after_small_run_versions": due_versions,
            "after_small_run_s": round(due_s, 3),
        },
        "queries": [compared(name, lake_q[name], file_q[name]) for name in sql],
        "queries_total": compared_total(lake_q, file_q),
        "search": {
            "queries": len(SEARCHES),
            "median_s": round(statistics.median(searches.values()), 4),
            "slowest_s": round(max(searches.values()), 4),
            "hits": hits,
            "rebuild_s": round(rebuild_s, 2),
        },
    }


def compared(query: str, lake_s: float, file_s: float) -> dict[str, Any]:
    """One query's medians on both (to the microsecond) and their ratio lake/file."""
    lake_r, file_r = round(lake_s, 6), round(file_s, 6)
    return {"query": query, "lake_s": lake_r, "file_s": file_r, "ratio": round(lake_r / file_r, 2)}


def compared_total(lake_q: dict[str, float], file_q: dict[str, float]) -> dict[str, Any]:
    """All queries' medians summed on each, and the ratio lake/file."""
    lake_s = round(sum(round(s, 6) for s in lake_q.values()), 6)
    file_s = round(sum(round(s, 6) for s in file_q.values()), 6)
    return {"lake_s": lake_s, "file_s": file_s, "ratio": round(lake_s / file_s, 2)}


def report(figures: dict[str, Any]) -> list[str]:
    """The bench's lines of the printed table."""
    load, small, total, found, facts = (
        figures["load"],
        figures["small_run"],
        figures["queries_total"],
        figures["search"],
        figures["facts"],
    )
    lines = [
        f"{figures['articles']:,} articles, {load['rows']:,} rows: lake {load['lake_rows_per_s']:,} "
        f"rows/s, file {load['file_rows_per_s']:,} rows/s, lake/file {load['ratio']:.2f}",
        f"same rows: {'yes' if figures['rows']['same'] else 'no'} "
        f"({', '.join(f'{t} {n:,}' for t, n in figures['rows']['lake'].items())})",
        f"small run ({small['articles']} articles, {small['feed_observations']} feed observations, "
        f"median of {small['runs']}): lake {small['lake_s']:.3f} s (load_batch {small['lake_load_s']:.3f} s), "
        f"file {small['file_s']:.3f} s (load_batch {small['file_load_s']:.3f} s)",
        f"facts after a small run: {facts['after_small_run_versions']} article versions drawn in "
        f"{facts['after_small_run_s']:.3f} s; every article's ({facts['every_versions']:,} versions): "
        f"{facts['every_s']:.3f} s (gate apart)",
        f"{'query':<36} {'lake s':>9} {'file s':>9} {'lake/file':>10}",
    ]
    lines += [
        f"{q['query']:<36} {q['lake_s']:>9.4f} {q['file_s']:>9.4f} {q['ratio']:>10.2f}"
        for q in figures["queries"]
    ]
    lines += [
        f"{'all queries':<36} {total['lake_s']:>9.3f} {total['file_s']:>9.3f} {total['ratio']:>10.2f}",
        f"search: median {found['median_s']:.4f} s over {found['queries']} queries "
        f"(slowest {found['slowest_s']:.4f} s); index rebuild {found['rebuild_s']:.2f} s",
    ]
    return lines
