"""How the generated pages are grouped into runs: their ids and when each run and request happens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# Runs start after every generated publication date (the gate refuses pages from the future).
FIRST_RUN = datetime(2025, 11, 1, 1, 0, tzinfo=UTC)
PAGE_GAP = timedelta(seconds=1)
RUN_GAP = timedelta(minutes=10)


def run_id(run: int) -> str:
    """The id of the run-th run (0-based)."""
    return f"bench-{run + 1:06d}"


def run_started_at(run: int, pages_per_run: int) -> datetime:
    """When the run-th run starts: after the previous run's last request and a pause."""
    return FIRST_RUN + run * (pages_per_run * PAGE_GAP + RUN_GAP)
