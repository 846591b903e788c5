"""Queries on a warehouse built from the bundled snapshot: rows, and the content that does not
depend on when it ran. (The snapshot's ground truth is `sources.snapshot_expected`; ingesting it
is `bench.snapshot.ingest_snapshot`.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from warehouse.connection import connect


def rows(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of a query on a warehouse, opened read-only, instants in UTC."""
    with connect(warehouse, read_only=True) as con:
        return con.execute(sql).fetchall()


# Everything but the times of this run and the random port of the server.
CONTENT = {
    "articles": "SELECT slug, badge, title, lead, author, published_at, modified_at, body_text, word_count, content_hash FROM articles",
    "article_tags": "SELECT regexp_replace(url, '^http://[^/]+', ''), position, tag FROM article_tags",
    "article_related": "SELECT regexp_replace(url, '^http://[^/]+', ''), position, related_title FROM article_related",
    "feed_items": "SELECT regexp_replace(url, '^http://[^/]+', ''), title, subtitle, badge, published_at FROM feed_items",
    "headline_sources": "SELECT regexp_replace(url, '^http://[^/]+', ''), source, source_kind, claim FROM headline_sources",
}


def content(warehouse: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The warehouse's content that does not depend on when it ran or on the server's port."""
    return {table: rows(warehouse, f"{sql} ORDER BY ALL") for table, sql in CONTENT.items()}


# The crawled tables a rebuild must give row for row, and the load_runs columns that do not depend
# on when it ran (the facts runs are the rebuild's own).
CRAWLED_TABLES = (
    "articles", "article_tags", "article_related", "article_revisions", "feed_items",
    "feed_observations", "headline_sources", "fetch_log", "quarantine",
)  # fmt: skip
LOAD_RUNS = (
    "SELECT run_id, started_at, rows_in, rows_loaded, rows_quarantined, state FROM load_runs "
    "WHERE run_id NOT LIKE 'facts-%' ORDER BY ALL"
)
