"""`integrity_problems`: each rule counts the exact rows that break it, and reads a load's kind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from warehouse.connection import connect
from warehouse.integrity import INTEGRITY_CHECKS, integrity_problems
from warehouse.runs import RunKind, record_run

T0 = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
SITE = "https://global.espreso.tv"


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with connect(tmp_path / "w.duckdb") as con:
        yield con


def _run(con: duckdb.DuckDBPyConnection, run_id: str, kind: RunKind, rows_in: int = 1) -> None:
    record_run(
        con,
        run_id,
        kind,
        started_at=T0,
        finished_at=T0,
        rows_in=rows_in,
        rows_loaded=rows_in,
        rows_quarantined=0,
    )


def _request(con: duckdb.DuckDBPyConnection, run_id: str, url: str, status: int = 200) -> None:
    con.execute(
        "INSERT INTO fetch_log (run_id, url, kind, requested_at, status, bytes, elapsed_ms, "
        "attempts) VALUES (?, ?, 'article', ?, ?, 10, 1, 1)",
        [run_id, url, T0, status],
    )


def _article(con: duckdb.DuckDBPyConnection, url: str) -> None:
    con.execute(
        "INSERT INTO articles VALUES (?, 'espreso-global', 'a', NULL, NULL, 'A', NULL, NULL, NULL, "
        "?, NULL, 'x', 1, NULL, 'en', 'h', ?, ?, NULL, NULL, true, 'espreso', 'espreso')",
        [url, T0, T0, T0],
    )


def test_a_sound_warehouse_has_no_problem(con: duckdb.DuckDBPyConnection) -> None:
    _run(con, "crawl-1", RunKind.CRAWL)
    _request(con, "crawl-1", f"{SITE}/a")
    _article(con, f"{SITE}/a")
    # Loads that make no request need none, whatever their run ids look like.
    _run(con, "crawl-like-facts", RunKind.FACTS, rows_in=40)
    _run(con, "official-x", RunKind.OFFICIAL, rows_in=22248)
    _run(con, "made-up", RunKind.SYNTHETIC, rows_in=1000)
    _run(con, "crawl-empty", RunKind.CRAWL, rows_in=0)
    assert integrity_problems(con) == []


def test_each_rule_counts_its_rows(con: duckdb.DuckDBPyConnection) -> None:
    _run(con, "crawl-1", RunKind.CRAWL)
    _request(con, "crawl-1", f"{SITE}/a")
    _article(con, f"{SITE}/a")
    _request(con, "never-loaded", f"{SITE}/b")
    _request(con, "never-loaded", f"{SITE}/c")
    con.execute("INSERT INTO quarantine VALUES ('articles', '{}', ['x'], 'never-loaded', ?)", [T0])
    con.execute(f"INSERT INTO article_tags VALUES ('{SITE}/gone', 0, 'News', NULL, 'espreso')")
    con.execute(
        f"INSERT INTO article_related VALUES ('{SITE}/gone', 0, '{SITE}/a', NULL, 'espreso')"
    )
    con.execute(
        f"INSERT INTO feed_observations VALUES (?, '{SITE}/news', 0, '{SITE}/unknown', 'espreso')",
        [T0],
    )
    con.execute(
        f"INSERT INTO feed_observations VALUES (?, '{SITE}/news', 0, '{SITE}/unknown', 'espreso')",
        [T0],
    )
    _article(con, f"{SITE}/unfetched")
    _request(con, "crawl-1", f"{SITE}/refused", status=404)
    _article(con, f"{SITE}/refused")
    _run(con, "facts-named-crawl", RunKind.CRAWL, rows_in=3)  # no request under it
    con.execute(
        "INSERT INTO load_runs VALUES ('odd', ?, ?, 0, 0, 0, 'loaded', 'scraped', 0, NULL, NULL), "
        "('unlabelled', ?, ?, 0, 0, 0, 'loaded', NULL, 0, NULL, NULL)",
        [T0, T0, T0, T0],
    )
    assert integrity_problems(con) == [
        "2 fetch_log rows of a run that never loaded",
        "1 quarantine rows of a run that never loaded",
        "1 tags of an article that is not there",
        "1 links of an article that is not there",
        "2 feed observations of an unknown feed item",
        "2 articles never fetched",
        "1 runs without their requests",
        "2 runs of no known kind",
        "1 feed observations stored twice",
    ]
    assert len(INTEGRITY_CHECKS) == 9
