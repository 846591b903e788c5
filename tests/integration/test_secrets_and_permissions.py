"""No cookie or token the site sends ends up in logs, artifacts, the warehouse or the raw archive, and
the warehouse and archive files are readable by their owner only."""

from __future__ import annotations

import gzip
import stat
from pathlib import Path

import pytest

from bench.snapshot import ingest_snapshot
from sources.snapshot_server import SNAPSHOT_DIR, Response, SnapshotServer
from tests.snapshot import rows

SECRET = "SECRET-SESSION-7f3a9c"


def test_cookies_stay_out_and_files_are_private(
    prefect_harness: None, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    warehouse = tmp_path / "newsflow.duckdb"
    cookie = (("Set-Cookie", f"__cf_bm={SECRET}; Path=/; HttpOnly"),)
    feed = (SNAPSHOT_DIR / "news.html").read_bytes()
    with SnapshotServer(overrides={"/news": Response(200, feed, headers=cookie)}) as server:
        ingest_snapshot(server.base_url, warehouse)
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(21,)]
    assert SECRET not in caplog.text
    assert SECRET.encode() not in warehouse.read_bytes()
    warcs = sorted((tmp_path / "raw").glob("*.warc.gz"))
    assert warcs
    for warc in warcs:
        assert SECRET.encode() not in gzip.decompress(warc.read_bytes())
    assert rows(
        warehouse,
        f"SELECT count(*) FROM fetch_log WHERE error LIKE '%{SECRET}%' OR final_url LIKE '%{SECRET}%'",
    ) == [(0,)]
    for path in [warehouse, Path(f"{warehouse}.lock"), *warcs]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE((tmp_path / "raw").stat().st_mode) == 0o700


def test_a_readable_warehouse_is_made_private_when_opened(tmp_path: Path) -> None:
    from warehouse.connection import connect

    warehouse = tmp_path / "w.ducklake"
    with connect(warehouse):
        pass
    warehouse.chmod(0o644)  # as an older version, or a kill before the close, left it
    with connect(warehouse, read_only=True):
        assert stat.S_IMODE(warehouse.stat().st_mode) == 0o600
