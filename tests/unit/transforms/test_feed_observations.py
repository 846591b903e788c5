"""`feed_observations`: every row of every feed page each time it was read, once per key."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from polars.testing import assert_frame_equal

from sources.records import FeedParse, FeedRow
from transforms.feed_observations import ObservedFeed, feed_observations
from transforms.schemas import FEED_OBSERVATIONS

from .records import AFTER_DST_END, BEFORE_DST_END, SITE


def _row(position: int, slug: str) -> FeedRow:
    return FeedRow(position, f"{SITE}/{slug}", slug.upper(), None, None, None)


def test_one_row_per_read_page_and_position_the_first_one_kept() -> None:
    pages = [
        ObservedFeed(FeedParse(f"{SITE}/news", (_row(0, "a"), _row(1, "b")), None), BEFORE_DST_END),
        # The same page read again at the same instant: its rows are the same keys.
        ObservedFeed(FeedParse(f"{SITE}/news", (_row(0, "x"),), None), BEFORE_DST_END),
        ObservedFeed(FeedParse(f"{SITE}/news?page=2", (_row(0, "c"),), None), BEFORE_DST_END),
        ObservedFeed(FeedParse(f"{SITE}/news", (_row(0, "b"),), None), AFTER_DST_END),
    ]
    before = datetime(2025, 10, 25, 21, 30, tzinfo=UTC)
    expected = pl.DataFrame(
        {
            "observed_at": [before, before, before, datetime(2025, 10, 26, 2, 30, tzinfo=UTC)],
            "page_url": [f"{SITE}/news", f"{SITE}/news", f"{SITE}/news?page=2", f"{SITE}/news"],
            "position": [0, 1, 0, 0],
            "url": [f"{SITE}/a", f"{SITE}/b", f"{SITE}/c", f"{SITE}/b"],
        },
        schema=FEED_OBSERVATIONS,
    )
    assert_frame_equal(feed_observations(pages), expected)
    assert_frame_equal(feed_observations([]), pl.DataFrame(schema=FEED_OBSERVATIONS))
