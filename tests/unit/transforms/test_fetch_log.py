"""`fetch_log`: one row per request, its outcome, and only valid validators."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from polars.testing import assert_frame_equal

from sources.records import Fetched, LoggedFetch
from transforms.fetch_log import fetch_log
from transforms.schemas import FETCH_LOG

from .records import AFTER_DST_END, BEFORE_DST_END, SITE


def test_one_row_per_request_with_its_error_and_valid_validators_only() -> None:
    ok = Fetched(
        url=f"{SITE}/a", requested_at=BEFORE_DST_END, status=200, body=b"<html>12345</html>",
        encoding="utf-8", elapsed_ms=120, error=None, final_url=f"{SITE}/a", attempts=2,
        headers=(("ETag", '"v1"'), ("Last-Modified", "Sat, 25 Oct 2025 21:00:00 GMT"),
                 ("Content-Type", "text/html; charset=utf-8")),
    )  # fmt: skip
    absent = Fetched(
        url=f"{SITE}/rss", requested_at=AFTER_DST_END, status=404, body=b"", encoding=None,
        elapsed_ms=7, error="HTTP 404", final_url=f"{SITE}/rss",
        headers=(("ETag", "not quoted"),),
    )  # fmt: skip
    requests = [
        LoggedFetch(ok, "article", problem="no lead", warc_file="run.warc.gz", warc_offset=512),
        LoggedFetch(absent, "rss", expected_absent=True),
        LoggedFetch(absent, "article"),
    ]
    got = fetch_log("ingest-1", requests)
    bad_etag = "bad header: ETag dropped (not a quoted entity tag)"
    expected = pl.DataFrame(
        {
            "run_id": ["ingest-1"] * 3,
            "url": [f"{SITE}/a", f"{SITE}/rss", f"{SITE}/rss"],
            "kind": ["article", "rss", "article"],
            "requested_at": [
                datetime(2025, 10, 25, 21, 30, tzinfo=UTC),
                datetime(2025, 10, 26, 2, 30, tzinfo=UTC),
                datetime(2025, 10, 26, 2, 30, tzinfo=UTC),
            ],
            "status": [200, 404, 404],
            "bytes": [18, 0, 0],
            "elapsed_ms": [120, 7, 7],
            "error": ["no lead", bad_etag, f"HTTP 404; {bad_etag}"],
            "attempts": [2, 1, 1],
            "final_url": [f"{SITE}/a", f"{SITE}/rss", f"{SITE}/rss"],
            "etag": ['"v1"', None, None],
            "last_modified": ["Sat, 25 Oct 2025 21:00:00 GMT", None, None],
            "warc_file": ["run.warc.gz", None, None],
            "warc_offset": [512, None, None],
            "failure": ["parse problem", "bad header", "HTTP 404"],
        },
        schema=FETCH_LOG,
    )
    assert_frame_equal(got, expected)
    assert_frame_equal(fetch_log("ingest-1", []), pl.DataFrame(schema=FETCH_LOG))
