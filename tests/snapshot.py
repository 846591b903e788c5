"""The bundled snapshot's ground truth (tests/data/snapshot_expected.json), written with the pages."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import duckdb

from sources.espreso.dates import kyiv_to_utc
from sources.snapshot_server import SNAPSHOT_DIR

MANIFEST: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "snapshot_expected.json").read_text(encoding="utf-8")
)
ARTICLES: list[dict[str, Any]] = MANIFEST["articles"]
LIVE = "https://global.espreso.tv"


def page_bytes(slug: str) -> bytes:
    """The raw bytes of one snapshot article page."""
    return (SNAPSHOT_DIR / "articles" / f"{slug}.html").read_bytes()


def kyiv_instant(item: dict[str, Any]) -> datetime:
    """The UTC instant of a manifest entry's Kyiv date and time."""
    return kyiv_to_utc(date.fromisoformat(item["kyiv_date"]), time.fromisoformat(item["kyiv_time"]))


def iso_utc(value: str | None) -> datetime | None:
    """An ISO instant with offset, in UTC."""
    return datetime.fromisoformat(value).astimezone(UTC) if value else None


def rows(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of a query on a warehouse file, opened read-only, instants in UTC."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql).fetchall()


def ingest_snapshot(base_url: str, warehouse: Path, **options: Any) -> Any:
    """The ingest flow against a snapshot server: whole sitemap, no pause between requests."""
    from flows.ingest import ingest

    settings: dict[str, Any] = {"lookback_days": 3650, "min_interval_s": 0.0, **options}
    return ingest(base_url=base_url, warehouse=str(warehouse), **settings)


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
