"""`fetch_log`: one row per HTTP request a run made (or refused), with its outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from sources.http import Fetched
from transforms.schemas import FETCH_LOG, frame


@dataclass(frozen=True, slots=True)
class LoggedFetch:
    """A request, what it was for (`feed`, `rss`, `sitemap`, `article`), and any later problem."""

    fetched: Fetched
    kind: str
    problem: str | None = None


def fetch_log(run_id: str, requests: Sequence[LoggedFetch]) -> pl.DataFrame:
    """The `fetch_log` frame; a parse problem is appended to the request's error."""
    rows = [
        {
            "run_id": run_id, "url": r.fetched.url, "kind": r.kind,
            "requested_at": r.fetched.requested_at, "status": r.fetched.status,
            "bytes": len(r.fetched.body), "elapsed_ms": r.fetched.elapsed_ms,
            "error": "; ".join(e for e in (r.fetched.error, r.problem) if e) or None,
        }
        for r in requests
    ]  # fmt: skip
    return frame(rows, FETCH_LOG)
