"""`reparse` of a live run in which the generic reader stood in for Espreso's (its template gone):
the run is read again by the generic reader from the archive, only the articles not loaded by the
runs before it kept, and the rebuild is exactly the live tables, reader = 'generic' rows included."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from flows.reparse import reparse
from tests.integration.test_espreso_fallback import LATE, two_runs  # noqa: F401 (a fixture)
from tests.snapshot import rows

TABLES = (
    "articles", "article_tags", "article_related", "article_revisions", "feed_items", "feed_observations",
    "headline_sources", "fetch_log", "quarantine",
)  # fmt: skip
LOAD_RUNS = (
    "SELECT run_id, started_at, rows_in, rows_loaded, rows_quarantined, state FROM load_runs "
    "WHERE run_id NOT LIKE 'facts-%' ORDER BY ALL"
)
BY_READER = "SELECT outlet, reader, count(*) FROM articles GROUP BY ALL ORDER BY ALL"


def test_a_fallback_run_rebuilds_to_the_live_generic_rows(
    two_runs: tuple[str, Path, list[tuple[object, ...]]],  # noqa: F811 (the imported fixture)
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, live, before = two_runs
    assert rows(live, BY_READER) == [
        ("espreso", "espreso", len(before)),
        ("espreso", "generic", len(LATE)),
    ]
    rebuilt = tmp_path / "rebuilt.ducklake"
    with caplog.at_level(logging.WARNING):
        results = reparse(warehouse=str(rebuilt), raw_dir=str(live.parent / "raw"))
    assert isinstance(results, list)
    assert len(results) == 2
    assert rows(rebuilt, BY_READER) == [("espreso", "espreso", 16), ("espreso", "generic", 5)]
    for table in TABLES:
        original = rows(live, f"SELECT * FROM {table} ORDER BY ALL")
        assert rows(rebuilt, f"SELECT * FROM {table} ORDER BY ALL") == original, table
    assert rows(rebuilt, LOAD_RUNS) == rows(live, LOAD_RUNS)
    warnings = [r.getMessage() for r in caplog.records if "article template is gone" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "Espreso's article template is gone (layout checks article_pages.layout_headline_found, "
    )
    assert "5 new articles loaded with reader = 'generic'" in warnings[0]
    assert not [r for r in caplog.records if "stays out" in r.getMessage()]
