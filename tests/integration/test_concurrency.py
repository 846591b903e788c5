"""Two runs started together (say, a scheduled one and a manual one) against one warehouse: both
finish, one load after the other, and the tables are those of a single run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli.run_commands import FACTS_CURRENT
from sources.snapshot_server import SnapshotServer
from tests.conftest import FIGURES
from tests.snapshot import content, rows

BIN = Path(sys.executable).parent


# Four at once (two at once is the same turn-taking with less contention, and cost CI 40 s).
@pytest.mark.parametrize("together", [4])
def test_runs_at_once_take_turns(
    together: int, snapshot_run: tuple[str, Path], prefect_api: str, tmp_path: Path
) -> None:
    warehouse = tmp_path / "newsflow.duckdb"
    with SnapshotServer() as server:
        runs = []
        for n in range(together):
            # The runs report to one running Prefect server, as a scheduled run and a manual one
            # do; each process its own Prefect home (its own task cache, robots.txt's among them).
            env = {
                **os.environ,
                "PREFECT_HOME": str(tmp_path / f"prefect-{n}"),
                "PREFECT_API_URL": prefect_api,
            }
            command = [
                str(BIN / "newsflow"),
                "run",
                "--base-url",
                server.base_url,
                "--warehouse",
                str(warehouse),
                "--lookback-days",
                "3650",
                "--min-interval",
                "0",
            ]
            runs.append(
                subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            )
        outputs = [run.communicate(timeout=300)[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0] * together, outputs
    assert all("Traceback" not in out for out in outputs), outputs
    assert rows(warehouse, "SELECT count(*), count(DISTINCT url) FROM articles") == [(21, 21)]
    assert rows(warehouse, "SELECT count(*) FROM feed_items") == [(18,)]
    # Each `newsflow run` is an ingest load, then a facts load unless another run's facts, drawn
    # after the last change, are current (it says so): the facts loads and those lines add up.
    drawn = together - sum(FACTS_CURRENT in out for out in outputs)
    assert drawn >= 1  # the run that loaded the articles first must draw their facts
    assert rows(
        warehouse,
        "SELECT run_id LIKE 'facts-%', count(*), count(DISTINCT run_id), count(*) FILTER (WHERE state = 'loaded') "
        "FROM load_runs GROUP BY ALL ORDER BY ALL",
    ) == [(False, together, together, together), (True, drawn, drawn, drawn)]
    # Whichever read the warehouse first, the upserts kept one row per key and no false revision.
    assert rows(warehouse, "SELECT count(*) FROM article_tags") == [(80,)]
    assert rows(warehouse, "SELECT count(*) FROM article_revisions") == [(0,)]
    assert content(warehouse) == content(snapshot_run[1])
    FIGURES.append(f"concurrent runs held: {together} / {together}")
