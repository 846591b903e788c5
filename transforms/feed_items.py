"""`feed_items`: one row per URL seen in the "News" feed."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from transforms.feed_observations import ObservedFeed
from transforms.schemas import FEED_ITEMS, frame


def feed_items(pages: Sequence[ObservedFeed]) -> pl.DataFrame:
    """The `feed_items` frame: text from the newest sighting, first and last times seen."""
    rows = [
        {
            "url": row.url, "title": row.title, "subtitle": row.subtitle, "badge": row.badge,
            "published_at": row.published_at, "first_seen_at": page.observed_at,
            "last_seen_at": page.observed_at,
        }
        for page in pages
        for row in page.feed.rows
    ]  # fmt: skip
    return (
        frame(rows, FEED_ITEMS)
        .sort("last_seen_at", descending=True, maintain_order=True)
        .group_by("url", maintain_order=True)
        .agg(
            pl.col("title", "subtitle", "badge", "published_at").first(),
            pl.col("first_seen_at").min(),
            pl.col("last_seen_at").max(),
        )
        .select(FEED_ITEMS.names())
    )
