"""`article_pages`: one row per fetched article page, with the template parts it had."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from sources.espreso.site import LAYOUT_PARTS
from sources.records import ArticleParse
from transforms.schemas import ARTICLE_PAGES, frame

# Fewer pages than this say nothing about the site's layout: one odd page must not block a run.
LAYOUT_MIN_PAGES = 3


def article_pages(parses: Sequence[ArticleParse]) -> pl.DataFrame:
    """The `article_pages` frame the layout checks read (never loaded); empty below
    `LAYOUT_MIN_PAGES` pages, where a page that lost its parts is only quarantined."""
    if len(parses) < LAYOUT_MIN_PAGES:
        return frame([], ARTICLE_PAGES)
    rows = [
        {"url": p.url, **{f"{part}_found": part in p.found for part in LAYOUT_PARTS}}
        for p in parses
    ]
    return frame(rows, ARTICLE_PAGES)
