"""`prefect.yaml` as people use it: a real `prefect server`, a process work pool, `prefect deploy
--all` and one `prefect worker`. The deployments' parameters are empty, so every setting comes
from the worker's `NEWSFLOW_*` environment; each deployment triggered through the API completes.

Runs in CI; skip it locally with `pytest -m "not server"`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from flows.deployments import DEPLOYMENTS
from flows.settings import OFFICIAL_BUNDLED_DIR
from sources.general_staff import EQUIPMENT, PERSONNEL
from sources.snapshot_server import Response, SnapshotServer
from tests.integration.test_outlets_deployment import espreso_outlets_file
from tests.integration.test_prefect_server import BIN, _free_port, _stop, _wait
from tests.snapshot import rows

pytestmark = pytest.mark.server
REPO = Path(__file__).resolve().parents[2]


def _official_files() -> dict[str, Response]:
    """The General Staff data set served at /data/ (from the bundled copy, when it is there)."""
    if not OFFICIAL_BUNDLED_DIR.is_dir():
        return {}
    return {
        f"/data/{name}": Response(
            200, (OFFICIAL_BUNDLED_DIR / name).read_bytes(), "application/json"
        )
        for name in (PERSONNEL, EQUIPMENT)
    }


@pytest.fixture(scope="module")
def pool(
    tmp_path_factory: pytest.TempPathFactory, prefect_home: Callable[[Path], Path]
) -> Iterator[tuple[str, Path, str]]:
    """(API URL, warehouse, site URL): a server, the `newsflow` pool, prefect.yaml deployed, a
    worker whose environment alone points newsflow at a snapshot server and a warehouse."""
    home = prefect_home(tmp_path_factory.mktemp("prefect-home"))
    logs = tmp_path_factory.mktemp("logs")
    warehouse = tmp_path_factory.mktemp("pool") / "newsflow.duckdb"
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    with SnapshotServer(overrides=_official_files()) as site:
        env = {
            **os.environ,
            "PREFECT_HOME": str(home),
            "PREFECT_API_URL": api,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "NEWSFLOW_BASE_URL": site.base_url,
            "NEWSFLOW_WAREHOUSE": str(warehouse),
            "NEWSFLOW_LOOKBACK_DAYS": "3650",
            "NEWSFLOW_MIN_INTERVAL_S": "0",
            "NEWSFLOW_OFFICIAL_URL": f"{site.base_url}/data",
            # The outlets deployment reads each outlet at its own site: Espreso's is the snapshot.
            "NEWSFLOW_OUTLETS_FILE": str(
                espreso_outlets_file(logs / "outlets.toml", site.base_url)
            ),
        }
        with (
            (logs / "server.log").open("wb") as server_log,
            (logs / "worker.log").open("wb") as worker_log,
        ):
            server = subprocess.Popen(
                [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                env=env, stdout=server_log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                _wait(
                    lambda: httpx.get(f"{api}/health", timeout=2).json() is True,
                    "prefect server",
                    120,
                )
                for command in (
                    ["work-pool", "create", "newsflow", "--type", "process"],
                    ["--no-prompt", "deploy", "--all"],
                ):
                    done = subprocess.run(
                        [BIN / "prefect", *command], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
                    )  # fmt: skip
                    assert done.returncode == 0, done.stdout + done.stderr
                worker = subprocess.Popen(
                    [BIN / "prefect", "worker", "start", "--pool", "newsflow"],
                    env=env, cwd=tmp_path_factory.mktemp("elsewhere"), stdout=worker_log, stderr=subprocess.STDOUT,
                )  # fmt: skip
                try:
                    yield api, warehouse, site.base_url
                finally:
                    _stop(worker)
            finally:
                _stop(server)


def _run(api: str, name: str) -> Any:
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api}):
        return run_deployment(name, timeout=300)


def test_every_prefect_yaml_deployment_completes_on_a_worker(
    pool: tuple[str, Path, str],
) -> None:
    api, warehouse, site = pool
    order = [
        "ingest",
        "outlets",
        "facts",
        "official-losses",
        "backfill-nightly",
        "maintenance",
        "reparse",
    ]
    assert sorted(order) == sorted(d.name for d in DEPLOYMENTS)
    flows = {d.name: d.entrypoint.rsplit(":", 1)[1].replace("_", "-") for d in DEPLOYMENTS}
    states = {}
    for name in order:
        run = _run(api, f"{flows[name]}/{name}")
        states[name] = (run.state.type.value, run.state.message)
    assert {name: state for name, (state, _) in states.items()} == dict.fromkeys(
        order, "COMPLETED"
    ), states
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(21,)]
    assert rows(warehouse, "SELECT count(*) FROM places") == [(21,)]
    if OFFICIAL_BUNDLED_DIR.is_dir():
        # Fetched over HTTP from NEWSFLOW_OFFICIAL_URL, archived and logged; kept by reparse.
        assert rows(warehouse, "SELECT count(*) FROM official_losses") == [(22248,)]
        assert rows(
            warehouse,
            "SELECT url, status, warc_file IS NOT NULL FROM fetch_log WHERE kind = 'official' ORDER BY url",
        ) == [
            (f"{site}/data/{EQUIPMENT}", 200, True),
            (f"{site}/data/{PERSONNEL}", 200, True),
        ]
