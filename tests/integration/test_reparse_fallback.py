"""`reparse` of a live run in which the generic reader stood in for Espreso's (its template gone):
the run is read again by the generic reader from the archive, only the articles not loaded by the
runs before it kept, and the rebuild is exactly the live tables, reader = 'generic' rows included."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from flows.reparse import reparse
from sources.snapshot_expected import ARTICLES
from sources.snapshot_server import SNAPSHOT_DIR, Response, SnapshotServer
from tests.integration.test_espreso_fallback import LATE, _renamed, _run
from tests.snapshot import CRAWLED_TABLES, LOAD_RUNS, rows

BY_READER = "SELECT outlet, reader, count(*) FROM articles GROUP BY ALL ORDER BY ALL"
# A loaded article whose feed headline changes: the fallback run fetches it again, and leaves it.
UPDATED = "Zelensky arrives in Oslo for talks with Nordic leaders"
UPDATED_SLUG = "world-about-ukraine-zelensky-arrives-in-oslo-for-talks-with-nordic-leaders"


@pytest.fixture
def live_fallback(prefect_harness: None, tmp_path: Path) -> Path:
    """A warehouse loaded live by an Espreso run (the `LATE` pages busy), then by a run that
    finds the article template renamed: the generic reader stands in for its new pages."""
    warehouse = tmp_path / "w.ducklake"
    late = {f"/{a['slug']}" for a in LATE}
    with SnapshotServer(overrides={p: Response(503, b"busy") for p in late}) as server:
        _run(server, warehouse)
    news = (SNAPSHOT_DIR / "news.html").read_bytes()
    assert news.count(UPDATED.encode()) == 1
    everything = {f"/{a['slug']}": Response(200, _renamed(a["slug"])) for a in ARTICLES} | {
        "/news": Response(200, news.replace(UPDATED.encode(), f"{UPDATED}, again".encode())),
        "/news?page=2": Response(200, (SNAPSHOT_DIR / "news-page-2.html").read_bytes()),
    }
    with SnapshotServer(port=int(server.base_url.rsplit(":", 1)[1]), overrides=everything) as again:
        _run(again, warehouse)
    return warehouse


def test_a_fallback_run_rebuilds_to_the_live_tables(
    live_fallback: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    refetched = (
        f"SELECT count(*) FROM fetch_log WHERE kind = 'article' AND url LIKE '%/{UPDATED_SLUG}'"
    )
    assert rows(live_fallback, refetched) == [(2,)]
    live_rows = [("espreso", "espreso", len(ARTICLES) - len(LATE)), ("espreso", "generic", 5)]
    assert rows(live_fallback, BY_READER) == live_rows
    rebuilt = tmp_path / "rebuilt.ducklake"
    with caplog.at_level(logging.WARNING):
        results = reparse(warehouse=str(rebuilt), raw_dir=str(live_fallback.parent / "raw"))
    assert isinstance(results, list)
    assert len(results) == 2
    assert rows(rebuilt, BY_READER) == live_rows
    assert rows(rebuilt, f"SELECT reader FROM articles WHERE url LIKE '%/{UPDATED_SLUG}'") == [
        ("espreso",)
    ]
    for table in CRAWLED_TABLES:
        original = rows(live_fallback, f"SELECT * FROM {table} ORDER BY ALL")
        assert rows(rebuilt, f"SELECT * FROM {table} ORDER BY ALL") == original, table
    assert rows(rebuilt, LOAD_RUNS) == rows(live_fallback, LOAD_RUNS)
    said = [r.getMessage() for r in caplog.records if "article template is gone" in r.getMessage()]
    assert len(said) == 1
    assert said[0].startswith(
        "Espreso's article template is gone (layout checks article_pages.layout_headline_found, "
    )
    assert "5 new articles loaded with reader = 'generic'" in said[0]
    assert not [r for r in caplog.records if "stays out" in r.getMessage()]
