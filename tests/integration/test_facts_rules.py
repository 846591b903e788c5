"""`newsflow run` draws the facts again when the last facts load was drawn by other rules (a lake
an older newsflow wrote, an edited rule or gazetteer), and calls them current once these rules
have drawn them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from facts.version import rules_fingerprint
from flows.cli.run_commands import FACTS_CURRENT
from sources.snapshot_server import SnapshotServer
from tests.snapshot import rows
from warehouse.connection import connect
from warehouse.runs import RunKind, record_run

BIN = Path(sys.executable).parent
DRAWN = (
    "Facts from the news: loss_reports 0, strike_events 2, combat_reports 2, "
    "prisoner_exchanges 0, places 21, quarantined 0"
)


def _run(base_url: str, warehouse: Path, api: str, home: Path) -> str:
    done = subprocess.run(
        [BIN / "newsflow", "run", "--base-url", base_url, "--warehouse", warehouse,
         "--lookback-days", "3650", "--min-interval", "0"],
        env={**os.environ, "PREFECT_HOME": str(home), "PREFECT_API_URL": api},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_run_after_the_rules_changed_draws_the_facts_again(
    prefect_api: str, tmp_path: Path
) -> None:
    warehouse = tmp_path / "newsflow.ducklake"
    with SnapshotServer() as site:
        assert DRAWN in _run(site.base_url, warehouse, prefect_api, tmp_path / "prefect")
        # The last facts load drawn by other rules, as a lake an older newsflow wrote holds.
        with connect(warehouse) as con:
            record_run(con, "facts-by-older-rules", RunKind.FACTS, started_at=datetime.now(UTC),
                       finished_at=None, rows_in=0, rows_loaded=0, rows_quarantined=0,
                       rules="older-rules")  # fmt: skip
        again = _run(site.base_url, warehouse, prefect_api, tmp_path / "prefect")
        assert DRAWN in again and FACTS_CURRENT not in again
        assert FACTS_CURRENT in _run(site.base_url, warehouse, prefect_api, tmp_path / "prefect")
    current = rules_fingerprint()
    assert rows(
        warehouse, "SELECT rules FROM load_runs WHERE kind = 'facts' ORDER BY started_at"
    ) == [(current,), ("older-rules",), (current,)]
