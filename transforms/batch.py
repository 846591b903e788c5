"""One run's batch: every warehouse table's frame, plus `article_pages` for the layout checks."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from sources.outlets import DEFAULT_OUTLET, Outlet, Reader
from sources.outlets import outlet as outlet_named
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
from transforms.schemas import of_batch


def default_outlet() -> Outlet:
    """The outlet a batch is of when none is named: Espreso, read as it always was."""
    return outlet_named(DEFAULT_OUTLET)


def batch_frames(
    run_id: str,
    found: Discovery,
    parsed: Parsed,
    now: datetime,
    outlet: Outlet | None = None,
    reader: Reader | None = None,
) -> dict[str, pl.DataFrame]:
    """The frames of one batch of an outlet (Espreso's by default), its pages read by `reader`
    (the outlet's by default); pages that did not parse go straight to `quarantine`. The layout
    checks' `article_pages` are the Espreso reader's only: another reader has no template."""
    site = outlet or default_outlet()
    read_by = reader or site.reader
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
    shaped = {
        "articles": articles(parsed.items, now, site.source),
        "article_tags": article_tags(parsed.items),
        "article_related": article_related(parsed.items),
        "feed_items": feed_items(feeds),
        "feed_observations": feed_observations(feeds),
        "headline_sources": headline_sources(headlines),
        "fetch_log": fetch_log(run_id, found.requests + parsed.requests),
        "quarantine": quarantine(run_id, now, unparsable),
    }
    values = {"outlet": site.name, "reader": read_by}
    frames = {name: of_batch(name, frame, values) for name, frame in shaped.items()}
    frames["article_pages"] = article_pages(parsed.pages if read_by == "espreso" else [])
    return frames
