"""What the crawler reads back: URLs loaded or to retry, validators, feed rows, backfill progress."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from warehouse.connection import connect
from warehouse.state import (
    BackfillState,
    FeedRowState,
    article_urls,
    backfill_state,
    feed_row_states,
    last_validators,
    save_backfill_state,
    urls_to_retry,
)

T0 = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
SITE = "https://global.espreso.tv"


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with connect(tmp_path / "w.duckdb") as con:
        yield con


def _request(
    con: duckdb.DuckDBPyConnection,
    url: str,
    minutes: int,
    status: int | None = 200,
    etag: str | None = None,
    modified: str | None = None,
    error: str | None = None,
) -> None:
    con.execute(
        "INSERT INTO fetch_log (run_id, url, kind, requested_at, status, bytes, elapsed_ms, "
        "error, attempts, etag, last_modified) VALUES ('r', ?, 'article', ?, ?, 10, 1, ?, 1, ?, ?)",
        [url, T0 + timedelta(minutes=minutes), status, error, etag, modified],
    )


def _article(con: duckdb.DuckDBPyConnection, url: str) -> None:
    con.execute(
        "INSERT INTO articles VALUES (?, 'espreso-global', 'a', NULL, NULL, 'A', NULL, NULL, NULL, "
        "?, NULL, 'x', 1, NULL, 'en', 'h', ?, ?, NULL, NULL, true, 'espreso', 'espreso')",
        [url, T0, T0, T0],
    )


def test_urls_to_retry_are_the_unloaded_ones_with_tries_left(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _article(con, f"{SITE}/loaded")
    _request(con, f"{SITE}/loaded", 0)
    for minute in (1, 2, 3):
        _request(con, f"{SITE}/tried-thrice", minute, status=None, error="timeout")
    _request(con, f"{SITE}/later", 5, status=500)
    _request(con, f"{SITE}/earlier", 4, status=503)
    _request(con, f"{SITE}/earlier", 6, status=503)
    assert article_urls(con) == {f"{SITE}/loaded"}
    assert urls_to_retry(con) == [f"{SITE}/earlier", f"{SITE}/later"]
    assert urls_to_retry(con, max_attempts=4) == [
        f"{SITE}/tried-thrice",
        f"{SITE}/earlier",
        f"{SITE}/later",
    ]


def test_last_validators_come_from_the_latest_complete_answer(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _request(con, f"{SITE}/a", 0, etag='"1"', modified="Mon, 27 Oct 2025 08:00:00 GMT")
    _request(con, f"{SITE}/a", 5, etag='"2"', modified="Mon, 27 Oct 2025 09:00:00 GMT")
    _request(con, f"{SITE}/a", 9, status=None, etag='"3"', error="reset")
    _request(con, f"{SITE}/plain", 0)
    assert last_validators(con, [f"{SITE}/a", f"{SITE}/plain", f"{SITE}/unknown"]) == {
        f"{SITE}/a": ('"2"', "Mon, 27 Oct 2025 09:00:00 GMT")
    }
    assert last_validators(con, []) == {}


def test_feed_row_states(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"INSERT INTO feed_items VALUES ('{SITE}/a', 'A', NULL, 'Exclusive', ?, ?, ?, 'espreso'), "
        f"('{SITE}/b', 'B', 'sub', NULL, NULL, ?, ?, 'espreso')",
        [T0, T0, T0, T0, T0],
    )
    assert feed_row_states(con) == {
        f"{SITE}/a": FeedRowState("A", "Exclusive", T0),
        f"{SITE}/b": FeedRowState("B", None, None),
    }


def test_backfill_progress_round_trips_and_forgets_loaded_urls(
    con: duckdb.DuckDBPyConnection,
) -> None:
    since, until = date(2025, 10, 1), date(2025, 10, 7)
    fresh = backfill_state(con, since, until)
    assert fresh == BackfillState(since, until, 1, False, False, [])
    moved = BackfillState(since, until, 4, True, False, [])
    save_backfill_state(moved, add=[f"{SITE}/c", f"{SITE}/a", f"{SITE}/b"], done=[])(con)
    save_backfill_state(moved, add=[f"{SITE}/a"], done=[f"{SITE}/b"])(con)
    _article(con, f"{SITE}/c")  # loaded since: no longer queued
    assert backfill_state(con, since, until) == BackfillState(
        since, until, 4, True, False, [f"{SITE}/a"]
    )
    assert backfill_state(con, since, date(2025, 10, 8)).queued == []
