"""The deployments as people run them: a real `prefect server` on a free loopback port and
`newsflow serve --snapshot` (the bundled snapshot, settings from the environment); every deployment
triggered through the API, as the UI does, ends Completed and leaves the exact expected tables; a
`newsflow run` started from the CLI shows in that server; the UI shows a run and its summary.

Runs in CI; skip it locally with `pytest -m "not server"`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from flows.deployments import DEPLOYMENTS
from sources.snapshot_server import SnapshotServer
from tests.conftest import CHROMIUM_ARGS, REALDATA
from tests.snapshot import content, rows

pytestmark = pytest.mark.server
BIN = Path(sys.executable).parent
FACT_COUNTS = "SELECT (SELECT count(*) FROM strike_events), (SELECT count(*) FROM combat_reports), (SELECT count(*) FROM places), (SELECT count(*) FROM loss_reports), (SELECT count(*) FROM prisoner_exchanges)"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait(check: Callable[[], bool], what: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{what} not ready after {timeout_s:.0f} s")


def _deployment_names(api: str) -> set[str]:
    return {d["name"] for d in httpx.post(f"{api}/deployments/filter", json={}, timeout=5).json()}


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)  # `serve` ignores SIGINT
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class Served:
    """A Prefect server with newsflow's deployments served against the snapshot."""

    api: str
    warehouse: Path
    env: dict[str, str]
    logs: Path

    def run(self, deployment: str, **parameters: Any) -> Any:
        """Trigger a deployment through the API, as the UI's "Run" does, and wait for its end."""
        from prefect.deployments import run_deployment
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings({PREFECT_API_URL: self.api}):
            return run_deployment(deployment, parameters=parameters, timeout=300)


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, prefect_home: Callable[[Path], Path]
) -> Iterator[Served]:
    """`prefect server` and `newsflow serve --snapshot`, the warehouse set only by the environment."""
    home = prefect_home(tmp_path_factory.mktemp("prefect-home"))
    logs = tmp_path_factory.mktemp("logs")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    warehouse = tmp_path_factory.mktemp("served") / "newsflow.duckdb"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_UI_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "NEWSFLOW_WAREHOUSE": str(warehouse),
    }
    with (
        (logs / "server.log").open("wb") as server_log,
        (logs / "serve.log").open("wb") as serve_log,
    ):
        server = subprocess.Popen(
            [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait(
                lambda: httpx.get(f"{api}/health", timeout=2).json() is True, "prefect server", 120
            )
            serve = subprocess.Popen(
                [BIN / "newsflow", "serve", "--snapshot", "--port", str(_free_port())],
                env=env, stdout=serve_log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                _wait(
                    lambda: _deployment_names(api) == {d.name for d in DEPLOYMENTS},
                    "the served deployments",
                    120,
                )
                yield Served(api, warehouse, env, logs)
            finally:
                _stop(serve)
        finally:
            _stop(server)


@pytest.fixture(scope="module")
def triggered(served: Served) -> dict[str, Any]:
    """Every deployment triggered once with the parameters the UI shows (none changed), in the
    order a day brings them: ingest, facts, the official series, the nightly backfill and
    maintenance (whose warehouse is compared with the one before it); then reparse, likewise."""
    done = {}
    for name in (
        "ingest/ingest",
        "ingest-outlets/outlets",
        "facts/facts",
        "official-losses/official-losses",
        "backfill/backfill-nightly",
    ):
        done[name] = served.run(name)
    done["before maintenance"] = content(served.warehouse), rows(served.warehouse, FACT_COUNTS)
    done["maintenance/maintenance"] = served.run("maintenance/maintenance")
    done["before reparse"] = content(served.warehouse), rows(served.warehouse, FACT_COUNTS)
    done["reparse/reparse"] = served.run("reparse/reparse")
    return done


def test_every_deployment_completes_when_triggered(
    served: Served, triggered: dict[str, Any]
) -> None:
    runs = {name: run for name, run in triggered.items() if "/" in name}
    assert sorted(runs) == sorted(
        f"{d.entrypoint.rsplit(':', 1)[1].replace('_', '-')}/{d.name}" for d in DEPLOYMENTS
    )
    states = {name: (run.state.type.value, run.state.message) for name, run in runs.items()}
    assert all(state == "COMPLETED" for state, _ in states.values()), (
        states,
        (served.logs / "serve.log").read_text(),
    )
    # Named by their start in Kyiv time, like every run (reparse by its window).
    for name, run in runs.items():
        flow = name.split("/")[0]
        if flow == "reparse":
            assert run.name == "reparse all"
        elif flow == "backfill":
            assert run.name == "backfill last 2 days"
        else:
            assert run.name.startswith(f"{flow} ") and run.name.endswith(" Kyiv"), run.name


def test_served_runs_leave_the_exact_tables(served: Served, triggered: dict[str, Any]) -> None:
    warehouse = served.warehouse  # set by NEWSFLOW_WAREHOUSE alone: serve was given no --warehouse
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(21,)]
    assert rows(warehouse, "SELECT count(*) FROM feed_items") == [(18,)]
    # strikes, combat reports, places, loss reports, exchanges
    assert rows(warehouse, FACT_COUNTS) == [(2, 2, 21, 0, 0)]
    official = 22248 if REALDATA.is_dir() else 0
    assert rows(warehouse, "SELECT count(*) FROM official_losses") == [(official,)]
    assert rows(warehouse, "SELECT count(*) FROM quarantine") == [(0,)]


def test_maintenance_leaves_the_same_tables(served: Served, triggered: dict[str, Any]) -> None:
    assert triggered["before reparse"] == triggered["before maintenance"]


def test_reparse_rebuilds_the_same_warehouse_in_place(
    served: Served, triggered: dict[str, Any]
) -> None:
    before, facts_before = triggered["before reparse"]
    assert content(served.warehouse) == before
    assert rows(served.warehouse, FACT_COUNTS) == facts_before
    # The rebuilt file was swapped in: nothing of the build is left beside it.
    assert sorted(p.name for p in served.warehouse.parent.iterdir() if "rebuild" in p.name) == []


def test_a_parameter_wins_over_the_environment(served: Served, tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    run = served.run("ingest/ingest", warehouse=str(other))
    assert run.state.is_completed(), run.state
    assert rows(other, "SELECT count(*) FROM articles") == [(21,)]


def test_a_cli_run_shows_in_the_running_server(
    served: Served, triggered: dict[str, Any], tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName
    from prefect.settings import PREFECT_API_URL, temporary_settings

    env = {**served.env, "NEWSFLOW_PREFECT_SERVER": served.api.removesuffix("/api")}
    del env["PREFECT_API_URL"]
    with SnapshotServer() as site:
        done = subprocess.run(
            [BIN / "newsflow", "run", "--base-url", site.base_url, "--warehouse", str(tmp_path / "cli.duckdb"), "--lookback-days", "3650", "--min-interval", "0"],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"Runs show in the Prefect UI at {served.api.removesuffix('/api')}\n" in done.stdout
    with temporary_settings({PREFECT_API_URL: served.api}), get_client(sync_client=True) as client:
        named = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(name=FlowRunFilterName(like_=" Kyiv"))
        )
    by_flow = sorted({r.name.split(" ")[0] for r in named if r.state and r.state.is_completed()})
    # The deployments' runs (maintenance's among them) and the CLI's.
    assert by_flow == ["facts", "ingest", "ingest-outlets", "maintenance", "official-losses"]
    # The CLI's ingest and facts runs are there beside the deployments' runs (and the ingest runs
    # of the outlets deployment, each a subflow of its run).
    assert rows(
        tmp_path / "cli.duckdb", "SELECT run_id FROM load_runs WHERE run_id NOT LIKE 'facts-%'"
    ) == [
        (str(r.id),)
        for r in named
        if r.name.startswith("ingest ") and r.deployment_id is None and r.parent_task_run_id is None
    ]


def test_a_triggered_run_has_its_artifacts(served: Served, triggered: dict[str, Any]) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    flow_run = triggered["ingest/ingest"]
    with temporary_settings({PREFECT_API_URL: served.api}), get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run.id]))
        )
    by_key = {a.key: a for a in artifacts}
    assert by_key.keys() == {"ingest-counts", "ingest-summary", "quality-gate"}
    summary = str(by_key["ingest-summary"].data)
    assert "Loaded **21 articles** and **18 feed items**" in summary
    assert "No request failed." in summary


def test_the_ui_shows_the_run_and_its_summary(
    served: Served, triggered: dict[str, Any], tmp_path: Path, chromium: Path
) -> None:
    from playwright.sync_api import sync_playwright

    flow_run = triggered["ingest/ingest"]
    ui = served.api.removesuffix("/api")
    screenshot = tmp_path / "prefect-run.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{ui}/runs/flow-run/{flow_run.id}")
            page.get_by_text(flow_run.name).first.wait_for(timeout=60_000)
            page.get_by_text("Artifacts", exact=True).first.click()
            page.get_by_text("ingest-summary").first.wait_for(timeout=30_000)
            assert page.get_by_text("ingest-counts").count() >= 1
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert screenshot.stat().st_size > 20_000
