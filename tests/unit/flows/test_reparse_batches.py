"""Reparse batches: small runs side by side up to `batch_pages` article pages, a big run alone;
parsed batches checked and loaded several at a time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from flows.reparse import checked_pages
from flows.replay import batches, side_by_side
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


def test_side_by_side_makes_each_group_as_soon_as_the_next_item_does_not_fit() -> None:
    pulled: list[int] = []

    def sizes() -> Iterator[int]:
        for size in (3, 2, 4, 9, 1):
            pulled.append(size)
            yield size

    groups = side_by_side(sizes(), lambda size: size, 5)
    assert next(groups) == [3, 2]
    assert pulled == [3, 2, 4]  # the third is held for the next group, the rest not yet read
    assert list(groups) == [[4], [9], [1]]


def test_parsed_batches_are_checked_as_many_pages_at_a_time_as_one_check_of_articles_holds() -> (
    None
):
    assert checked_pages(1000) == 5000
    assert checked_pages(50) == 5000
    assert checked_pages(8000) == 8000
