"""`fetch_log`: one row per HTTP request a run made (or refused), with its outcome; the ETag and
Last-Modified only when they are valid header values (as they will be sent back), and the kind of
its failure as the run summary counts it."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from sources.records import LoggedFetch
from transforms.schemas import FETCH_LOG, frame


def fetch_log(run_id: str, requests: Sequence[LoggedFetch]) -> pl.DataFrame:
    """The `fetch_log` frame."""
    rows = [
        {
            "run_id": run_id, "url": r.fetched.url, "kind": r.kind,
            "requested_at": r.fetched.requested_at, "status": r.fetched.status,
            "bytes": len(r.fetched.body), "elapsed_ms": r.fetched.elapsed_ms, "error": r.error,
            "attempts": r.fetched.attempts, "final_url": r.fetched.final_url,
            "etag": r.fetched.validators.etag, "last_modified": r.fetched.validators.last_modified,
            "warc_file": r.warc_file, "warc_offset": r.warc_offset, "failure": r.failure,
        }
        for r in requests
    ]  # fmt: skip
    return frame(rows, FETCH_LOG)
