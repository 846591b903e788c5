"""The ingest process killed with SIGKILL at random moments: after each kill the warehouse opens and
is sound (no half-loaded batch), the archive stays readable, and one normal run afterwards gives the
tables an uninterrupted run gives. CI kills a few times; `make test-slow` twenty."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sources.archive import read_runs
from sources.snapshot_server import SnapshotServer
from tests.conftest import FIGURES
from tests.snapshot import content
from warehouse.db import connect, integrity_problems

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow
KILLS = int(os.environ.get("NEWSFLOW_CRASH_KILLS", "3"))


def _run(base_url: str, warehouse: Path, home: Path) -> subprocess.Popen[bytes]:
    command = [
        BIN / "newsflow",
        "run",
        "--base-url",
        base_url,
        "--warehouse",
        str(warehouse),
        "--lookback-days",
        "3650",
        "--min-interval",
        "0.1",
    ]
    env = {**os.environ, "PREFECT_HOME": str(home)}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _children(pid: int) -> list[int]:
    """The processes `pid` started (its temporary Prefect server), from /proc."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in children.read_text().split()] if children.exists() else []


def test_sigkill_at_random_moments_loses_nothing(
    snapshot_run: tuple[str, Path], tmp_path: Path
) -> None:
    _, reference = snapshot_run
    warehouse = tmp_path / "newsflow.duckdb"
    chance = random.Random(20251027)
    survived = 0
    with SnapshotServer() as server:
        for kill in range(KILLS):
            run = _run(server.base_url, warehouse, tmp_path / f"prefect-{kill}")
            assert run.stdout is not None
            # Wait for the flow to begin (Prefect's temporary server takes seconds), then kill at a
            # random moment of fetching, parsing, the gate or the load.
            for line in run.stdout:
                if b"Beginning flow run" in line:
                    break
            time.sleep(chance.uniform(0.0, 6.0))
            helpers = _children(run.pid)
            run.send_signal(signal.SIGKILL)
            run.wait()
            # The killed run cannot stop its own temporary Prefect server: this test does.
            for pid in helpers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
            run.stdout.close()
            if warehouse.exists():
                with connect(warehouse) as con:
                    assert integrity_problems(con) == []
            list(read_runs(tmp_path / "raw"))  # readable, torn last records skipped
            survived += 1
        final = _run(server.base_url, warehouse, tmp_path / "prefect-final")
        output = final.communicate(timeout=300)[0].decode()
    assert final.returncode == 0, output
    assert "Traceback" not in output
    FIGURES.append(
        f"SIGKILLs survived / tried: {survived} / {KILLS}; rows lost after the next run: 0"
    )
    with connect(warehouse) as con:
        assert integrity_problems(con) == []
    assert content(warehouse) == content(reference)
