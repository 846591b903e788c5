"""The table contract: `frame` gives exactly a schema's columns and dtypes."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from polars.testing import assert_frame_equal

from transforms.schemas import (
    ARTICLE_TAGS,
    FACT_KEYS,
    FACT_TABLES,
    FEED_OBSERVATIONS,
    KEYS,
    TABLES,
    frame,
)


def test_rows_become_the_contracts_columns_and_dtypes() -> None:
    got = frame(
        [
            {
                "observed_at": datetime(2025, 3, 30, 0, 30, tzinfo=UTC),
                "page_url": "p",
                "position": 2,
                "url": "u",
            }
        ],
        FEED_OBSERVATIONS,
    )
    assert got.schema == FEED_OBSERVATIONS
    assert got.schema["observed_at"] == pl.Datetime("us", "UTC")
    assert got.rows() == [(datetime(2025, 3, 30, 0, 30, tzinfo=UTC), "p", 2, "u")]
    assert_frame_equal(frame([], ARTICLE_TAGS), pl.DataFrame(schema=ARTICLE_TAGS))


def test_every_key_column_is_a_column_of_its_table() -> None:
    for table, key in {**KEYS, **FACT_KEYS}.items():
        names = {**TABLES, **FACT_TABLES}[table].names()
        assert set(key) <= set(names), table
