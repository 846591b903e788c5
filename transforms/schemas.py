"""The warehouse contract as Polars schemas: each shaped frame is checked against its table's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl
from polars._typing import PolarsDataType

UTC_TS = pl.Datetime("us", "UTC")


def _schema(columns: Mapping[str, PolarsDataType]) -> pl.Schema:
    return pl.Schema(columns)


ARTICLES = _schema(
    {
        "url": pl.String, "source": pl.String, "slug": pl.String, "section": pl.String,
        "badge": pl.String, "title": pl.String, "lead": pl.String, "author": pl.String,
        "author_url": pl.String, "published_at": UTC_TS, "modified_at": UTC_TS,
        "body_text": pl.String, "word_count": pl.Int32, "image_url": pl.String,
        "language": pl.String, "content_hash": pl.String, "first_seen_at": UTC_TS,
        "fetched_at": UTC_TS, "authors": pl.List(pl.String), "published_local": pl.Datetime("us"),
        "zone_stated": pl.Boolean,
    }
)  # fmt: skip
ARTICLE_TAGS = _schema(
    {"url": pl.String, "position": pl.Int32, "tag": pl.String, "tag_url": pl.String}
)
ARTICLE_RELATED = _schema(
    {"url": pl.String, "position": pl.Int32, "related_url": pl.String, "related_title": pl.String}
)
FEED_ITEMS = _schema(
    {
        "url": pl.String, "title": pl.String, "subtitle": pl.String, "badge": pl.String,
        "published_at": UTC_TS, "first_seen_at": UTC_TS, "last_seen_at": UTC_TS,
    }
)  # fmt: skip
FEED_OBSERVATIONS = _schema(
    {"observed_at": UTC_TS, "page_url": pl.String, "position": pl.Int32, "url": pl.String}
)
FETCH_LOG = _schema(
    {
        "run_id": pl.String, "url": pl.String, "kind": pl.String, "requested_at": UTC_TS,
        "status": pl.Int32, "bytes": pl.Int64, "elapsed_ms": pl.Int32, "error": pl.String,
        "attempts": pl.Int32, "final_url": pl.String, "etag": pl.String, "last_modified": pl.String,
        "warc_file": pl.String, "warc_offset": pl.Int64, "failure": pl.String,
    }
)  # fmt: skip
HEADLINE_SOURCES = _schema(
    {"url": pl.String, "source": pl.String, "source_kind": pl.String, "claim": pl.String}
)
QUARANTINE = _schema(
    {
        "table_name": pl.String, "record": pl.String, "reasons": pl.List(pl.String),
        "run_id": pl.String, "quarantined_at": UTC_TS,
    }
)  # fmt: skip
# Not a warehouse table: which template parts each fetched article page had (for the layout checks).
ARTICLE_PAGES = _schema(
    {
        "url": pl.String,
        "headline_found": pl.Boolean,
        "date_line_found": pl.Boolean,
        "body_found": pl.Boolean,
    }
)

# What a whole batch shares, after each table's own columns: which outlet its rows came from
# and, for articles, which reader read them (`transforms.batch` sets them).
BATCH_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("reader", "outlet"),
    "article_tags": ("outlet",),
    "article_related": ("outlet",),
    "feed_items": ("outlet",),
    "feed_observations": ("outlet",),
    "headline_sources": ("outlet",),
    "fetch_log": ("outlet",),
    "quarantine": (),
}
_SHAPED: dict[str, pl.Schema] = {
    "articles": ARTICLES,
    "article_tags": ARTICLE_TAGS,
    "article_related": ARTICLE_RELATED,
    "feed_items": FEED_ITEMS,
    "feed_observations": FEED_OBSERVATIONS,
    "headline_sources": HEADLINE_SOURCES,
    "fetch_log": FETCH_LOG,
    "quarantine": QUARANTINE,
}
# The warehouse tables' columns: each transform's frame, then the batch's columns.
TABLES: dict[str, pl.Schema] = {
    name: _schema({**shaped, **dict.fromkeys(BATCH_COLUMNS[name], pl.String)})
    for name, shaped in _SHAPED.items()
}
KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("url",),
    "article_tags": ("url", "position"),
    "article_related": ("url", "position"),
    "feed_items": ("url",),
    "feed_observations": ("observed_at", "page_url", "position"),
    "headline_sources": ("url",),
}


# Facts drawn from the news, and the official series they are checked against (`facts` flow).
OFFICIAL_LOSSES = _schema(
    {
        "day": pl.Date, "category": pl.String, "cumulative": pl.Int64, "daily": pl.Int64,
        "source": pl.String, "loaded_at": UTC_TS,
    }
)  # fmt: skip
_STATED: dict[str, PolarsDataType] = {"url": pl.String, "stated_at": UTC_TS}
# Where an article states a fact: `fields` lists the fields stating it, in the order
# ["title", "lead"]; `rule` and `sentence` are the first statement's (the headline's when the
# headline states it), `lead_sentence` the lead's when the headline states it too.
FIELDS = pl.List(pl.String)
_EXPLAINED: dict[str, PolarsDataType] = {
    "fields": FIELDS,
    "rule": pl.String,
    "sentence": pl.String,
    "lead_sentence": pl.String,
}
# The gazetteer entry (`facts.places`) a strike's place or a combat report's direction names.
_GAZETTEER: dict[str, PolarsDataType] = {
    "geonameid": pl.Int64,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
}
LOSS_REPORTS = _schema(
    {
        **_STATED, "report_date": pl.Date, "category": pl.String, "count": pl.Int64,
        "basis": pl.String, "official": pl.Int64, **_EXPLAINED,
    }
)  # fmt: skip
STRIKE_EVENTS = _schema(
    {
        **_STATED, "seq": pl.Int32, "place": pl.String, **_GAZETTEER, "place_text": pl.String,
        "weapon": pl.String, "killed": pl.Int32, "injured": pl.Int32, "event_date": pl.Date,
        **_EXPLAINED,
    }
)  # fmt: skip
COMBAT_REPORTS = _schema(
    {
        **_STATED, "seq": pl.Int32, "direction": pl.String, **_GAZETTEER,
        "direction_text": pl.String, "counted": pl.String, "count": pl.Int32,
        "event_date": pl.Date, **_EXPLAINED,
    }
)  # fmt: skip
PRISONER_EXCHANGES = _schema(
    {
        **_STATED, "seq": pl.Int32, "kind": pl.String, "count": pl.Int32, "side": pl.String,
        "event_date": pl.Date, **_EXPLAINED,
    }
)  # fmt: skip
PLACES = _schema(
    {
        "url": pl.String, "fields": FIELDS, "start": pl.Int32, "name": pl.String,
        "place": pl.String, "kind": pl.String, "country": pl.String, "geonameid": pl.Int64,
        "latitude": pl.Float64, "longitude": pl.Float64, "precision": pl.String, "rule": pl.String,
    }
)  # fmt: skip
# Every fact carries the outlet of the article stating it (NULL for none: never guessed), last.
FACT_TABLES: dict[str, pl.Schema] = {
    name: _schema({**shaped, "outlet": pl.String})
    for name, shaped in {
        "loss_reports": LOSS_REPORTS,
        "strike_events": STRIKE_EVENTS,
        "combat_reports": COMBAT_REPORTS,
        "prisoner_exchanges": PRISONER_EXCHANGES,
        "places": PLACES,
    }.items()
}

# A fact's identity: what it states. Statements with equal keys are one fact (one row naming
# every field that states it); different figures are different facts. Loss reports and places
# have these as primary keys; strike, combat and exchange rows are numbered per version (`seq`,
# their primary key with url and stated_at) since a weapon, toll or direction may be NULL, and
# their suites check the identity (`key_unique`). A place's kind is part of it: an oblast is
# placed at its centre's geonameid, a direction at its town's.
FACT_KEYS: dict[str, tuple[str, ...]] = {
    "loss_reports": ("url", "stated_at", "report_date", "category", "basis", "count"),
    "strike_events": (
        "url", "stated_at", "place", "geonameid", "weapon", "killed", "injured", "event_date",
    ),
    "combat_reports": (
        "url", "stated_at", "direction", "geonameid", "counted", "count", "event_date",
    ),
    "prisoner_exchanges": ("url", "stated_at", "kind", "side", "count", "event_date"),
    "places": ("url", "kind", "geonameid"),
}  # fmt: skip


def of_batch(table: str, shaped: pl.DataFrame, values: Mapping[str, str | None]) -> pl.DataFrame:
    """A transform's frame with the batch's columns of its table (`BATCH_COLUMNS`) added."""
    return shaped.with_columns(
        pl.lit(values[c], dtype=pl.String).alias(c) for c in BATCH_COLUMNS[table]
    )


def frame(rows: Sequence[Mapping[str, object]], schema: pl.Schema) -> pl.DataFrame:
    """Rows → a frame with exactly the contract's columns and dtypes (empty rows give an empty frame)."""
    return pl.DataFrame(rows, schema=schema)
