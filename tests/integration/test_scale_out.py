"""Scale-out as people run it: a real PostgreSQL server holds the lake's catalog, a real `prefect
server`, the `newsflow` process work pool from `prefect.yaml`, and three workers, each a machine of
its own (its own warehouse link, archive and search index; the catalog and the data folder
shared). Three ingests of three sites run at once into the one lake; the lake then equals, table
by table, a lake the same three runs loaded one after the other.

Runs in CI; skip it locally with `pytest -m "not server"`.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from sources.snapshot_server import Response, SnapshotServer
from tests.conftest import FIGURES
from tests.integration.test_prefect_server import BIN, _free_port, _stop, _wait
from tests.postgres import Postgres, postgres_server
from warehouse.connection import connect
from warehouse.export import warehouse_tables

pytestmark = pytest.mark.server
REPO = Path(__file__).resolve().parents[2]
WORKERS = 3
# What differs between two loads of the same pages: when and under which run they were made.
_RUN_COLUMNS = re.compile(r"^(run_id|commit_retries|warc_\w+|\w+_ms|\w+_at)$")
_CONTENT_TIMES = {"published_at", "modified_at"}


def _prefect_env(home: Path, api: str) -> dict[str, str]:
    return {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "DO_NOT_TRACK": "1",
        "NEWSFLOW_LOOKBACK_DAYS": "3650",
        "NEWSFLOW_MIN_INTERVAL_S": "0",
        # A site holds its first answer until every run is under way (`AllUnderWay`): long
        # enough for the slowest machine's start, never a timeout and a second try.
        "NEWSFLOW_TIMEOUT_S": "600",
    }


def _content(warehouse: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows without the columns that name a run or its clock, sorted."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with connect(warehouse, read_only=True) as con:
        for table in warehouse_tables(con):
            if table == "schema_migrations":
                continue
            columns = [
                name
                for (name,) in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE database_name = "
                    "current_database() AND table_name = ? ORDER BY column_index",
                    [table],
                ).fetchall()
                if name in _CONTENT_TIMES or not _RUN_COLUMNS.match(name)
            ]
            listed = ", ".join(f'"{c}"' for c in columns)
            # `newsflow run` draws the facts after each ingest, the pool once after all three:
            # the facts tables end the same, but the facts loads differ in number.
            where = " WHERE kind <> 'facts'" if table == "load_runs" else ""
            found[table] = con.execute(
                f'SELECT {listed} FROM "{table}"{where} ORDER BY ALL'
            ).fetchall()
    return found


class AllUnderWay(SnapshotServer):
    """A site that answers its first request only once each of the sites sharing `started` has
    had one: the runs crawling them are then all under way at once, however late a machine's
    process starts on a busy host."""

    def __init__(self, started: threading.Barrier) -> None:
        super().__init__()
        self._started = started
        self._first = threading.Lock()

    def answer(self, raw_path: str, if_none_match: str | None = None) -> Response:
        if self._first.acquire(blocking=False):
            self._started.wait(timeout=300)
        return super().answer(raw_path, if_none_match)


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    with postgres_server() as server:
        yield server


def test_three_workers_load_three_sites_at_once_into_one_shared_lake(
    postgres: Postgres, prefect_home: Callable[[Path], Path], tmp_path: Path
) -> None:
    catalog = postgres.create_database("scale_out")
    shared = tmp_path / "shared-files"
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = _prefect_env(prefect_home(tmp_path / "prefect-home"), api)
    logs = tmp_path / "logs"
    logs.mkdir()
    with ExitStack() as stack:
        started = threading.Barrier(WORKERS)
        sites = [stack.enter_context(AllUnderWay(started)) for _ in range(WORKERS)]
        server_log = stack.enter_context((logs / "server.log").open("wb"))
        server = subprocess.Popen(
            [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=server_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        stack.callback(_stop, server)
        _wait(lambda: httpx.get(f"{api}/health", timeout=2).json() is True, "prefect server", 120)
        for command in (
            ["work-pool", "create", "newsflow", "--type", "process"],
            ["--no-prompt", "deploy", "--all"],
        ):
            done = subprocess.run(
                [BIN / "prefect", *command], env=env, cwd=REPO, capture_output=True, text=True,
                timeout=180,
            )  # fmt: skip
            assert done.returncode == 0, done.stdout + done.stderr
        machines = [tmp_path / f"machine-{n}" for n in range(1, WORKERS + 1)]
        for machine in machines:
            worker_env = {
                **env,
                "NEWSFLOW_CATALOG": catalog,
                "NEWSFLOW_LAKE_DATA": str(shared),
                "NEWSFLOW_WAREHOUSE": str(machine / "newsflow.ducklake"),
            }
            worker_log = stack.enter_context((logs / f"{machine.name}.log").open("wb"))
            machine.mkdir()
            # One flow run at a time per worker: three runs at once need all three machines.
            worker = subprocess.Popen(
                [BIN / "prefect", "worker", "start", "--pool", "newsflow", "--limit", "1"],
                env=worker_env, cwd=machine, stdout=worker_log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            stack.callback(_stop, worker)
        runs = _run_at_once(api, [site.base_url for site in sites])
        states = [(r.state.type.value, r.state.message) for r in runs]
        assert [s for s, _ in states] == ["COMPLETED"] * WORKERS, states
        # At the same time (every run started before any ended), so on three machines: each
        # worker takes one run at a time.
        assert max(r.start_time for r in runs) < min(r.end_time for r in runs)
        # `newsflow run` draws the facts after its ingest; on the pool that is the facts flow.
        facts = _run_at_once(api, [None], deployment="facts/facts")
        assert [r.state.type.value for r in facts] == ["COMPLETED"], facts[0].state

        # The same three runs one after the other, into a lake of the usual kind.
        # Their own Prefect home: robots.txt is a task cached for an hour in the result storage
        # there, and these runs must ask for it as the runs at once did.
        one_by_one = tmp_path / "one-by-one" / "newsflow.ducklake"
        reference_env = {**env, "PREFECT_HOME": str(tmp_path / "prefect-home-one-by-one")}
        for site in sites:
            done = subprocess.run(
                [BIN / "newsflow", "run", "--base-url", site.base_url, "--warehouse", one_by_one],
                env=reference_env, cwd=tmp_path, capture_output=True, text=True, timeout=600,
            )  # fmt: skip
            assert done.returncode == 0, done.stdout + done.stderr

    at_once, in_turn = _content(machines[0] / "newsflow.ducklake"), _content(one_by_one)
    assert sorted(at_once) == sorted(in_turn)
    for table in in_turn:
        assert at_once[table] == in_turn[table], table
    assert len(in_turn["articles"]) == 21 * WORKERS
    with connect(machines[0] / "newsflow.ducklake", read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchall() == [
            (21 * WORKERS, 21 * WORKERS)
        ]
        retries = con.execute(
            "SELECT count(*), sum(commit_retries) FROM load_runs WHERE kind = 'crawl'"
        ).fetchall()
    assert retries[0][0] == WORKERS
    FIGURES.append(
        f"scale-out: {WORKERS} ingests at once on {WORKERS} workers, "
        f"{retries[0][1]} commits retried after a conflict, lake equal to one after the other"
    )


def _run_at_once(api: str, sites: list[str | None], deployment: str = "ingest/ingest") -> list[Any]:
    """Start one run of `deployment` per site (None: its own settings) through the API at once;
    wait for all; the finished runs."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import FlowRun
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}):
        started: list[FlowRun] = [
            run_deployment(  # type: ignore[misc]
                deployment, parameters={"base_url": site} if site else {}, timeout=0
            )
            for site in sites
        ]
        with get_client(sync_client=True) as client:

            def finished() -> bool:
                states = [client.read_flow_run(r.id).state for r in started]
                return all(state is not None and state.is_final() for state in states)

            _wait(finished, "three ingests", 900)
            return [client.read_flow_run(r.id) for r in started]
