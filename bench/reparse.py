"""Reparse end to end, measured: a generated archive of article pages rebuilt into a fresh warehouse
through the real `reparse` flow (index, read, parse, shape, gate, load, search index), each run in
its own process so its peak memory (RSS) is its own.

Also measured here, on the same pages:
- the parse-and-shape stage alone in a process pool of 1 and 2 (the speed-up of `--workers 2`);
- orchestration overhead: the flow over the snapshot's archive against the same functions called
  directly, with no Prefect.

Prints a table and writes bench/results/reparse.json. Targets: ≥ 500 pages/s end to end on 2 cores;
peak RSS under 1 GB and flat from 10k to 100k pages; time linear in pages; ≥ 1.7× from 2 processes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import psutil

from bench.archive.generate import generate_archive
from bench.environment import use_bench_environment
from sources.archive import ArchivedRun, read_runs, split_run

RESULTS = Path(__file__).parent / "results"


def _family_rss_mb() -> dict[str, float]:
    """Resident memory now of this process, its worker processes, and Prefect's temporary server
    (a child process too)."""
    usage = {"main": 0.0, "workers": 0.0, "prefect_server": 0.0}
    me = psutil.Process()
    usage["main"] = me.memory_info().rss / 2**20
    for process in me.children(recursive=True):
        try:
            rss, cmdline = process.memory_info().rss, process.cmdline()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue  # ended between the listing and the reading
        who = "prefect_server" if any("uvicorn" in part for part in cmdline) else "workers"
        usage[who] += rss / 2**20
    return usage


class PeakMemory:
    """Samples `_family_rss_mb` every 0.2 s in a thread; keeps each part's peak and the peak of
    main and workers together."""

    def __init__(self) -> None:
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            now = _family_rss_mb()
            now["total_without_server"] = now["main"] + now["workers"]
            for part, mb in now.items():
                self.peaks[part] = max(self.peaks.get(part, 0.0), mb)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


# The main process's growth per batch called zero: what RSS moves by allocator noise alone.
FLAT_MB_PER_BATCH = 0.2


def growth_per_batch(rss_mb: list[float]) -> float | None:
    """MB the main process grew per batch over the last half of the batches (the first half
    warms caches and allocator pools); None with fewer than four batches."""
    if len(rss_mb) < 4:
        return None
    half = len(rss_mb) // 2
    return round((rss_mb[-1] - rss_mb[half]) / (len(rss_mb) - 1 - half), 3)


def _measured_per_batch(rss_mb: list[float]) -> None:
    """Record the main process's RSS after every batch's load (the flow's own task, wrapped)."""
    import flows.reparse

    load_batch = flows.reparse.check_and_load

    def measured(*args: Any, **kwargs: Any) -> Any:
        result = load_batch(*args, **kwargs)
        rss_mb.append(psutil.Process().memory_info().rss / 2**20)
        return result

    flows.reparse.check_and_load = measured  # type: ignore[assignment]


def child(raw: Path, warehouse: Path, workers: int, batch_pages: int) -> dict[str, Any]:
    """Run the reparse flow once (after a warm-up run that starts Prefect's local server)."""
    from expectations.gate import shared_gate
    from flows.reparse import reparse

    per_batch: list[float] = []
    _measured_per_batch(per_batch)

    empty = Path(tempfile.mkdtemp(prefix="newsflow-bench-empty-"))
    # An empty archive: the run ends Failed (nothing to rebuild) once Prefect is up.
    reparse(warehouse=str(empty / "warm.ducklake"), raw_dir=str(empty), return_state=True)
    shared_gate(None)  # Great Expectations' set-up, once per process (the gate bench times it)
    with PeakMemory() as memory:
        started = time.perf_counter()
        results = reparse(
            warehouse=str(warehouse), raw_dir=str(raw), batch_pages=batch_pages, workers=workers
        )
        seconds = time.perf_counter() - started
    from warehouse.connection import connect

    with connect(warehouse, read_only=True) as con:
        loaded = con.execute("SELECT count(*) FROM articles").fetchone()
    return {
        "seconds": round(seconds, 2),
        "batches": len(results) if isinstance(results, list) else 0,
        "articles_loaded": loaded[0] if loaded else 0,
        "main_rss_mb": round(memory.peaks.get("main", 0.0), 1),
        "workers_rss_mb": round(memory.peaks.get("workers", 0.0), 1),
        "peak_rss_mb": round(memory.peaks.get("total_without_server", 0.0), 1),
        "prefect_server_rss_mb": round(memory.peaks.get("prefect_server", 0.0), 1),
        "main_growth_mb_per_batch": growth_per_batch(per_batch),
    }


def reparse_once(raw: Path, pages: int, workers: int, batch_pages: int) -> dict[str, Any]:
    """One reparse of `raw` in a fresh process; its figures."""
    warehouse = Path(tempfile.mkdtemp(prefix="newsflow-bench-wh-")) / "rebuilt.ducklake"
    out = subprocess.run(
        [
            *(sys.executable, "-m", "bench.reparse", "--child", str(raw), str(warehouse)),
            *("--workers", str(workers), "--batch-pages", str(batch_pages)),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if figures["articles_loaded"] != pages:
        raise RuntimeError(f"reparse loaded {figures['articles_loaded']} of {pages} pages")
    figures.update(pages=pages, workers=workers, pages_per_s=round(pages / figures["seconds"], 1))
    return figures


def _shape(run: ArchivedRun) -> int:
    from flows.replay import replayed

    return replayed(run).frames["articles"].height


def stage_speedup(raw: Path, batch_pages: int) -> dict[str, Any]:
    """Parse and shape alone (the work `--workers` spreads), in pools of 1 and 2 processes."""
    parts = [p for run in read_runs(raw) for p in split_run(run, batch_pages)]
    pages = sum(p.article_pages for p in parts)
    rates = {}
    for workers in (1, 2):
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            list(pool.map(_shape, parts[:workers]))  # warm: imports done in every worker
            started = time.perf_counter()
            done = sum(pool.map(_shape, parts))
            rates[workers] = done / (time.perf_counter() - started)
        if done != pages:
            raise RuntimeError(f"shaped {done} of {pages} pages")
    return {
        "pages": pages,
        "one_process_pages_per_s": round(rates[1], 1),
        "two_processes_pages_per_s": round(rates[2], 1),
        "speedup": round(rates[2] / rates[1], 2),
    }


def orchestration(repeats: int = 3, warm: bool = True) -> dict[str, Any]:
    """The reparse flow over the snapshot's archive, against the same functions called directly
    (`warm`: after a round that is not timed)."""
    from bench.snapshot import ingest_snapshot
    from expectations.gate import gate_parameters, shared_gate
    from flows.reparse import reparse
    from flows.replay import replayed
    from flows.tasks import load
    from sources.snapshot_server import SnapshotServer
    from warehouse.connection import connect
    from warehouse.search import ensure_search_index

    folder = Path(tempfile.mkdtemp(prefix="newsflow-bench-snap-"))
    with SnapshotServer() as server:
        ingest_snapshot(server.base_url, folder / "original.ducklake")
    raw = folder / "raw"

    def direct(warehouse: Path) -> None:
        checker = shared_gate(folder / "docs")
        for run in read_runs(raw):
            done = replayed(run)
            report = checker.run(
                done.frames, gate_parameters(run.site_url, run.started_at, done.feed_pages)
            )
            frames = report.loadable(done.frames["quarantine"], run.run_id, run.started_at)
            load.fn(warehouse, run.run_id, frames, run.started_at, refresh_index=False)
        with connect(warehouse) as con:
            ensure_search_index(con, articles_changed=True)

    timings: dict[str, list[float]] = {"prefect": [], "direct": []}
    for n in range(0 if warm else 1, repeats + 1):
        for name in ("prefect", "direct"):
            warehouse = folder / f"{name}-{n}.ducklake"
            started = time.perf_counter()
            if name == "prefect":
                reparse(warehouse=str(warehouse), raw_dir=str(raw))
            else:
                direct(warehouse)
            if n:  # the first round warms both paths (imports, Prefect's server, GX context)
                timings[name].append(time.perf_counter() - started)
    prefect_s, direct_s = min(timings["prefect"]), min(timings["direct"])
    runs = read_runs(raw)
    return {
        "runs": len(runs),
        "pages": sum(r.article_pages for r in runs),
        "prefect_s": round(prefect_s, 2),
        "direct_s": round(direct_s, 2),
        "overhead_s": round(prefect_s - direct_s, 2),
        "overhead_per_run_s": round((prefect_s - direct_s) / len(runs), 3),
    }


# Runs as a backfill writes them: one per batch of `batch_size` articles (its default).
BACKFILL_RUN_PAGES = 50


def run(tiny: bool = False) -> dict[str, Any]:
    """Archives of 10,000 and 100,000 pages, and one of 10,000 in backfill-sized runs (tiny: one
    of 200 pages in backfill-sized runs, batches of 100, with 2 workers only and no warm-up round:
    its reparse is the backfill-shaped figure too)."""
    if tiny:
        return measure((200,), 100, repeats=1, warm=False, backfill_pages=None, one_worker=False)
    return measure((10_000, 100_000), 1000, backfill_pages=10_000)


def backfill_shaped(pages: int, batch_pages: int) -> dict[str, Any]:
    """Reparse, with 2 workers, of an archive of `BACKFILL_RUN_PAGES`-page runs."""
    raw = Path(tempfile.mkdtemp(prefix=f"newsflow-bench-backfill-{pages}-"))
    generate_archive(raw, pages, pages_per_run=BACKFILL_RUN_PAGES, compresslevel=1)
    figures = reparse_once(raw, pages, 2, batch_pages)
    figures["run_pages"] = BACKFILL_RUN_PAGES
    return figures


def measure(
    sizes: tuple[int, ...],
    batch_pages: int,
    repeats: int = 3,
    warm: bool = True,
    backfill_pages: int | None = 10_000,
    one_worker: bool = True,
) -> dict[str, Any]:
    """Every figure of this bench for archives of these sizes (the first also with 1 worker when
    `one_worker`), and for one of `backfill_pages` pages in backfill-sized runs (None: the
    archives are in backfill-sized runs, and the last one's reparse is that figure)."""
    figures: dict[str, Any] = {"archives": [], "reparse": []}
    run_pages = batch_pages if backfill_pages else BACKFILL_RUN_PAGES
    for n, pages in enumerate(sizes):
        raw = Path(tempfile.mkdtemp(prefix=f"newsflow-bench-{pages}-"))
        # gzip level 1: the same records as the pipeline writes (at 9), generated four times faster.
        made = generate_archive(raw, pages, pages_per_run=run_pages, compresslevel=1)
        figures["archives"].append(
            {
                "pages": pages,
                "mb": round(made.bytes / 1e6, 1),
                "generated_in_s": round(made.seconds, 1),
            }
        )
        if n == 0:
            figures["stage"] = stage_speedup(raw, batch_pages)
            if one_worker:
                figures["reparse"].append(reparse_once(raw, pages, 1, batch_pages))
        figures["reparse"].append(reparse_once(raw, pages, 2, batch_pages))
    figures["backfill_shaped"] = (
        backfill_shaped(backfill_pages, batch_pages)
        if backfill_pages
        else {**figures["reparse"][-1], "run_pages": BACKFILL_RUN_PAGES}
    )
    figures["orchestration"] = orchestration(repeats, warm)
    return figures


def report(figures: dict[str, Any]) -> list[str]:
    """The bench's lines of the printed table."""
    lines = [
        f"{'pages':>8} {'workers':>8} {'s':>8} {'pages/s':>9} {'main MB':>8} {'workers MB':>11} "
        f"{'peak MB':>8}  (peak: main + workers at once; Prefect's temporary server apart)"
    ]
    for r in figures["reparse"]:
        lines.append(
            f"{r['pages']:>8} {r['workers']:>8} {r['seconds']:>8} {r['pages_per_s']:>9} "
            f"{r['main_rss_mb']:>8} {r['workers_rss_mb']:>11} {r['peak_rss_mb']:>8}"
        )
    two = [r for r in figures["reparse"] if r["workers"] == 2]
    if len(two) > 1:
        small, big = two[0], two[-1]
        time_growth = (big["seconds"] / small["seconds"]) / (big["pages"] / small["pages"])
        rss_growth = big["peak_rss_mb"] / small["peak_rss_mb"]
        lines.append(
            f"{small['pages']:,} → {big['pages']:,} pages: time per page ×{time_growth:.2f} "
            f"(1.00 = linear), peak RSS ×{rss_growth:.2f} (1.00 = flat)"
        )
    big = two[-1]
    growth = big["main_growth_mb_per_batch"]
    lines.append(
        f"main-process growth per batch (MB), {big['pages']:,} pages, {big['batches']} batches: "
        f"{growth} (target 0: ≤ {FLAT_MB_PER_BATCH} over the last half) "
        f"{'OK' if growth is not None and growth <= FLAT_MB_PER_BATCH else 'MISSED'}"
    )
    b = figures["backfill_shaped"]
    lines.append(
        f"backfill-shaped archive ({b['pages']:,} pages in runs of {b['run_pages']}), 2 workers: "
        f"{b['pages_per_s']} pages/s (target ≥ 400) {'OK' if b['pages_per_s'] >= 400 else 'MISSED'}"
    )
    stage = figures["stage"]
    lines.append(
        f"parse+shape stage: {stage['one_process_pages_per_s']} pages/s in 1 process, "
        f"{stage['two_processes_pages_per_s']} in 2: ×{stage['speedup']} (target ≥ 1.7)"
    )
    o = figures["orchestration"]
    lines.append(
        f"orchestration: reparse of the snapshot ({o['runs']} runs, {o['pages']} pages) "
        f"{o['prefect_s']} s as a Prefect flow, {o['direct_s']} s called directly: "
        f"+{o['overhead_per_run_s']} s per run"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reparse")
    parser.add_argument("--child", nargs=2, type=Path, metavar=("RAW", "WAREHOUSE"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-pages", type=int, default=1000)
    parser.add_argument("--pages", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    use_bench_environment()
    if args.child:
        raw, warehouse = args.child
        print(json.dumps(child(raw, warehouse, args.workers, args.batch_pages)))
        return
    started = datetime.now(UTC)
    figures = measure(tuple(args.pages), args.batch_pages)
    print("\n".join(report(figures)))
    RESULTS.mkdir(exist_ok=True)
    figures["measured_at"] = started.isoformat()
    (RESULTS / "reparse.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
