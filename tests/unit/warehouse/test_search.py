"""The search index beside the lake: rebuilt after a load, on a connection that already has the
previous index attached, and searched there."""

from __future__ import annotations

from pathlib import Path

from warehouse.connection import connect
from warehouse.lake import search_index_path
from warehouse.search import ensure_search_index, search


def _article(con, slug: str, title: str) -> None:
    con.execute(
        "INSERT INTO articles (url, source, slug, title, published_at, body_text, word_count, "
        "content_hash, first_seen_at, fetched_at) VALUES (?, 'espreso', ?, ?, "
        "TIMESTAMPTZ '2025-10-27 09:00:00+00', ?, 3, ?, now(), now())",
        [f"https://global.espreso.tv/{slug}", slug, title, f"{title} body text", slug],
    )


def test_a_connection_with_an_index_attached_rebuilds_it_and_searches_the_new_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "w.ducklake"
    with connect(path) as con:
        _article(con, "drones", "Drones over Kharkiv")
        assert ensure_search_index(con, articles_changed=True)
    assert search_index_path(path).is_file()
    with connect(path) as con:  # opens with the index attached
        _article(con, "grain", "Grain corridor reopens")
        assert ensure_search_index(con, articles_changed=True)
        assert [hit.url for hit in search(con, "grain")] == ["https://global.espreso.tv/grain"]
        assert [hit.url for hit in search(con, "drones")] == ["https://global.espreso.tv/drones"]
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(2,)]
    with connect(path, read_only=True) as reader:
        assert [hit.title for hit in search(reader, "corridor")] == ["Grain corridor reopens"]


def test_a_missing_index_is_rebuilt_though_no_article_changed(tmp_path: Path) -> None:
    path = tmp_path / "w.ducklake"
    with connect(path) as con:
        _article(con, "drones", "Drones over Kharkiv")
        assert ensure_search_index(con, articles_changed=True)
        assert not ensure_search_index(con, articles_changed=False)  # there, and nothing changed
    search_index_path(path).unlink()
    with connect(path) as con:
        assert ensure_search_index(con, articles_changed=False)
        assert [hit.url for hit in search(con, "Kharkiv")] == ["https://global.espreso.tv/drones"]
    assert search_index_path(path).is_file()
