"""`backfill` walks the feed and sitemaps back to a date and loads what it found in batches; stopped
half-way, the next call goes on from where it stopped instead of starting over."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from flows.backfill import BackfillResult, backfill
from sources.snapshot_expected import ARTICLES
from sources.snapshot_server import SnapshotServer
from tests.snapshot import rows


def test_backfill_resumes_where_it_stopped(prefect_harness: None, tmp_path: Path) -> None:
    warehouse = tmp_path / "newsflow.duckdb"
    window = [a["slug"] for a in ARTICLES if "2025-10-25" <= a["kyiv_date"] <= "2025-10-26"]
    assert len(window) == 14
    resumable = partial(
        backfill,
        since=date(2025, 10, 25),
        until=date(2025, 10, 26),
        warehouse=str(warehouse),
        batch_size=5,
        pages_per_batch=1,
        min_interval_s=0.0,
    )
    with SnapshotServer() as server:
        # Stopped after four loads: the sitemaps and feed page 1; page 2; page 3 (404: the feed ends); five articles.
        first = resumable(base_url=server.base_url, max_batches=4)
        first_requests = list(server.requests)
        server.seen.clear()
        second = resumable(base_url=server.base_url)
        second_requests = list(server.requests)
    assert first == BackfillResult(batches=4, articles_loaded=5, queued_left=9, feed_done=True)
    # robots.txt is read once (a cached task, an hour across batches and calls).
    assert first_requests[:6] == [
        "/robots.txt", "/sitemap.xml", "/sitemap_news_1.xml", "/news", "/news?page=2", "/news?page=3",
    ]  # fmt: skip
    assert len(first_requests) == 11
    # The second call walks nothing again: it fetches the nine queued articles, in two batches.
    assert second == BackfillResult(batches=2, articles_loaded=9, queued_left=0, feed_done=True)
    fetched = [p.lstrip("/") for p in second_requests if p != "/robots.txt"]
    assert len(fetched) == 9
    assert set(fetched).isdisjoint(p.lstrip("/") for p in first_requests)
    loaded = {row[0] for row in rows(warehouse, "SELECT slug FROM articles")}
    assert loaded == set(window)
    assert rows(warehouse, "SELECT count(*) FROM backfill_queue") == [(0,)]
    # That one robots.txt request is logged and archived with the first batch, like any answer.
    assert rows(
        warehouse,
        "SELECT run_id LIKE '%-0000', status, warc_file IS NOT NULL FROM fetch_log WHERE kind = 'robots'",
    ) == [(True, 200, True)]
    assert rows(warehouse, "SELECT next_page, feed_done, sitemap_done FROM backfill_progress") == [
        (4, True, True)
    ]
    # Nothing outside the window: 27 October and the March and July articles were left alone.
    assert rows(
        warehouse,
        "SELECT count(*) FROM articles WHERE published_at >= TIMESTAMPTZ '2025-10-26 22:00:00+00'",
    ) == [(0,)]
