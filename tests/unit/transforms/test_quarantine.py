"""`quarantine`: one row per record kept out, as sorted JSON text, with its reasons."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import polars as pl
from polars.testing import assert_frame_equal

from transforms.quarantine import quarantine
from transforms.schemas import QUARANTINE

KYIV_WINTER = timezone(timedelta(hours=2))


def test_records_become_sorted_json_and_the_time_utc() -> None:
    at = datetime(2025, 10, 26, 4, 30, tzinfo=KYIV_WINTER)  # after the change: 02:30 UTC
    records: list[tuple[str, Mapping[str, Any], Iterable[str]]] = [
        ("articles", {"url": "https://global.espreso.tv/a", "problems": ["no headline"]}, ["parse: no headline"]),
        ("feed_items", {"title": "Поділитися", "at": datetime(2025, 3, 30, 1, 0, tzinfo=UTC)}, iter(())),
    ]  # fmt: skip
    expected = pl.DataFrame(
        {
            "table_name": ["articles", "feed_items"],
            "record": [
                '{"problems": ["no headline"], "url": "https://global.espreso.tv/a"}',
                '{"at": "2025-03-30 01:00:00+00:00", "title": "Поділитися"}',
            ],
            "reasons": [["parse: no headline"], []],
            "run_id": ["ingest-1", "ingest-1"],
            "quarantined_at": [datetime(2025, 10, 26, 2, 30, tzinfo=UTC)] * 2,
        },
        schema=QUARANTINE,
    )
    assert_frame_equal(quarantine("ingest-1", at, records), expected)
    assert_frame_equal(quarantine("ingest-1", at, []), pl.DataFrame(schema=QUARANTINE))
