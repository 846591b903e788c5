"""`feed_items`: one row per URL seen in the feed, its text from the newest sighting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
from polars.testing import assert_frame_equal

from sources.records import FeedParse, FeedRow
from transforms.feed_items import feed_items
from transforms.feed_observations import ObservedFeed
from transforms.schemas import FEED_ITEMS

from .records import AFTER_DST_END, BEFORE_DST_END, SITE

PAGE = f"{SITE}/news"


def _row(position: int, slug: str, title: str, badge: str | None = None) -> FeedRow:
    return FeedRow(
        position, f"{SITE}/{slug}", title, None, badge, BEFORE_DST_END - timedelta(hours=1)
    )


def _seen(at: datetime, *rows: FeedRow, page: str = PAGE) -> ObservedFeed:
    return ObservedFeed(FeedParse(page, rows, None), at)


def test_the_newest_sighting_gives_the_text_and_the_span_covers_every_sighting() -> None:
    middle = datetime(2025, 10, 26, 0, 0, tzinfo=UTC)  # 03:00 EEST, the hour before the change
    pages = [
        _seen(middle, _row(0, "a", "Middle headline", "Exclusive")),
        _seen(AFTER_DST_END, _row(3, "a", "Newest headline"), _row(4, "b", "B")),
        _seen(BEFORE_DST_END, _row(0, "a", "Oldest headline"), _row(1, "c", "C")),
    ]
    expected = pl.DataFrame(
        {
            "url": [f"{SITE}/a", f"{SITE}/b", f"{SITE}/c"],
            "title": ["Newest headline", "B", "C"],
            "subtitle": [None, None, None],
            "badge": [None, None, None],
            "published_at": [datetime(2025, 10, 25, 20, 30, tzinfo=UTC)] * 3,
            "first_seen_at": [
                datetime(2025, 10, 25, 21, 30, tzinfo=UTC),
                datetime(2025, 10, 26, 2, 30, tzinfo=UTC),
                datetime(2025, 10, 25, 21, 30, tzinfo=UTC),
            ],
            "last_seen_at": [
                datetime(2025, 10, 26, 2, 30, tzinfo=UTC),
                datetime(2025, 10, 26, 2, 30, tzinfo=UTC),
                datetime(2025, 10, 25, 21, 30, tzinfo=UTC),
            ],
        },
        schema=FEED_ITEMS,
    )
    assert_frame_equal(feed_items(pages), expected)


def test_within_one_read_the_first_row_of_a_url_wins() -> None:
    page = _seen(BEFORE_DST_END, _row(0, "a", "First"), _row(1, "a", "Second", "Interview"))
    got = feed_items([page])
    assert got.select("url", "title", "badge").rows() == [(f"{SITE}/a", "First", None)]


def test_no_pages_give_an_empty_frame_of_the_contract() -> None:
    assert_frame_equal(feed_items([]), pl.DataFrame(schema=FEED_ITEMS))
    assert_frame_equal(feed_items([_seen(BEFORE_DST_END)]), pl.DataFrame(schema=FEED_ITEMS))
