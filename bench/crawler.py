"""The crawler, measured: fetch throughput with politeness off, the request rate with it on, and the
cost of a no-change incremental run as the warehouse grows.

Run by `python -m bench` (`--only crawler`), which prints its table and writes crawler.json. Targets (issue "A crawler the site would
welcome"): ≥ 80 % of concurrency / latency; never above the configured rate in any 10 s window; a
no-change run over 10,000 articles under 5 s, not growing with the warehouse.
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing import Event, Process
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any

from bench.gate import batch
from sources.http import SiteClient
from sources.snapshot_server import Response, SnapshotServer
from warehouse.connection import connect
from warehouse.load import load_batch
from warehouse.runs import RunKind

PAGE = b"<html><body>" + b"<p>news</p>" * 2000 + b"</body></html>"


def _serve(port: int, latency_s: float, ready: EventType) -> None:
    with SnapshotServer(
        Path(tempfile.mkdtemp()),
        port=port,
        overrides={"/page": Response(200, PAGE, delay_s=latency_s)},
    ):
        ready.set()
        time.sleep(3600)


def throughput(
    concurrency: int = 16, latency_s: float = 0.05, requests: int = 800
) -> dict[str, Any]:
    """Requests per second against a server (in its own process, so it does not share our GIL)
    that answers every request after `latency_s`."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ready = Event()
    server = Process(target=_serve, args=(port, latency_s, ready), daemon=True)
    server.start()
    ready.wait(30)
    base = f"http://127.0.0.1:{port}"

    async def run() -> float:
        async with SiteClient(
            base,
            user_agent="newsflow-bench",
            min_interval_s=0,
            max_concurrency=concurrency,
            obey_robots=False,
        ) as client:
            await client.fetch(f"{base}/page?warm")
            started = time.perf_counter()
            pages = await client.fetch_all([f"{base}/page?n={n}" for n in range(requests)])
            elapsed = time.perf_counter() - started
            assert all(p.ok for p in pages)
            return elapsed

    try:
        elapsed = asyncio.run(run())
    finally:
        server.terminate()
        server.join()
    ideal = concurrency / latency_s
    return {
        "concurrency": concurrency,
        "latency_ms": latency_s * 1000,
        "requests": requests,
        "per_s": round(requests / elapsed, 1),
        "ideal_per_s": ideal,
        "ratio": round(requests / elapsed / ideal, 3),
    }


def politeness(rate_per_s: float = 5.0, requests: int = 60) -> dict[str, Any]:
    """The most requests the server saw in any 10 s window, with a rate limit of `rate_per_s`."""
    with SnapshotServer(
        Path(tempfile.mkdtemp()), overrides={"/page": Response(200, PAGE)}
    ) as server:

        async def run() -> None:
            async with SiteClient(
                server.base_url,
                user_agent="newsflow-bench",
                min_interval_s=1 / rate_per_s,
                max_concurrency=8,
            ) as client:
                await client.fetch_all([f"{server.base_url}/page?n={n}" for n in range(requests)])

        asyncio.run(run())
        starts = [s.at for s in server.seen]
    busiest = max(sum(1 for t in starts if s <= t < s + 10) for s in starts)
    return {
        "rate_per_s": rate_per_s,
        "requests": len(starts),
        "max_in_10s": busiest,
        "allowed_in_10s": rate_per_s * 10,
    }


def incremental(sizes: tuple[int, ...] = (1_000, 10_000), repeats: int = 3) -> list[dict[str, Any]]:
    """Wall time of a no-change `ingest` run (the flow itself, Prefect's server already up), the
    median of `repeats`."""
    from flows.ingest import ingest

    figures = []
    for size in sizes:
        folder = Path(tempfile.mkdtemp(prefix="newsflow-bench-"))
        warehouse = folder / "newsflow.ducklake"
        with SnapshotServer() as server:
            ingest(
                base_url=server.base_url,
                warehouse=str(warehouse),
                lookback_days=3650,
                min_interval_s=0.0,
            )
            frames = batch(size)
            now = datetime.now(UTC)
            with connect(warehouse) as con:
                load_batch(
                    con,
                    "bench-fill",
                    frames,
                    kind=RunKind.SYNTHETIC,
                    started_at=now,
                    finished_at=now,
                )
                articles = con.execute("SELECT count(*) FROM articles").fetchone()
            times = []
            for _ in range(repeats):
                server.seen.clear()
                started = time.perf_counter()
                ingest(
                    base_url=server.base_url,
                    warehouse=str(warehouse),
                    lookback_days=2,
                    min_interval_s=0.0,
                )
                times.append(time.perf_counter() - started)
                requests = server.requests
        figures.append(
            {
                "articles": articles[0] if articles else 0,
                "median_s": round(statistics.median(times), 2),
                "requests": requests,
            }
        )
    return figures


def run(tiny: bool = False) -> dict[str, Any]:
    """Fetch rates at concurrency 1, 4 and 16, the polite rate, and no-change runs."""
    fetch = [
        throughput(concurrency, requests=(20 if tiny else 50) * concurrency)
        for concurrency in (1, 4, 16)
    ]
    polite = politeness(requests=12 if tiny else 60)
    runs = incremental((100,), repeats=1) if tiny else incremental((1_000, 10_000))
    return {"fetch": fetch, "politeness": polite, "incremental": runs}


def report(figures: dict[str, Any]) -> list[str]:
    """The bench's lines of the printed table."""
    lines = [f"{'concurrency':>12} {'latency ms':>11} {'req/s':>8} {'ideal/s':>8} {'of ideal':>9}"]
    lines += [
        f"{f['concurrency']:>12} {f['latency_ms']:>11.0f} {f['per_s']:>8} {f['ideal_per_s']:>8.0f} {f['ratio']:>9.0%}"
        for f in figures["fetch"]
    ]
    polite = figures["politeness"]
    lines.append(
        f"Politeness on, {polite['rate_per_s']:.0f} req/s: at most {polite['max_in_10s']} requests in any 10 s window "
        f"(allowed {polite['allowed_in_10s']:.0f})"
    )
    lines.append(f"{'articles':>9} {'no-change run s':>16}  requests")
    lines += [
        f"{r['articles']:>9} {r['median_s']:>16.2f}  {' '.join(r['requests'])}"
        for r in figures["incremental"]
    ]
    return lines
