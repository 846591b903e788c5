"""The `outlets` deployment as people run it: a Prefect server (the session's), `newsflow serve` with an
outlets file (NEWSFLOW_OUTLETS_FILE) of two outlets on 127.0.0.1: `broken`, first, whose server
answers 500 to everything, and Espreso's snapshot. Triggered through the API, the broken outlet's
run fails, Espreso's still loads, and the run's summary says per outlet what happened.

Runs in CI; skip it locally with `pytest -m "not server"`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sources.snapshot_server import Response, SnapshotServer
from tests.integration.test_prefect_server import BIN, _deployment_names, _stop, _wait
from tests.snapshot import rows

pytestmark = pytest.mark.server
REPO = Path(__file__).resolve().parents[2]
ESPRESO_SITE = "https://global.espreso.tv"


def espreso_outlets_file(path: Path, espreso: str, before: str = "") -> Path:
    """An outlets file of the shipped Espreso outlet with its site at `espreso` (a local server),
    after the outlets of `before` (TOML text)."""
    shipped = (REPO / "sources" / "outlets.toml").read_text(encoding="utf-8")
    block = shipped.split("[outlets.espreso]", 1)[1].split("\n[outlets.", 1)[0]
    path.write_text(
        f"{before}[outlets.espreso]{block.replace(ESPRESO_SITE, espreso)}", encoding="utf-8"
    )
    return path


class AlwaysFailing(SnapshotServer):
    """A site whose every answer is a 500."""

    def answer(self, raw_path: str, if_none_match: str | None = None) -> Response:
        return Response(500, b"internal error", "text/plain")


@pytest.fixture(scope="module")
def outlets_run(
    prefect_api: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, str, Path, str]]:
    """(the triggered run, the API URL, the warehouse, the broken outlet's site). `newsflow
    serve` serves on the session's Prefect server: test_prefect_server proves `prefect server`
    with it."""
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    home = tmp_path_factory.mktemp("prefect-home")
    logs = tmp_path_factory.mktemp("logs")
    folder = tmp_path_factory.mktemp("outlets")
    warehouse = folder / "newsflow.duckdb"
    with SnapshotServer() as site, AlwaysFailing() as broken:
        env = {
            **os.environ,
            "PREFECT_HOME": str(home),
            "PREFECT_API_URL": prefect_api,
            "NEWSFLOW_OUTLETS_FILE": str(
                espreso_outlets_file(
                    folder / "outlets.toml",
                    site.base_url,
                    f'[outlets.broken]\nbase_url = "{broken.base_url}"\nreader = "generic"\n\n',
                )
            ),
            "NEWSFLOW_WAREHOUSE": str(warehouse),
            "NEWSFLOW_LOOKBACK_DAYS": "3650",
            "NEWSFLOW_MIN_INTERVAL_S": "0",
            "NEWSFLOW_BACKOFF_S": "0",
        }
        with (logs / "serve.log").open("wb") as serve_log:
            serve = subprocess.Popen(
                [BIN / "newsflow", "serve"], env=env, stdout=serve_log, stderr=subprocess.STDOUT
            )
            try:
                _wait(lambda: "outlets" in _deployment_names(prefect_api), "the deployments", 120)
                with temporary_settings({PREFECT_API_URL: prefect_api}):
                    run = run_deployment("ingest-outlets/outlets", timeout=300)
                yield run, prefect_api, warehouse, broken.base_url
            finally:
                _stop(serve)


def test_a_failing_outlet_never_stops_the_next(outlets_run: tuple[Any, str, Path, str]) -> None:
    run, _, warehouse, broken = outlets_run
    assert (run.state.type.value, run.state.message) == (
        "COMPLETED",
        f"1 of 2 outlets did not complete: broken (failed: robots.txt of {broken} could not be "
        "read (HTTP 500 (after 4 attempts)), so nothing may be fetched; the next run tries again.)",
    )
    assert rows(warehouse, "SELECT outlet, count(*) FROM articles GROUP BY outlet") == [
        ("espreso", 21)
    ]


def test_the_summary_says_per_outlet_what_happened(
    outlets_run: tuple[Any, str, Path, str],
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    run, api, _, _ = outlets_run
    with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id]))
        )
    (table,) = [a for a in artifacts if a.key == "ingest-outlets"]
    assert [(r["outlet"], r["state"]) for r in _table_rows(table.data)] == [
        ("broken", "FAILED"),
        ("espreso", "COMPLETED"),
    ]


def _table_rows(data: Any) -> list[dict[str, Any]]:
    import json

    parsed = json.loads(data) if isinstance(data, str) else data
    return list(parsed)
