"""What the crawler reads back before it fetches: URLs already loaded or to retry, the last
validators and feed rows, and the saved progress of a backfill window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import duckdb


def article_urls(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every URL already in `articles`."""
    return {row[0] for row in con.execute("SELECT url FROM articles").fetchall()}


def urls_to_retry(con: duckdb.DuckDBPyConnection, max_attempts: int = 3) -> list[str]:
    """Article URLs requested before but never loaded, with fewer than `max_attempts` tries."""
    return [
        row[0]
        for row in con.execute(
            "SELECT url FROM fetch_log WHERE kind = 'article' AND url NOT IN (SELECT url FROM articles) "
            "GROUP BY url HAVING count(*) < ? ORDER BY min(requested_at), url",
            [max_attempts],
        ).fetchall()
    ]


@dataclass(frozen=True, slots=True)
class FeedRowState:
    """What the warehouse last recorded of a feed row: a change means the story moved or was updated."""

    title: str
    badge: str | None
    published_at: datetime | None


def feed_row_states(con: duckdb.DuckDBPyConnection) -> dict[str, FeedRowState]:
    """The stored headline, badge and time of every feed item."""
    rows = con.execute("SELECT url, title, badge, published_at FROM feed_items").fetchall()
    return {
        url: FeedRowState(title, badge, published_at) for url, title, badge, published_at in rows
    }


def last_validators(
    con: duckdb.DuckDBPyConnection, urls: list[str]
) -> dict[str, tuple[str | None, str | None]]:
    """The ETag and Last-Modified of each URL's latest complete answer, for conditional requests."""
    if not urls:
        return {}
    rows = con.execute(
        "SELECT url, arg_max(etag, requested_at), arg_max(last_modified, requested_at) FROM fetch_log "
        "WHERE status = 200 AND error IS NULL AND url IN (SELECT unnest(?)) GROUP BY url",
        [urls],
    ).fetchall()
    return {url: (etag, modified) for url, etag, modified in rows if etag or modified}


@dataclass(frozen=True, slots=True)
class BackfillState:
    """How far a backfill of a window has got, and what it still has to load."""

    since: date
    until: date
    next_page: int
    feed_done: bool
    sitemap_done: bool
    queued: list[str]


def backfill_state(con: duckdb.DuckDBPyConnection, since: date, until: date) -> BackfillState:
    """The saved progress of a window (a fresh start when there is none); queued URLs in order."""
    row = con.execute(
        "SELECT next_page, feed_done, sitemap_done FROM backfill_progress WHERE since = ? AND until = ?",
        [since, until],
    ).fetchone()
    queued = [
        r[0]
        for r in con.execute(
            "SELECT url FROM backfill_queue WHERE since = ? AND until = ? AND url NOT IN (SELECT url FROM articles) ORDER BY url",
            [since, until],
        ).fetchall()
    ]
    if row is None:
        return BackfillState(since, until, 1, False, False, queued)
    return BackfillState(since, until, int(row[0]), bool(row[1]), bool(row[2]), queued)


def save_backfill_state(
    state: BackfillState, add: list[str], done: list[str]
) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """A writer (for `load_batch(also=…)`) that saves progress, queues `add` and clears `done`."""

    def write(con: duckdb.DuckDBPyConnection) -> None:
        window = [state.since, state.until]
        con.execute("DELETE FROM backfill_progress WHERE since = ? AND until = ?", window)
        con.execute(
            "INSERT INTO backfill_progress VALUES (?, ?, ?, ?, ?, now())",
            [*window, state.next_page, state.feed_done, state.sitemap_done],
        )
        if add:
            # The lake holds no key: a URL already queued for the window is skipped here.
            con.execute(
                "INSERT INTO backfill_queue SELECT DISTINCT ?, ?, url FROM unnest(?) AS u(url) "
                "WHERE url NOT IN (SELECT url FROM backfill_queue WHERE since = ? AND until = ?)",
                [*window, add, *window],
            )
        if done:
            con.execute(
                "DELETE FROM backfill_queue WHERE since = ? AND until = ? AND url IN (SELECT unnest(?))",
                [state.since, state.until, done],
            )

    return write
