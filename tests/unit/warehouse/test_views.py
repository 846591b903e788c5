"""The analysts' views (warehouse/views.sql) over rows written by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from warehouse.connection import connect


def test_feed_dwell_and_freshness_minutes(tmp_path: Path) -> None:
    site = "https://global.espreso.tv"
    with connect(tmp_path / "w.duckdb") as con:
        # Page 1 read at 09:00, 09:10 and 09:40 UTC; page 2 once. "a" is in the top 10 at the first two reads
        # (10 + 30 minutes until the next read), "b" only at the last read (no later read: 0 minutes).
        con.execute(
            f"""INSERT INTO feed_observations VALUES
            ('2025-10-27 09:00:00+00', '{site}/news', 0, '{site}/a', 'espreso'),
            ('2025-10-27 09:00:00+00', '{site}/news', 11, '{site}/b', 'espreso'),
            ('2025-10-27 09:10:00+00', '{site}/news', 3, '{site}/a', 'espreso'),
            ('2025-10-27 09:40:00+00', '{site}/news', 12, '{site}/a', 'espreso'),
            ('2025-10-27 09:40:00+00', '{site}/news', 2, '{site}/b', 'espreso'),
            ('2025-10-27 09:41:00+00', '{site}/news?page=2', 0, '{site}/c', 'espreso')"""
        )
        con.execute(
            f"""INSERT INTO feed_items VALUES
            ('{site}/a', 'A', NULL, NULL, '2025-10-27 08:45:00+00', '2025-10-27 09:00:00+00', '2025-10-27 09:40:00+00', 'espreso'),
            ('{site}/b', 'B', NULL, NULL, '2025-10-27 08:59:00+00', '2025-10-27 09:00:00+00', '2025-10-27 09:40:00+00', 'espreso')"""
        )
        con.execute(
            f"""INSERT INTO articles VALUES ('{site}/a', 'espreso-global', 'a', NULL, NULL, 'A', NULL, NULL, NULL,
            '2025-10-27 08:45:00+00', NULL, 'x', 1, NULL, 'en', 'h', '2025-10-27 09:02:00+00', '2025-10-27 09:02:00+00',
            NULL, NULL, true, 'espreso', 'espreso')"""
        )
        dwell = con.execute(
            "SELECT url, best_position, minutes_in_top10, observations, first_seen_at, last_seen_at FROM v_feed_dwell ORDER BY url"
        ).fetchall()
        fresh = con.execute(
            "SELECT url, first_seen_at, minutes_to_first_seen FROM v_freshness"
        ).fetchall()
    assert dwell == [
        (
            f"{site}/a",
            0,
            40.0,
            3,
            datetime(2025, 10, 27, 9, 0, tzinfo=UTC),
            datetime(2025, 10, 27, 9, 40, tzinfo=UTC),
        ),
        (
            f"{site}/b",
            2,
            0.0,
            2,
            datetime(2025, 10, 27, 9, 0, tzinfo=UTC),
            datetime(2025, 10, 27, 9, 40, tzinfo=UTC),
        ),
        (
            f"{site}/c",
            None,
            0.0,
            1,
            datetime(2025, 10, 27, 9, 41, tzinfo=UTC),
            datetime(2025, 10, 27, 9, 41, tzinfo=UTC),
        ),
    ]
    # Seen in the feed (09:00) before the page was fetched (09:02): 15 minutes after publication.
    assert fresh == [(f"{site}/a", datetime(2025, 10, 27, 9, 0, tzinfo=UTC), 15)]
