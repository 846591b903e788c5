"""One run's batch: every warehouse table's frame, plus `article_pages` for the layout checks."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from sources.records import Discovery, Parsed
from transforms.article_pages import article_pages
from transforms.article_related import article_related
from transforms.article_tags import article_tags
from transforms.articles import articles
from transforms.feed_items import feed_items
from transforms.feed_observations import ObservedFeed, feed_observations
from transforms.fetch_log import fetch_log
from transforms.headline_sources import headline_sources
from transforms.quarantine import quarantine


def batch_frames(
    run_id: str, found: Discovery, parsed: Parsed, now: datetime
) -> dict[str, pl.DataFrame]:
    """The frames of one batch; pages that did not parse go straight to `quarantine`."""
    feeds = [ObservedFeed(feed, fetched.requested_at) for feed, fetched in found.feeds]
    unparsable = [
        (
            "articles",
            {"url": p.url, "problems": list(p.problems)},
            [f"parse: {x}" for x in p.problems],
        )
        for p in parsed.pages
        if p.article is None
    ]
    headlines = [(i.article.url, i.article.title) for i in parsed.items] + [
        (row.url, row.title) for feed, _ in found.feeds for row in feed.rows
    ]
    return {
        "articles": articles(parsed.items, now),
        "article_tags": article_tags(parsed.items),
        "article_related": article_related(parsed.items),
        "feed_items": feed_items(feeds),
        "feed_observations": feed_observations(feeds),
        "headline_sources": headline_sources(headlines),
        "fetch_log": fetch_log(run_id, found.requests + parsed.requests),
        "quarantine": quarantine(run_id, now, unparsable),
        "article_pages": article_pages(parsed.pages),
    }
