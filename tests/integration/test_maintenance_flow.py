"""The `maintenance` flow: what it did in its artifact and one log line, tables unchanged; on a
missing warehouse it ends Failed with one sentence and creates nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flows.maintenance import maintenance
from tests.unit.warehouse.test_maintenance import small_loads
from warehouse.connection import connect
from warehouse.export import warehouse_tables
from warehouse.maintenance import Maintenance
from warehouse.migrate import migrations


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with connect(path, read_only=True) as con:
        return {
            t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall()
            for t in warehouse_tables(con)
        }


def test_maintenance_reports_what_it_did_and_changes_no_table(
    prefect_harness: None, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    path = tmp_path / "w.ducklake"
    small_loads(path)
    # Each new migration adds a row to schema_migrations and a snapshot.
    migrated = len(migrations())
    snapshots = migrated + 1
    before = _tables(path)
    state = maintenance(warehouse=str(path), snapshot_retention_days=0, return_state=True)
    assert state.is_completed(), state
    done = state.result()
    assert isinstance(done, Maintenance)
    assert _tables(path) == before
    # Expired: the snapshots taken before the run started; its flush and merge are kept.
    assert (done.snapshots_before, done.snapshots_expired, done.snapshots_after) == (
        snapshots,
        snapshots,
        2,
    )
    assert (done.files_before, done.files_after, done.files_waiting) == (5, 11, 5)
    with get_client(sync_client=True) as client:
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
            )
        )
    assert artifact.key == "maintenance-summary"
    lines = str(artifact.data).splitlines()
    assert lines[:9] == [
        "# newsflow maintenance",
        "",
        f"Warehouse `{path}`, snapshots kept 0 days (`NEWSFLOW_SNAPSHOT_RETENTION_DAYS`).",
        "",
        "| what | before | after |",
        "|---|---|---|",
        f"| snapshots | {snapshots} | 2 |",
        "| Parquet files | 5 | 11 |",
        f"| bytes of Parquet | {done.bytes_before} | {done.bytes_after} |",
    ]
    assert lines[10:14] == [
        f"- rows flushed from the catalog to Parquet: {21 + migrated} (article_tags 10, "
        f"load_runs 5, load_turn 6, schema_migrations {migrated})",
        "- files merged: 5 into 1",
        lines[12],  # the instant: checked below
        "- files deleted: 0; left unneeded, for the next run: 5",
    ]
    assert lines[12].startswith("- snapshots expired (taken before ") and lines[12].endswith(
        f" Kyiv): {snapshots}"
    )


def test_a_missing_warehouse_fails_in_one_sentence(prefect_harness: None, tmp_path: Path) -> None:
    path = tmp_path / "none.ducklake"
    state = maintenance(warehouse=str(path), return_state=True)
    assert state.is_failed()
    assert state.message == f"There is no warehouse at {path} to maintain yet."
    assert sorted(tmp_path.iterdir()) == []
