"""The `load_runs` table: one row per load, with the kind of run that wrote it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import duckdb


class RunKind(StrEnum):
    """What a load wrote, recorded in `load_runs.kind`: the integrity rules read it."""

    CRAWL = "crawl"
    """Rows parsed from the site's answers; each request is in `fetch_log` under the run."""
    OFFICIAL = "official"
    """The General Staff's series, fetched (requests logged) or read from the bundled copy."""
    FACTS = "facts"
    """Facts drawn from the articles already loaded: no request."""
    SYNTHETIC = "synthetic"
    """Frames a benchmark made up: no request."""


def record_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    kind: RunKind,
    *,
    started_at: datetime,
    finished_at: datetime | None,
    rows_in: int,
    rows_loaded: int,
    rows_quarantined: int,
    commit_retries: int = 0,
    rules: str | None = None,
    drawn_from: int | None = None,
) -> None:
    """Add the run's `load_runs` row (state 'loaded'), inside the caller's transaction;
    `finished_at` None is the transaction's own time; `commit_retries`: how many times this
    transaction ran before (another writer committed first); `rules`: for a facts load, the
    fingerprint of the rules that drew them, and `drawn_from` the lake snapshot they were drawn
    from."""
    con.execute(
        "INSERT INTO load_runs (run_id, started_at, finished_at, rows_in, rows_loaded, "
        "rows_quarantined, state, kind, commit_retries, rules, drawn_from) "
        "VALUES (?, ?, coalesce(CAST(? AS TIMESTAMPTZ), now()), ?, ?, ?, 'loaded', ?, ?, ?, ?)",
        [
            run_id,
            started_at,
            finished_at,
            rows_in,
            rows_loaded,
            rows_quarantined,
            kind.value,
            commit_retries,
            rules,
            drawn_from,
        ],
    )
