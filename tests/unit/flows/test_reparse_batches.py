"""Reparse batches: small runs side by side up to `batch_pages` article pages, a big run alone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flows.replay import batches
from sources.archive import ArchivedRecord, ArchivedRun, WarcLocation


def _run(run_id: str, articles: int, feeds: int = 0) -> ArchivedRun:
    records = tuple(
        ArchivedRecord(kind, WarcLocation(f"{run_id}.warc.gz", n))
        for n, kind in enumerate(["feed"] * feeds + ["article"] * articles)
    )
    return ArchivedRun(run_id, datetime(2025, 10, 1, tzinfo=UTC), "https://x", Path("."), records)


def test_small_runs_share_a_batch_up_to_the_page_limit() -> None:
    runs = [_run("a", 50, feeds=3), _run("b", 50), _run("c", 50), _run("d", 0, feeds=2)]
    assert [[r.run_id for r in b] for b in batches(runs, 100)] == [["a", "b"], ["c", "d"]]


def test_a_run_over_the_limit_is_a_batch_alone() -> None:
    runs = [_run("a", 10), _run("b", 150), _run("c", 10)]
    assert [[r.run_id for r in b] for b in batches(runs, 100)] == [["a"], ["b"], ["c"]]
    assert batches([], 100) == []
