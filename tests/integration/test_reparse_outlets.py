"""`reparse` over an archive of two outlets' runs, as the live flow wrote it: Espreso's snapshot
and a generic outlet's real pages (tests/outlet_site.py). Each run is read again by its own
outlet's reader, and the rebuild is exactly the live tables; a run of an outlet no longer
configured is left out with one warning, never read by another outlet's reader."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bench.snapshot import ingest_snapshot
from flows.ingest import ingest
from flows.reparse import reparse
from sources.snapshot_server import SnapshotServer
from tests.outlet_site import OUTLET, outlet_site
from tests.snapshot import CRAWLED_TABLES, LOAD_RUNS, rows

BY_OUTLET = "SELECT outlet, reader, count(*) FROM articles GROUP BY ALL ORDER BY ALL"


@pytest.fixture(scope="module")
def two_outlets(
    prefect_harness: None, realdata: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """One warehouse (and its archive) loaded live by an Espreso run, then a generic outlet's."""
    folder = tmp_path_factory.mktemp("two-outlets")
    warehouse = folder / "w.ducklake"
    with SnapshotServer() as server:
        ingest_snapshot(server.base_url, warehouse)
    (folder / "empty").mkdir()
    with SnapshotServer(root=folder / "empty") as server:
        server.overrides |= outlet_site(server.base_url, realdata)
        ingest(outlet=OUTLET, base_url=server.base_url, warehouse=str(warehouse), min_interval_s=0)
    assert rows(warehouse, BY_OUTLET) == [("espreso", "espreso", 21), (OUTLET, "generic", 5)]
    return warehouse


def test_each_outlets_runs_rebuild_to_the_live_tables(two_outlets: Path, tmp_path: Path) -> None:
    # In two worker processes: each reads its runs with their outlet's reader.
    rebuilt = tmp_path / "rebuilt.ducklake"
    results = reparse(warehouse=str(rebuilt), raw_dir=str(two_outlets.parent / "raw"), workers=2)
    assert isinstance(results, list)
    assert len(results) == 2
    assert rows(rebuilt, BY_OUTLET) == [("espreso", "espreso", 21), (OUTLET, "generic", 5)]
    for table in CRAWLED_TABLES:
        original = rows(two_outlets, f"SELECT * FROM {table} ORDER BY ALL")
        assert rows(rebuilt, f"SELECT * FROM {table} ORDER BY ALL") == original, table
    assert rows(rebuilt, LOAD_RUNS) == rows(two_outlets, LOAD_RUNS)
    assert rows(rebuilt, "SELECT outlet, count(*) FROM fetch_log GROUP BY ALL ORDER BY ALL") == [
        ("espreso", 28),
        (OUTLET, 8),
    ]


def test_runs_of_an_outlet_no_longer_configured_are_left_out_with_one_warning(
    two_outlets: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bundled = (Path(__file__).parents[2] / "sources" / "outlets.toml").read_text()
    start = bundled.index(f"[outlets.{OUTLET}]")
    without = bundled[:start] + bundled[bundled.index("[outlets.", start + 1) :]
    (tmp_path / "outlets.toml").write_text(without)
    monkeypatch.setenv("NEWSFLOW_OUTLETS_FILE", str(tmp_path / "outlets.toml"))
    rebuilt = tmp_path / "rebuilt.ducklake"
    with caplog.at_level(logging.WARNING):
        results = reparse(warehouse=str(rebuilt), raw_dir=str(two_outlets.parent / "raw"))
    assert isinstance(results, list)
    assert len(results) == 1
    left_out = [
        r.getMessage() for r in caplog.records if "left out of the rebuild" in r.getMessage()
    ]
    assert left_out == [
        "Archived runs of outlets the outlets file no longer has are left out of the rebuild "
        f"('{OUTLET}': 1 runs): add the outlet back to the outlets file to rebuild its rows."
    ]
    assert rows(rebuilt, BY_OUTLET) == [("espreso", "espreso", 21)]
    for table in CRAWLED_TABLES:
        espreso = (
            "" if table in ("article_revisions", "quarantine") else " WHERE outlet = 'espreso'"
        )
        original = rows(two_outlets, f"SELECT * FROM {table}{espreso} ORDER BY ALL")
        assert rows(rebuilt, f"SELECT * FROM {table} ORDER BY ALL") == original, table
