"""A warehouse as an older newsflow left it, for the tests of moving forward."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.file_warehouse import file_warehouse_at

T0 = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def warehouse_at_6(tmp_path: Path) -> Path:
    """A warehouse as migration 6 left it, with one load of every kind newsflow wrote then."""
    path = tmp_path / "w6.duckdb"
    with file_warehouse_at(path, 6) as con:
        runs = [
            # (run id, rows in, requests logged under it)
            ("20251027T090000-ab12", 3, 2),  # a crawl
            ("bench-000001", 2, 1),  # the benchmark's archive, replayed: requests logged
            ("bench-fill", 5, 0),  # the benchmark's made-up frames
            ("facts-20251027T091000000000", 4, 0),
            ("official-20251027T092000000000", 6, 0),  # from the bundled copy
            ("official-20251027T093000000000", 8, 2),  # fetched
            ("20251027T094000-cd34", 0, 0),  # a crawl that found nothing
        ]
        for run_id, rows_in, requests in runs:
            con.execute(
                "INSERT INTO load_runs VALUES (?, ?, ?, ?, ?, 0, 'loaded')",
                [run_id, T0, T0, rows_in, rows_in],
            )
            for n in range(requests):
                con.execute(
                    "INSERT INTO fetch_log (run_id, url, kind, requested_at, status, bytes, "
                    "elapsed_ms, attempts) VALUES (?, ?, 'feed', ?, 200, 10, 1, 1)",
                    [run_id, f"https://global.espreso.tv/news?page={n + 1}", T0],
                )
    return path
