"""`feed_observations`: each row of each feed page each time it was read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from sources.records import FeedParse
from transforms.schemas import FEED_OBSERVATIONS, frame


@dataclass(frozen=True, slots=True)
class ObservedFeed:
    """A parsed feed page and when it was read."""

    feed: FeedParse
    observed_at: datetime


def feed_observations(pages: Sequence[ObservedFeed]) -> pl.DataFrame:
    """The `feed_observations` frame (key observed_at, page_url, position)."""
    rows = [
        {
            "observed_at": page.observed_at,
            "page_url": page.feed.page_url,
            "position": row.position,
            "url": row.url,
        }
        for page in pages
        for row in page.feed.rows
    ]
    return frame(rows, FEED_OBSERVATIONS).unique(
        subset=["observed_at", "page_url", "position"], keep="first", maintain_order=True
    )
