"""What a `newsflow` command costs the person who types it, each command in its own process:

- the start of each command (`newsflow --help`, `newsflow run --help`, …, and cheap real calls):
  median wall and CPU seconds, peak RSS, and the heavy libraries it loaded (read from the process
  itself: a command imports what it needs when it needs it);
- `newsflow search` on a lake of made-up articles (`bench.gate.batch`): peak RSS and wall;
- a no-change `newsflow run` against a running `prefect server` (started here, on a free loopback
  port, and stopped after, no process left behind): a first run fills the warehouse from the bundled
  snapshot, the next ones read the same site, where nothing changed. Peak RSS of the command's
  process tree and its wall time.

Targets (issue 17): a no-change run ≤ 400 MB and ≤ 3 s; a command's help ≤ 0.5 s of CPU with none
of Prefect, Great Expectations, pandas, Polars, DuckDB or trafilatura loaded; search ≤ 1 s and
≤ 200 MB. `--tiny` skips the Prefect server (its start alone takes longer than the tiny bench may).

Run by `python -m bench` (`--only commands`), which prints its table and writes commands.json.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.environment import BENCH_PREFECT
from bench.gate import NOW, batch
from sources.snapshot_server import SnapshotServer
from warehouse.connection import connect
from warehouse.load import load_batch
from warehouse.runs import RunKind
from warehouse.search import rebuild_search_index

BIN = Path(sys.executable).parent
HEAVY = ("prefect", "great_expectations", "pandas", "polars", "duckdb", "trafilatura")
"""The libraries that cost a command most to import (each 0.1 to 3 s of CPU, 30 to 140 MB)."""
# `<command> --help` of each command a person types first; `WAREHOUSE` stands for the lake.
HELPS = ("--help", "run --help", "demo --help", "search --help", "sql --help", "report --help",
         "export --help", "serve --help", "backfill --help", "reparse --help")  # fmt: skip
# Cheap real calls on a lake, and the heavy libraries each may load.
CALLS: dict[str, tuple[str, ...]] = {
    "sql --attach-sql --warehouse WAREHOUSE": ("duckdb",),
    "search Pokrovsk --warehouse WAREHOUSE": ("duckdb",),
    "quarantine --warehouse WAREHOUSE": ("duckdb",),
}
HELP_CPU_S = 0.5
RUN_RSS_MB, RUN_WALL_S = 400, 3.0
SEARCH_RSS_MB, SEARCH_WALL_S = 200, 1.0
# Runs a command as the console script does, then names the heavy libraries it left loaded.
PROBE = (
    "import json, sys\n"
    "from flows.cli import main\n"
    "code = main(sys.argv[2:])\n"
    "print(json.dumps([m for m in json.loads(sys.argv[1]) if sys.modules.get(m)]), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@dataclass(frozen=True, slots=True)
class Footprint:
    """One command's process: wall and CPU seconds, peak RSS of its tree, its exit code and output."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    code: int
    out: str
    err: str


def _peaks(process: psutil.Process, peaks: dict[int, int]) -> None:
    """Note each process of the tree's own peak RSS so far (VmHWM, in bytes) in `peaks`."""
    for one in (process, *process.children(recursive=True)):
        try:
            with open(f"/proc/{one.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peaks[one.pid] = int(line.split()[1]) * 1024
        except OSError:
            pass


def footprint(argv: Sequence[str], env: dict[str, str], timeout_s: float = 300) -> Footprint:
    """Run `argv` to its end, reading its process tree every 20 ms: the peak RSS is the sum of
    each process's own peak (exact for one process, at most the tree's for several); CPU is the
    command's own and its reaped children's (from `wait4`)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(list(argv), env=env, stdout=out, stderr=err)
        process, peaks = psutil.Process(child.pid), dict[int, int]()
        while True:
            with suppress(psutil.Error):
                _peaks(process, peaks)
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout_s:
                child.kill()
            time.sleep(0.02)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0), err.seek(0)
        return Footprint(
            wall_s=round(wall, 3),
            cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
            peak_rss_mb=round(sum(peaks.values()) / 2**20, 1),
            code=child.returncode,
            out=out.read().decode(errors="replace"),
            err=err.read().decode(errors="replace"),
        )


def command_start(words: str, env: dict[str, str], repeats: int) -> dict[str, Any]:
    """A command's start: median wall and CPU of `repeats` runs, its peak RSS, and the heavy
    libraries it loaded. Each runs through `PROBE`, which is what the console script does plus
    one look at `sys.modules` at the end."""
    argv = words.split()
    runs = [
        footprint([sys.executable, "-c", PROBE, json.dumps(HEAVY), *argv], env)
        for _ in range(repeats)
    ]
    failed = [r for r in runs if r.code != 0]
    if failed:
        raise RuntimeError(f"newsflow {words} failed: {failed[0].err[-2000:]}")
    return {
        "command": words,
        "wall_s": round(statistics.median(r.wall_s for r in runs), 3),
        "cpu_s": round(statistics.median(r.cpu_s for r in runs), 3),
        "peak_rss_mb": max(r.peak_rss_mb for r in runs),
        "heavy": json.loads(runs[-1].err.strip().splitlines()[-1]),
    }


def searchable_lake(path: Path, articles: int) -> Path:
    """A lake of `articles` made-up articles (the snapshot's, renamed) with its search index."""
    with connect(path) as con:
        load_batch(con, "bench-commands", batch(articles), kind=RunKind.SYNTHETIC,
                   started_at=NOW, finished_at=NOW)  # fmt: skip
        rebuild_search_index(con)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def prefect_server(home: Path, ready_within_s: float = 300) -> Iterator[dict[str, Any]]:
    """`prefect server start` on a free loopback port with its state in `home`; yields its API
    address and, once it is stopped (SIGTERM to its process group, then SIGKILL), how long it took
    to answer and how many of its processes outlived it (`left_behind`, filled in at the end)."""
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, **BENCH_PREFECT, "PREFECT_HOME": str(home), "PREFECT_API_URL": api}
    started = time.perf_counter()
    with (home / "server.log").open("wb") as log:
        server = subprocess.Popen(
            [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    found: dict[str, Any] = {"api": api}
    family: list[psutil.Process] = []
    try:
        while not _healthy(api):
            if server.poll() is not None or time.perf_counter() - started > ready_within_s:
                raise RuntimeError(f"prefect server did not start: see {home / 'server.log'}")
            time.sleep(0.25)
        found["ready_s"] = round(time.perf_counter() - started, 1)
        yield found
    finally:
        with suppress(psutil.Error):
            family = [psutil.Process(server.pid), *psutil.Process(server.pid).children(True)]
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        _, alive = psutil.wait_procs(family, timeout=10)
        found["left_behind"] = len(alive)


def _healthy(api: str) -> bool:
    try:
        return bool(httpx.get(f"{api}/health", timeout=2).json() is True)
    except (httpx.HTTPError, ValueError):
        return False


def no_change_run(folder: Path, repeats: int) -> dict[str, Any]:
    """A first `newsflow run` over the bundled snapshot, then `repeats` more over the same site."""
    home = folder / "prefect"
    home.mkdir()
    with prefect_server(home) as server, SnapshotServer() as site:
        env = {**os.environ, **BENCH_PREFECT, "PREFECT_HOME": str(home), "PREFECT_API_URL": server["api"],
               "NEWSFLOW_WAREHOUSE": str(folder / "run.ducklake")}  # fmt: skip
        argv = [str(BIN / "newsflow"), "run", "--base-url", site.base_url,
                "--lookback-days", "3650", "--min-interval", "0"]  # fmt: skip
        first = footprint(argv, env)
        if first.code != 0:
            raise RuntimeError(f"the first newsflow run failed: {first.err[-2000:]}")
        again = [footprint(argv, env) for _ in range(repeats)]
    failed = [r for r in again if r.code != 0]
    if failed:
        raise RuntimeError(f"a no-change newsflow run failed: {failed[0].err[-2000:]}")
    return {
        "server_ready_s": server["ready_s"],
        "left_behind": server["left_behind"],
        "first": {k: v for k, v in asdict(first).items() if k not in ("out", "err")},
        "wall_s": round(statistics.median(r.wall_s for r in again), 2),
        "cpu_s": round(statistics.median(r.cpu_s for r in again), 2),
        "peak_rss_mb": max(r.peak_rss_mb for r in again),
        "facts_drawn_again": sum("Facts from the news: unchanged" not in r.out for r in again),
    }


def run(tiny: bool = False) -> dict[str, Any]:
    """Every command's start, three runs each (tiny: one run of the first three helps), the cheap
    calls and search on 1,000 articles (tiny: 20), and the no-change run three times (tiny: not
    measured)."""
    repeats = 1 if tiny else 3
    folder = Path(tempfile.mkdtemp(prefix="newsflow-bench-commands-"))
    env = {**os.environ, **BENCH_PREFECT, "PREFECT_HOME": str(folder / "no-server")}
    env.pop("PREFECT_API_URL", None)
    lake = searchable_lake(folder / "search.ducklake", 20 if tiny else 1000)
    starts = [command_start(words, env, repeats) for words in (HELPS[:3] if tiny else HELPS)]
    calls = [
        {**command_start(words.replace("WAREHOUSE", str(lake)), env, repeats),
         "command": words, "allowed": list(allowed)}
        for words, allowed in CALLS.items()
    ]  # fmt: skip
    python = [footprint([sys.executable, "-c", "pass"], env) for _ in range(repeats)]
    figures: dict[str, Any] = {
        "python_cpu_s": round(statistics.median(p.cpu_s for p in python), 3),
        "helps": starts,
        "calls": calls,
        "search_articles": 20 if tiny else 1000,
        "no_change_run": None if tiny else no_change_run(folder, repeats),
    }
    return figures


def headline_rows(f: dict[str, Any]) -> list[dict[str, Any]]:
    """The commands stage's headline rows: value, target, verdict."""
    rows: list[dict[str, Any]] = []

    def add(what: str, value: float | str, target: str, ok: bool, **more: Any) -> None:
        rows.append({"stage": "commands", "what": what, "value": value, "target": target,
                     "verdict": "OK" if ok else "MISSED", **more})  # fmt: skip

    for h in f["helps"]:
        add(f"newsflow {h['command']}: CPU s", h["cpu_s"], f"≤ {HELP_CPU_S} s",
            h["cpu_s"] <= HELP_CPU_S and not h["heavy"], reference=f["python_cpu_s"])  # fmt: skip
    for c in f["calls"]:
        extra = sorted(set(c["heavy"]) - set(c["allowed"]))
        add(f"newsflow {c['command'].split()[0]}: heavy libraries beyond its own",
            ", ".join(extra) or "none", "none", not extra)  # fmt: skip
    search = next(c for c in f["calls"] if c["command"].startswith("search"))
    size = f"{f['search_articles']:,} articles"
    add(f"newsflow search: peak RSS MB, {size}", search["peak_rss_mb"], f"≤ {SEARCH_RSS_MB}",
        search["peak_rss_mb"] <= SEARCH_RSS_MB)  # fmt: skip
    add(f"newsflow search: wall s, {size}", search["wall_s"], f"≤ {SEARCH_WALL_S} s",
        search["wall_s"] <= SEARCH_WALL_S)  # fmt: skip
    r = f["no_change_run"]
    if r is not None:
        add("no-change run: peak RSS MB", r["peak_rss_mb"], f"≤ {RUN_RSS_MB}",
            r["peak_rss_mb"] <= RUN_RSS_MB, reference=r["first"]["peak_rss_mb"])  # fmt: skip
        add("no-change run: wall s", r["wall_s"], f"≤ {RUN_WALL_S} s", r["wall_s"] <= RUN_WALL_S,
            reference=r["first"]["wall_s"])  # fmt: skip
        add("prefect server processes left behind", r["left_behind"], "0", r["left_behind"] == 0)
    return rows


def report(f: dict[str, Any]) -> list[str]:
    """The bench's lines of the printed table."""
    lines = [
        f"`python -c pass`: {f['python_cpu_s']:.3f} s CPU (the floor of every start below)",
        f"{'command':<48} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7}  heavy libraries loaded",
    ]
    lines += [
        f"{'newsflow ' + c['command']:<48} {c['wall_s']:>7.3f} {c['cpu_s']:>7.3f} "
        f"{c['peak_rss_mb']:>7.1f}  {', '.join(c['heavy']) or '-'}"
        for c in (*f["helps"], *f["calls"])
    ]
    r = f["no_change_run"]
    if r is None:
        lines.append("no-change run against a Prefect server: not measured under --tiny")
    else:
        first = r["first"]
        lines += [
            f"prefect server answered after {r['server_ready_s']} s; processes left behind: "
            f"{r['left_behind']}",
            f"first run (fills the warehouse): {first['wall_s']:.2f} s wall, "
            f"{first['cpu_s']:.2f} s CPU, {first['peak_rss_mb']:.0f} MB peak",
            f"no-change run (median): {r['wall_s']:.2f} s wall, {r['cpu_s']:.2f} s CPU, "
            f"{r['peak_rss_mb']:.0f} MB peak; facts drawn again {r['facts_drawn_again']} times",
        ]
    return lines
