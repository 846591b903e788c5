"""A real `prefect server` on a free loopback port: `newsflow serve` registers the deployments, a run
triggered through the API ingests the snapshot, and the UI shows the run and its summary.

Runs in CI; skip it locally with `pytest -m "not server"`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sources.snapshot_server import SnapshotServer
from tests.conftest import CHROMIUM_ARGS
from tests.snapshot import rows

pytestmark = pytest.mark.server
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait(check: object, what: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
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


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """A Prefect server and `newsflow serve` against the snapshot: (API URL, warehouse, log folder)."""
    home = tmp_path_factory.mktemp("prefect-home")
    logs = tmp_path_factory.mktemp("logs")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_UI_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    warehouse = tmp_path_factory.mktemp("served") / "newsflow.duckdb"
    with (
        (logs / "server.log").open("wb") as server_log,
        (logs / "serve.log").open("wb") as serve_log,
        SnapshotServer() as site,
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
                [BIN / "newsflow", "serve", "--base-url", site.base_url, "--warehouse", str(warehouse)],
                env=env, stdout=serve_log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                _wait(
                    lambda: (
                        _deployment_names(api)
                        == {"ingest", "backfill-nightly", "reparse", "facts", "official-losses"}
                    ),
                    "the served deployments",
                    120,
                )
                yield api, warehouse, logs
            finally:
                _stop(serve)
        finally:
            _stop(server)


@pytest.fixture(scope="module")
def triggered(served: tuple[str, Path, Path]) -> tuple[str, Path, object]:
    """One ingest run triggered through the API (no pause between requests), waited for."""
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api, warehouse, _ = served
    with temporary_settings({PREFECT_API_URL: api}):
        flow_run = run_deployment(
            "ingest/ingest", parameters={"min_interval_s": 0.0, "lookback_days": 3650}, timeout=300
        )
    return api, warehouse, flow_run


def test_a_triggered_run_completes_with_its_artifacts_and_rows(
    triggered: tuple[str, Path, object],
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api, warehouse, flow_run = triggered
    assert flow_run.state is not None and flow_run.state.is_completed(), flow_run.state  # type: ignore[attr-defined]
    assert flow_run.name.startswith("ingest ") and flow_run.name.endswith(" Kyiv")  # type: ignore[attr-defined]
    with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run.id]))
        )  # type: ignore[attr-defined]
    by_key = {a.key: a for a in artifacts}
    assert sorted(by_key) == ["ingest-counts", "ingest-summary", "quality-gate"]
    summary = str(by_key["ingest-summary"].data)
    assert "Loaded **21 articles** and **18 feed items**" in summary
    assert "No request failed." in summary
    assert rows(warehouse, "SELECT run_id FROM load_runs") == [(str(flow_run.id),)]  # type: ignore[attr-defined]
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(21,)]


def test_the_ui_shows_the_run_and_its_summary(
    triggered: tuple[str, Path, object], tmp_path: Path, chromium: Path
) -> None:
    from playwright.sync_api import sync_playwright

    api, _, flow_run = triggered
    ui = api.removesuffix("/api")
    screenshot = tmp_path / "prefect-run.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium),
            args=CHROMIUM_ARGS,
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{ui}/runs/flow-run/{flow_run.id}")  # type: ignore[attr-defined]
            page.get_by_text(flow_run.name).first.wait_for(timeout=60_000)  # type: ignore[attr-defined]
            page.get_by_text("Artifacts", exact=True).first.click()
            page.get_by_text("ingest-summary").first.wait_for(timeout=30_000)
            assert page.get_by_text("ingest-counts").count() >= 1
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert screenshot.stat().st_size > 20_000
