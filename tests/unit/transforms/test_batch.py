"""`batch_frames`: one run's frames, each from the stage records it is made of."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from polars.testing import assert_frame_equal

from sources.records import (
    ArticleParse,
    Discovery,
    FeedParse,
    FeedRow,
    Fetched,
    LoggedFetch,
    Parsed,
)
from transforms.batch import batch_frames
from transforms.headline_sources import headline_sources
from transforms.schemas import ARTICLE_PAGES, TABLES

from .records import AFTER_DST_END, BEFORE_DST_END, SITE, fetched

RUN = datetime(2025, 10, 26, 6, 0, tzinfo=UTC)


def _answer(url: str, at: datetime) -> Fetched:
    return Fetched(url, at, 200, b"page", "utf-8", 10, None, url)


def test_every_table_from_its_records_and_unparsable_pages_quarantined() -> None:
    feed = _answer(f"{SITE}/news", BEFORE_DST_END)
    listed = FeedParse(
        f"{SITE}/news", (FeedRow(0, f"{SITE}/a", "Feed headline", None, None, None),), None
    )
    found = Discovery(feeds=[(listed, feed)], requests=[LoggedFetch(feed, "feed")])
    item = fetched("a", AFTER_DST_END)
    odd = ArticleParse(f"{SITE}/odd", None, ("no headline", "no body"), frozenset({"date_line"}))
    page = _answer(f"{SITE}/a", AFTER_DST_END)
    parsed = Parsed(
        items=[item],
        pages=[ArticleParse(f"{SITE}/a", item.article, (), frozenset({"headline"})), odd],
        requests=[LoggedFetch(page, "article")],
    )
    frames = batch_frames("ingest-7", found, parsed, RUN)

    assert set(frames) == {*TABLES, "article_pages"}
    assert {name: frames[name].schema for name in TABLES} == TABLES
    assert frames["articles"].select("url", "first_seen_at", "fetched_at").rows() == [
        (f"{SITE}/a", RUN, datetime(2025, 10, 26, 2, 30, tzinfo=UTC))
    ]
    assert frames["article_tags"].height == 2
    assert frames["article_related"].height == 1
    assert frames["feed_items"].select("url", "title", "first_seen_at").rows() == [
        (f"{SITE}/a", "Feed headline", datetime(2025, 10, 25, 21, 30, tzinfo=UTC))
    ]
    assert frames["feed_observations"]["observed_at"].to_list() == [BEFORE_DST_END]
    assert_frame_equal(
        frames["headline_sources"].drop("outlet"),
        headline_sources([(f"{SITE}/a", "Title of a"), (f"{SITE}/a", "Feed headline")]),
    )
    # Every row says its outlet; the articles, their reader.
    outlets = {n: frames[n]["outlet"].unique().to_list() for n in TABLES if n != "quarantine"}
    assert outlets == {n: ["espreso"] if frames[n].height else [] for n in outlets}
    assert frames["articles"].height == 1
    assert frames["articles"]["reader"].to_list() == ["espreso"]
    assert frames["fetch_log"].select("run_id", "url", "kind").rows() == [
        ("ingest-7", f"{SITE}/news", "feed"),
        ("ingest-7", f"{SITE}/a", "article"),
    ]
    assert frames["quarantine"].drop("quarantined_at").rows() == [
        (
            "articles",
            '{"problems": ["no headline", "no body"], "url": "https://global.espreso.tv/odd"}',
            ["parse: no headline", "parse: no body"],
            "ingest-7",
        )
    ]
    assert frames["quarantine"]["quarantined_at"].to_list() == [RUN]
    # Two pages are too few to judge the layout by.
    assert_frame_equal(frames["article_pages"], pl.DataFrame(schema=ARTICLE_PAGES))
