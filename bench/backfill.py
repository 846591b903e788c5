"""Backfill memory, measured: the peak RSS of the main process over a backfill of N batches
against one of 10× N, each in a fresh process, against a local snapshot site whose feed goes on
for as many pages as asked (the snapshot's first page served again and again), one feed page a
batch. Target: the long backfill's peak within 1.2× of the short one's (each batch's pages and
frames die with the batch). Prints a table and writes bench/results/backfill.json via `bench`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.environment import use_bench_environment
from bench.reparse import PeakMemory

# Peak RSS of the long backfill over the short one's at most this: "flat".
FLAT_RATIO = 1.2


def child(batches: int) -> dict[str, Any]:
    """One backfill of `batches` batches (after a warm-up of one, which starts Prefect's local
    server and imports everything); the main process's peak RSS over it."""
    from flows.backfill import backfill
    from sources.snapshot_server import SNAPSHOT_DIR, Response, SnapshotServer

    feed = (SNAPSHOT_DIR / "news.html").read_bytes()
    pages = {f"/news?page={n}": Response(200, feed) for n in range(2, batches + 3)}
    folder = Path(tempfile.mkdtemp(prefix="newsflow-bench-backfill-"))
    with SnapshotServer(overrides=pages) as server:
        options: dict[str, Any] = dict(
            since=date(2025, 1, 1),
            until=date(2025, 10, 27),
            base_url=server.base_url,
            pages_per_batch=1,
            min_interval_s=0.0,
        )
        backfill(warehouse=str(folder / "warm.ducklake"), max_batches=1, **options)
        with PeakMemory() as memory:
            started = time.perf_counter()
            done = backfill(warehouse=str(folder / "w.ducklake"), max_batches=batches, **options)
            seconds = time.perf_counter() - started
    return {
        "batches": getattr(done, "batches", 0),
        "seconds": round(seconds, 2),
        "main_peak_rss_mb": round(memory.peaks.get("main", 0.0), 1),
    }


def backfill_once(batches: int) -> dict[str, Any]:
    """One backfill in a fresh process; its figures."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.backfill", str(batches)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if figures["batches"] != batches:
        raise RuntimeError(f"the backfill ran {figures['batches']} of {batches} batches")
    return figures


def run(tiny: bool = False) -> dict[str, Any]:
    """Backfills of 10 and 100 batches (tiny: 1 and 3)."""
    short, long = (1, 3) if tiny else (10, 100)
    figures = {"short": backfill_once(short), "long": backfill_once(long)}
    figures["ratio"] = round(
        figures["long"]["main_peak_rss_mb"] / figures["short"]["main_peak_rss_mb"], 2
    )
    return figures


def report(figures: dict[str, Any]) -> list[str]:
    """The bench's lines of the printed table."""
    short, long, ratio = figures["short"], figures["long"], figures["ratio"]
    return [
        f"backfill of {short['batches']} batches: peak RSS {short['main_peak_rss_mb']} MB "
        f"({short['seconds']} s); of {long['batches']}: {long['main_peak_rss_mb']} MB "
        f"({long['seconds']} s)",
        f"peak RSS ×{ratio} (target ≤ {FLAT_RATIO}) {'OK' if ratio <= FLAT_RATIO else 'MISSED'}",
    ]


if __name__ == "__main__":
    use_bench_environment()
    print(json.dumps(child(int(sys.argv[1]))))
