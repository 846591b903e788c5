"""The whole flow, under Prefect, against the snapshot served over real HTTP, into a real DuckDB file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.ingest import ingest
from sources.snapshot_expected import ARTICLES
from sources.snapshot_server import SnapshotServer
from tests.snapshot import rows
from warehouse.connection import connect
from warehouse.lake import copy_lake

ENTITY_TABLES = ("articles", "article_tags", "article_related", "feed_items")


def _run(base_url: str, warehouse: Path) -> None:
    ingest(
        base_url=base_url, warehouse=str(warehouse), pages=3, lookback_days=3650, min_interval_s=0.0
    )


def _table(warehouse: Path, table: str, drop: tuple[str, ...] = ()) -> list[tuple[object, ...]]:
    with connect(warehouse, read_only=True) as con:
        columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] not in drop]
    return rows(warehouse, f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL")


@pytest.fixture
def first_run(snapshot_run: tuple[str, Path]) -> tuple[str, Path]:
    return snapshot_run


def test_row_counts(first_run: tuple[str, Path]) -> None:
    _, warehouse = first_run
    counts = {
        t: rows(warehouse, f"SELECT count(*) FROM {t}")[0][0]
        for t in (*ENTITY_TABLES, "feed_observations", "fetch_log", "load_runs", "quarantine")
    }
    assert counts == {
        "articles": 21,
        "article_tags": 80,
        "article_related": 36,
        "feed_items": 18,
        "feed_observations": 18,
        # /robots.txt, /news, ?page=2, ?page=3 (404, the end), /rss, /sitemap.xml, sitemap_news_1.xml, 21 articles
        "fetch_log": 28,
        "load_runs": 1,
        "quarantine": 0,
    }
    assert counts["articles"] == len(ARTICLES)


def test_article_values(first_run: tuple[str, Path]) -> None:
    base, warehouse = first_run
    found = rows(
        warehouse,
        "SELECT url, source, slug, section, badge, title, author, published_at, modified_at, word_count, language "
        "FROM articles WHERE slug IN ('russia-ukraine-war-explosions-reported-in-bryansk-fuel-depot-on-fire', "
        "'world-about-ukraine-denmark-to-host-first-ukrainian-arms-factory-abroad') ORDER BY published_at",
    )
    assert found == [
        (
            f"{base}/world-about-ukraine-denmark-to-host-first-ukrainian-arms-factory-abroad", "espreso-global",
            "world-about-ukraine-denmark-to-host-first-ukrainian-arms-factory-abroad", "World about Ukraine", None,
            "Denmark to host first Ukrainian arms factory abroad", "Olena Kovalchuk",
            datetime(2025, 10, 25, 18, 15, tzinfo=UTC), None, 37, "en",
        ),
        (
            f"{base}/russia-ukraine-war-explosions-reported-in-bryansk-fuel-depot-on-fire", "espreso-global",
            "russia-ukraine-war-explosions-reported-in-bryansk-fuel-depot-on-fire", "Russia-Ukraine war", "Updated",
            "Explosions reported in Bryansk: fuel depot on fire", "Taras Melnyk",
            datetime(2025, 10, 25, 22, 30, tzinfo=UTC), datetime(2025, 10, 26, 4, 50, 41, tzinfo=UTC), 58, "en",
        ),
    ]  # fmt: skip
    badges = rows(
        warehouse, "SELECT coalesce(badge, '-'), count(*) FROM articles GROUP BY ALL ORDER BY ALL"
    )
    assert badges == [
        ("-", 11),
        ("Company news", 1),
        ("Exclusive", 3),
        ("Interview", 1),
        ("OPINION", 2),
        ("Review", 1),
        ("Updated", 2),
    ]
    junk = rows(
        warehouse,
        "SELECT count(*) FROM articles WHERE body_text LIKE '%list_title%' OR lead LIKE '%client/%'",
    )
    assert junk == [(0,)]


def test_tags_related_and_feed_values(first_run: tuple[str, Path]) -> None:
    base, warehouse = first_run
    kovalenko = f"{base}/russia-ukraine-war-russia-is-stockpiling-missiles-for-a-massive-winter-strike-says-military-expert-kovalenko"
    assert rows(
        warehouse,
        f"SELECT position, tag, tag_url FROM article_tags WHERE url = '{kovalenko}' ORDER BY position",
    ) == [
        (0, "News", f"{base}/news"),
        (1, "missiles", f"{base}/missiles"),
        (2, "air defense", f"{base}/air-defense"),
        (3, "energy", f"{base}/energy"),
    ]
    assert rows(
        warehouse,
        f"SELECT position, related_url FROM article_related WHERE url = '{kovalenko}' ORDER BY position",
    ) == [
        (
            0,
            f"{base}/economics-ukraines-energy-ministry-warns-of-scheduled-power-outages-in-five-regions-on-monday",
        ),
        (1, f"{base}/opinion-why-europes-patience-with-the-kremlin-is-running-out"),
        (2, f"{base}/world-about-ukraine-zelensky-arrives-in-oslo-for-talks-with-nordic-leaders"),
    ]
    oslo = rows(
        warehouse,
        "SELECT title, subtitle, badge, published_at FROM feed_items WHERE url LIKE '%zelensky-arrives-in-oslo%'",
    )
    assert oslo == [
        (
            "Zelensky arrives in Oslo for talks with Nordic leaders",
            "Air defense and long-range capabilities top the agenda",
            None,
            datetime(2025, 10, 27, 7, 10, tzinfo=UTC),
        )
    ]
    pages = rows(
        warehouse,
        "SELECT page_url, count(*), min(position), max(position) FROM feed_observations GROUP BY ALL ORDER BY ALL",
    )
    assert pages == [(f"{base}/news", 12, 0, 11), (f"{base}/news?page=2", 6, 0, 5)]
    top = rows(
        warehouse,
        f"SELECT url FROM feed_observations WHERE page_url = '{base}/news' AND position = 0",
    )
    assert top == [
        (
            f"{base}/russia-ukraine-war-russia-struck-kharkiv-with-guided-bombs-17-injured-including-two-children",
        )
    ]
    log = rows(
        warehouse,
        "SELECT kind, status, error FROM fetch_log WHERE kind <> 'article' ORDER BY requested_at, url",
    )
    assert sorted(log, key=str) == sorted(
        [
            ("robots", 200, None),
            ("feed", 200, None),
            ("feed", 200, None),
            ("feed", 404, None),
            ("rss", 200, None),
            ("sitemap", 200, None),
            ("sitemap", 200, None),
        ],
        key=str,
    )
    assert rows(
        warehouse,
        "SELECT count(*) FROM fetch_log WHERE kind = 'article' AND status = 200 AND error IS NULL",
    ) == [(21,)]


def test_second_run_changes_nothing(first_run: tuple[str, Path], tmp_path: Path) -> None:
    base, warehouse = first_run
    copy = tmp_path / "again.duckdb"
    copy_lake(warehouse, copy)
    before = {t: _table(copy, t) for t in ENTITY_TABLES}
    seen_before = _table(copy, "feed_items", drop=("last_seen_at",))
    with SnapshotServer(port=int(base.rsplit(":", 1)[1])) as server:
        _run(server.base_url, copy)
        # Nothing new: feed page 1, and RSS and the sitemap index asked conditionally (robots.txt is cached).
        assert server.requests == ["/news", "/rss", "/sitemap.xml"]
        assert [s.headers.get("If-None-Match") is not None for s in server.seen] == [
            False,
            True,
            True,
        ]
    for table in ("articles", "article_tags", "article_related"):
        assert _table(copy, table) == before[table]
    # The feed items were seen again: only last_seen_at moves.
    assert _table(copy, "feed_items", drop=("last_seen_at",)) == seen_before
    assert rows(copy, "SELECT kind, status FROM fetch_log WHERE run_id = (SELECT run_id FROM load_runs ORDER BY started_at DESC LIMIT 1) ORDER BY requested_at") == [
        ("feed", 200), ("rss", 304), ("sitemap", 304),
    ]  # fmt: skip
    assert rows(copy, "SELECT count(*), count(DISTINCT run_id) FROM load_runs") == [(2, 2)]
