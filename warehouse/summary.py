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
class Freshness:
    """Minutes from an article's publication to newsflow's first sight of it, over the articles."""

    articles: int
    median_minutes: float
    longest_minutes: int


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts, time span and freshness of a warehouse."""

    articles: int
    feed_items: int
    first_published: datetime | None
    last_published: datetime | None
    badges: list[tuple[str, int]]
    failed_requests: int
    quarantined: int
    freshness: Freshness | None


def freshness(con: duckdb.DuckDBPyConnection, as_of: datetime | None = None) -> Freshness | None:
    """Median and longest time from publication to first sight (`v_freshness`), None without
    articles. With `as_of`, first sight is no later than that instant: the capture of a snapshot,
    which newsflow reads long after it was taken; the figures never depend on today."""
    row = con.execute(
        "SELECT count(*), median(m), max(m) FROM (SELECT date_diff('minute', published_at, "
        "least(first_seen_at, coalesce(CAST(? AS TIMESTAMPTZ), first_seen_at))) AS m FROM v_freshness)",
        [as_of],
    ).fetchone()
    if not row or not row[0]:
        return None
    return Freshness(int(row[0]), float(row[1]), int(row[2]))


def duration(minutes: float) -> str:
    """Minutes as a person says them: `45 min`, `5 h 20 min`, `212 days` (`-` before, when negative)."""
    rounded = round(minutes)
    sign, whole = "-" * (rounded < 0), abs(rounded)
    if whole < 60:
        return f"{sign}{whole} min"
    if whole < 48 * 60:
        hours, rest = divmod(whole, 60)
        return f"{sign}{hours} h {rest} min" if rest else f"{sign}{hours} h"
    return f"{sign}{round(whole / (24 * 60))} days"


def summarize(con: duckdb.DuckDBPyConnection, as_of: datetime | None = None) -> Summary:
    """Counts, publication span, badge mix and freshness of what the warehouse holds; `as_of` is
    the latest first sight can be (see `freshness`)."""
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
        freshness=freshness(con, as_of),
    )


def quarantined(
    con: duckdb.DuckDBPyConnection, limit: int = 50, site: str | None = None
) -> list[tuple[str, str, str, str]]:
    """The newest quarantined records: (Kyiv time, table, URL, reasons); with `site` (an
    outlet's base URL) only the records whose URL is on it (a record kept out of its table has
    no outlet column: its URL says where it came from)."""
    rows = con.execute(
        "SELECT strftime(timezone('Europe/Kyiv', quarantined_at), '%Y-%m-%d %H:%M'), table_name, "
        "coalesce(url, '-'), reasons FROM v_quarantine "
        "WHERE CAST(? AS VARCHAR) IS NULL OR url = ? OR starts_with(url, ? || '/') "
        "ORDER BY quarantined_at DESC, reasons = 'articles.row_quarantined', table_name, url LIMIT ?",
        [site, site, site, limit],
    ).fetchall()
    return [(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]
