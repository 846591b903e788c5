"""What a warehouse holds, in a few numbers, and queries worth trying on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

EXAMPLE_QUERIES: tuple[tuple[str, str], ...] = (
    (
        "Newest articles, in Kyiv time",
        "SELECT timezone('Europe/Kyiv', published_at) AS kyiv_time, badge, title\n"
        "FROM articles ORDER BY published_at DESC LIMIT 10;",
    ),
    (
        "Articles per badge",
        "SELECT coalesce(badge, '(none)') AS badge, count(*) AS articles\n"
        "FROM articles GROUP BY ALL ORDER BY articles DESC;",
    ),
    (
        "Most used tags",
        "SELECT tag, count(*) AS articles FROM article_tags\n"
        "WHERE position > 0 GROUP BY tag ORDER BY articles DESC, tag LIMIT 10;",
    ),
)


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts and time span of a warehouse."""

    articles: int
    feed_items: int
    first_published: datetime | None
    last_published: datetime | None
    badges: list[tuple[str, int]]
    failed_requests: int
    quarantined: int


def summarize(con: duckdb.DuckDBPyConnection) -> Summary:
    """Counts, publication span and badge mix of what the warehouse holds."""
    articles, first, last = con.execute(
        "SELECT count(*), min(published_at), max(published_at) FROM articles"
    ).fetchone() or (0, None, None)
    feed = con.execute("SELECT count(*) FROM feed_items").fetchone()
    badges = con.execute(
        "SELECT coalesce(badge, '(none)'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    failed = con.execute("SELECT count(*) FROM fetch_log WHERE error IS NOT NULL").fetchone()
    held = con.execute("SELECT count(*) FROM quarantine").fetchone()
    return Summary(
        articles=articles,
        feed_items=feed[0] if feed else 0,
        first_published=first,
        last_published=last,
        badges=[(str(b), int(n)) for b, n in badges],
        failed_requests=failed[0] if failed else 0,
        quarantined=held[0] if held else 0,
    )


def quarantined(con: duckdb.DuckDBPyConnection, limit: int = 50) -> list[tuple[str, str, str, str]]:
    """The newest quarantined records: (Kyiv time, table, URL, reasons)."""
    rows = con.execute(
        "SELECT strftime(timezone('Europe/Kyiv', quarantined_at), '%Y-%m-%d %H:%M'), table_name, "
        "coalesce(url, '-'), reasons FROM v_quarantine ORDER BY quarantined_at DESC, reasons = 'articles.row_quarantined', table_name, url LIMIT ?",
        [limit],
    ).fetchall()
    return [(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]
