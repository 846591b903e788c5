"""The crawler over runs: an edited article keeps its revision, every answer is in the WARC archive,
and `reparse` rebuilds the same warehouse from the archive alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from bench.snapshot import ingest_snapshot
from flows.cli import main
from flows.news_facts import facts
from flows.reparse import reparse
from sources.snapshot_expected import page_bytes
from sources.snapshot_server import SNAPSHOT_DIR, Response, SnapshotServer
from tests.snapshot import rows
from warehouse.connection import connect
from warehouse.search import search

KHARKIV = (
    "russia-ukraine-war-russia-struck-kharkiv-with-guided-bombs-17-injured-including-two-children"
)
OLD_LEAD = b"damaging a school, a supermarket and several high-rise buildings."
NEW_LEAD = b"damaging a school, a supermarket, a kindergarten and several high-rise buildings."
TABLES = (
    "articles", "article_tags", "article_related", "article_revisions", "feed_items", "feed_observations",
    "headline_sources", "fetch_log", "quarantine",
)  # fmt: skip
FACTS = ("loss_reports", "strike_events", "combat_reports", "prisoner_exchanges", "places")
# What the snapshot's 21 headlines and leads state.
FACT_ROWS = {
    "loss_reports": 0, "strike_events": 2, "combat_reports": 2, "prisoner_exchanges": 0, "places": 21,
}  # fmt: skip


def _edited_site() -> dict[str, Response]:
    """Kharkiv's article edited, and the feed showing it Updated at 11:58."""
    feed = (SNAPSHOT_DIR / "news.html").read_bytes()
    row = feed.index(f"/{KHARKIV}".encode())
    time_at = feed.index(b'<div class="main_time">11:40</div>', row)
    edited_row = b'<div class="main_time">11:58</div>\n<div class="mark-block">Updated</div>'
    feed = (
        feed[:time_at] + edited_row + feed[time_at + len(b'<div class="main_time">11:40</div>') :]
    )
    page = page_bytes(KHARKIV).replace(OLD_LEAD, NEW_LEAD)
    assert NEW_LEAD in page
    return {"/news": Response(200, feed), f"/{KHARKIV}": Response(200, page)}


@pytest.fixture(scope="module")
def three_runs(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path, list[list[str]]]:
    """Run 1 on the snapshot; run 2 after Kharkiv's article was edited; run 3 with nothing new."""
    warehouse = tmp_path_factory.mktemp("crawler") / "newsflow.duckdb"
    requests = []
    with SnapshotServer() as server:
        ingest_snapshot(server.base_url, warehouse)
        base = server.base_url
        requests.append(server.requests)
    for _ in range(2):
        with SnapshotServer(port=int(base.rsplit(":", 1)[1]), overrides=_edited_site()) as server:
            ingest_snapshot(server.base_url, warehouse)
            requests.append(server.requests)
    return base, warehouse, requests


def test_only_what_changed_is_fetched(three_runs: tuple[str, Path, list[list[str]]]) -> None:
    _, _, requests = three_runs
    assert len(requests[0]) == 28
    # robots.txt is cached for an hour: only the first run asks for it.
    assert requests[1] == ["/news", "/rss", "/sitemap.xml", f"/{KHARKIV}"]
    assert requests[2] == ["/news", "/rss", "/sitemap.xml"]


def test_an_edited_article_keeps_its_revision(
    three_runs: tuple[str, Path, list[list[str]]],
) -> None:
    base, warehouse, _ = three_runs
    url = f"{base}/{KHARKIV}"
    revisions = rows(
        warehouse, f"SELECT lead, content_hash FROM article_revisions WHERE url = '{url}'"
    )
    current = rows(
        warehouse,
        f"SELECT lead, content_hash, first_seen_at < fetched_at FROM articles WHERE url = '{url}'",
    )
    assert len(revisions) == 1
    assert str(revisions[0][0]).endswith(OLD_LEAD.decode())
    assert str(current[0][0]).endswith(NEW_LEAD.decode())
    assert current[0][1] != revisions[0][1]
    assert current[0][2] is True
    assert rows(warehouse, "SELECT count(*) FROM article_revisions") == [(1,)]
    assert (
        rows(warehouse, f"SELECT badge, published_at FROM feed_items WHERE url = '{url}'")[0][0]
        == "Updated"
    )


def test_every_request_is_in_the_archive(three_runs: tuple[str, Path, list[list[str]]]) -> None:
    _, warehouse, _ = three_runs
    log = rows(
        warehouse, "SELECT url, status, warc_file, warc_offset FROM fetch_log ORDER BY requested_at"
    )
    assert len(log) == 28 + 4 + 3
    raw = warehouse.parent / "raw"
    for url, status, file, offset in log:
        with (raw / str(file)).open("rb") as stream:
            stream.seek(int(str(offset)))
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Target-URI") == url
            assert int(record.http_headers.get_statuscode()) == status


def hit_urls(warehouse: Path, query: str) -> list[str]:
    """The URLs `search` finds for `query` in `warehouse`, best first."""
    with connect(warehouse, read_only=True) as con:
        return [hit.url for hit in search(con, query, limit=100)]


def test_reparse_rebuilds_the_same_warehouse(
    three_runs: tuple[str, Path, list[list[str]]], tmp_path: Path
) -> None:
    _, warehouse, _ = three_runs
    rebuilt = tmp_path / "rebuilt.duckdb"
    results = reparse(warehouse=str(rebuilt), raw_dir=str(warehouse.parent / "raw"))
    assert isinstance(results, list)
    assert len(results) == 3
    for table in TABLES:
        original = rows(warehouse, f"SELECT * FROM {table} ORDER BY ALL")
        assert rows(rebuilt, f"SELECT * FROM {table} ORDER BY ALL") == original, table
    # The rebuild draws the facts again: one facts load beside the three replayed ones.
    assert rows(rebuilt, "SELECT count(*) FROM load_runs WHERE run_id LIKE 'facts-%'") == [(1,)]
    assert rows(
        rebuilt,
        "SELECT run_id, started_at, rows_in, rows_loaded, rows_quarantined, state FROM load_runs WHERE run_id NOT LIKE 'facts-%' ORDER BY ALL",
    ) == rows(
        warehouse,
        "SELECT run_id, started_at, rows_in, rows_loaded, rows_quarantined, state FROM load_runs ORDER BY ALL",
    )
    # Its search index is of the rebuilt articles: the same hits, in the same order.
    for query in ("Pokrovsk", "drones"):
        assert hit_urls(rebuilt, query) == hit_urls(warehouse, query) != []
    # The CLI does the same.
    again = tmp_path / "cli.duckdb"
    assert main(["reparse", "--warehouse", str(again), "--raw", str(warehouse.parent / "raw")]) == 0
    assert rows(again, "SELECT count(*) FROM articles") == [(21,)]


def test_reparse_in_batches_across_processes_gives_the_same_tables(
    three_runs: tuple[str, Path, list[list[str]]], tmp_path: Path
) -> None:
    """Big runs are cut into batches and parsed in two worker processes; the tables are the same,
    and each batch is a load run of its own (`<run id>.<n>`)."""
    _, warehouse, _ = three_runs
    rebuilt = tmp_path / "batched.duckdb"
    results = reparse(
        warehouse=str(rebuilt), raw_dir=str(warehouse.parent / "raw"), batch_pages=5, workers=2
    )
    assert isinstance(results, list)
    first_run = rows(warehouse, "SELECT run_id FROM load_runs ORDER BY started_at LIMIT 1")[0][0]
    # The first run fetched 21 articles: 5 batches of at most 5; the other two runs fit in one.
    assert [r.run_id for r in results][:5] == [
        first_run,
        f"{first_run}.1",
        f"{first_run}.2",
        f"{first_run}.3",
        f"{first_run}.4",
    ]
    assert len(results) == 7
    for table in TABLES:
        if table in ("fetch_log", "load_runs"):
            continue
        original = rows(warehouse, f"SELECT * FROM {table} ORDER BY ALL")
        assert rows(rebuilt, f"SELECT * FROM {table} ORDER BY ALL") == original, table
    # The facts, drawn in the worker processes (in runs of articles), are those drawn in one.
    drawn = {table: rows(rebuilt, f"SELECT * FROM {table} ORDER BY ALL") for table in FACTS}
    assert {table: len(found) for table, found in drawn.items()} == FACT_ROWS
    # Drawn from the articles the swap gave the warehouse: current there.
    assert facts(warehouse=str(rebuilt))["articles"] == 0
    facts(warehouse=str(rebuilt), every=True)
    for table, in_workers in drawn.items():
        assert rows(rebuilt, f"SELECT * FROM {table} ORDER BY ALL") == in_workers, table
    # Every request is logged once, under its batch's run id.
    columns = "url, kind, status, requested_at, warc_file, warc_offset"
    assert rows(rebuilt, f"SELECT {columns} FROM fetch_log ORDER BY ALL") == rows(
        warehouse, f"SELECT {columns} FROM fetch_log ORDER BY ALL"
    )
    assert rows(rebuilt, "SELECT count(DISTINCT run_id) FROM fetch_log") == [(7,)]
